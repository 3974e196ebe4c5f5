"""The exercises' authoring sources: one module per assignment, ``tools/author/<assignment>.py``.

Each module defines ``NOTEBOOK``, the notebook's file name, and ``CELLS``, its cells built with
:mod:`tools.nbtools` (``md``, ``readonly``, ``solution``, ``tests``). They are the only source of
nbgrader's source notebooks ``solutions/<assignment>/<NOTEBOOK>``: ``python -m tools.author``
(``make solutions``) writes them all, then ``make exercises`` regenerates the student release.
Never edit a notebook in solutions/ by hand: tests/test_authoring.py fails when one differs from
what its source writes.

The sources live here and not in solutions/<assignment>/ because nbgrader copies every file of a
source assignment folder into the student release.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

from tools.nbtools import dumps

REPO = Path(__file__).resolve().parents[2]
FIX = "run `make solutions && make exercises`"


def assignments() -> list[str]:
    """The assignments that have an authoring source, e.g. ``["ch01_neurons", ...]``."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def source(assignment: str) -> ModuleType:
    """The authoring module of ``assignment`` (``NOTEBOOK`` and ``CELLS``)."""
    return importlib.import_module(f"{__name__}.{assignment}")


def source_path(assignment: str) -> str:
    """``tools/author/<assignment>.py``, for messages."""
    return f"tools/author/{assignment}.py"


def target(assignment: str, root: Path = REPO) -> Path:
    """Where the notebook of ``assignment`` goes: ``root/solutions/<assignment>/<NOTEBOOK>``."""
    return Path(root) / "solutions" / assignment / source(assignment).NOTEBOOK


def render(assignment: str) -> str:
    """The exact text of the notebook file ``assignment``'s source describes."""
    module = source(assignment)
    reason = getattr(module, "KERNEL_VERDICTS", None)
    # An exercise whose tests inspect objects or side effects of the student's functions is judged
    # in the (sandboxed) kernel instead of by replay; the module says why (grading/preprocessors.py).
    meta = {"nngrade": {"verdicts": "kernel", "reason": reason}} if reason else None
    return dumps(module.CELLS, meta)


def write(assignment: str, root: Path = REPO) -> Path:
    """Write the notebook of ``assignment`` under ``root`` (the repository by default)."""
    path = target(assignment, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(render(assignment))
    return path


def difference(assignment: str, root: Path = REPO) -> str | None:
    """``None`` when the committed notebook is exactly what the source writes, else what differs
    (the first differing cell and line) and how to fix it."""
    path = target(assignment, root)
    shown = f"solutions/{assignment}/{path.name}"
    generated = render(assignment)
    if not path.exists():
        return f"{shown} is missing: {FIX}."
    committed = path.read_text(encoding="utf-8")
    if committed == generated:
        return None
    try:
        where = first_difference(json.loads(committed), json.loads(generated))
    except json.JSONDecodeError as err:
        where = f"the committed file is not valid JSON ({err})"
    return (f"{shown} is not what {source_path(assignment)} writes: {where}\n"
            f"The notebook was edited by hand (or the source changed without regenerating): edit "
            f"{source_path(assignment)}, never the notebook, then {FIX}.")


def _source_text(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _label(i: int, cell: dict[str, Any]) -> str:
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id")
    return f"cell {i} ({gid!r})" if gid else f"cell {i}"


def _dict_difference(committed: dict[str, Any], generated: dict[str, Any], prefix: str) -> str:
    for key in sorted(set(committed) | set(generated)):
        a, b = committed.get(key, "<absent>"), generated.get(key, "<absent>")
        if a != b:
            if isinstance(a, dict) and isinstance(b, dict):
                return _dict_difference(a, b, f"{prefix}{key}.")
            return f"{prefix}{key} is {a!r} in the notebook, {b!r} in the source"
    return "no difference"


def first_difference(committed: dict[str, Any], generated: dict[str, Any]) -> str:
    """Where two parsed notebooks first differ, in words (cell, field, line)."""
    for key in sorted((set(committed) | set(generated)) - {"cells"}):
        if committed.get(key) != generated.get(key):
            return "the notebook's " + _dict_difference({key: committed.get(key)},
                                                         {key: generated.get(key)}, "")
    cells_a, cells_b = committed.get("cells", []), generated.get("cells", [])
    for i, (a, b) in enumerate(zip(cells_a, cells_b)):
        if a == b:
            continue
        label = _label(i, a)
        if a.get("outputs") or a.get("execution_count") is not None:
            return f"{label} has outputs (solutions/ notebooks are stored without outputs)"
        if _source_text(a) != _source_text(b):
            lines_a, lines_b = _source_text(a).split("\n"), _source_text(b).split("\n")
            for n, (x, y) in enumerate(zip(lines_a, lines_b), start=1):
                if x != y:
                    return (f"{label}, source line {n}:\n  notebook: {x!r}\n  source:   {y!r}")
            n = min(len(lines_a), len(lines_b)) + 1
            return (f"{label}: the notebook's source has {len(lines_a)} lines, the source's "
                    f"{len(lines_b)} (from line {n} on)")
        return f"{label}: " + _dict_difference(a, b, "")
    if len(cells_a) != len(cells_b):
        extra = [_label(i, c) for i, c in enumerate(cells_a)][len(cells_b):]
        missing = [_label(i, c) for i, c in enumerate(cells_b)][len(cells_a):]
        return (f"the notebook has {len(cells_a)} cells, the source {len(cells_b)}"
                + (f"; only in the notebook: {', '.join(extra)}" if extra else "")
                + (f"; only in the source: {', '.join(missing)}" if missing else ""))
    return "the same cells, formatted differently (the file was saved by another tool)"
