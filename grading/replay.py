"""Verdicts computed where student code never ran: the test cells replayed with recorded results.

The grading kernel (sandboxed) runs the student's notebook with the test cells, and
grading/recorder.py writes down what each call of a student function returned. Here, in the
grader's own process, the instructor's read-only and test cells (from the source notebook in
solutions/, never from the submission) run again, with every student function replaced by a
``Stand-in`` that hands back the recorded results in order. Numpy, the checks of ``nnlib.testing``,
Keras' reference values: all of it is the grader's, untouched by the student. A test cell passes only
on positive evidence: it ran to its end in the kernel, every call it makes has its record, and every
check passes here.
"""
from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import io
import traceback
from dataclasses import dataclass, field
from typing import Any, Iterable

import nbformat
import numpy as np

from nnlib.testing import GradingError, Replayed

from .recorder import digest


@dataclass
class Verdict:
    """The outcome of one test cell: passed, what it printed, and the error a student reads."""

    passed: bool
    stdout: str = ""
    error: tuple[str, str] | None = None  # (exception name, message)
    incomplete: bool = False  # the kernel's record of this cell is missing or cut short


def _meta(cell: nbformat.NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_test(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and bool(_meta(cell).get("grade")) and \
        not _meta(cell).get("solution")


def is_readonly_code(cell: nbformat.NotebookNode) -> bool:
    meta = _meta(cell)
    return cell.cell_type == "code" and bool(meta.get("locked")) and not meta.get("grade") and \
        not meta.get("solution")


def student_names(source_nb: nbformat.NotebookNode) -> tuple[str, ...]:
    """Names the answer cells define at top level in the reference (functions, classes, values)."""
    names: list[str] = []
    for cell in source_nb.cells:
        if cell.cell_type != "code" or not _meta(cell).get("solution"):
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(node.name)
            elif isinstance(node, ast.Assign):
                names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return tuple(dict.fromkeys(names))


def decode(data: Any) -> Any:
    """The value grading/recorder.py's ``encode`` wrote."""
    kind = data.get("t")
    if kind == "none":
        return None
    if kind == "bool":
        return bool(data["v"])
    if kind == "int":
        return int(data["v"])
    if kind == "float":
        return float(data["v"])
    if kind == "str":
        return str(data["v"])
    if kind in ("ndarray", "scalar"):
        arr = np.frombuffer(base64.b64decode(data["b64"]), dtype=np.dtype(data["dtype"]))
        arr = arr.reshape(data["shape"]).copy()
        return arr[()] if kind == "scalar" else arr
    if kind in ("list", "tuple"):
        items = [decode(v) for v in data["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {decode(k): decode(v) for k, v in data["items"]}
    return Opaque(str(data.get("type", "object")))


class Opaque:
    """A result that was neither a number, an array, a string nor a container of them."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<a {self.type_name}>"


def _rebuild(raised: dict) -> Exception:
    name, message = str(raised.get("type", "Exception")), str(raised.get("message", ""))
    cls = getattr(builtins, name, None) if raised.get("builtin") else None
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        cls = type(name, (Exception,), {})
    return cls(message)


@dataclass
class CellRecords:
    """What the kernel recorded for one test cell."""

    calls: list[dict] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)
    began: bool = False
    ended: bool = False


def group(records: Iterable[dict]) -> dict[str, CellRecords]:
    """Records by test cell."""
    cells: dict[str, CellRecords] = {}
    for rec in records:
        if not isinstance(rec, dict) or not isinstance(rec.get("cell"), str):
            continue
        cell = cells.setdefault(rec["cell"], CellRecords())
        if rec.get("begin"):
            cell.began = True
            cell.missing |= {str(n) for n in rec.get("missing", [])}
        elif rec.get("end"):
            cell.ended = True
        elif "name" in rec:
            cell.calls.append(rec)
    return cells


class StandIn(Replayed):
    """A student function, replayed: each call returns the next recorded result."""

    def __init__(self, name: str, replay: "Replay") -> None:
        self.__name__ = self.__qualname__ = name
        self._replay = replay

    def replay_call(self, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
        rec = self._replay.next_call(self.__name__)
        if rec.get("args") != digest((args, kwargs)):
            raise GradingError(
                f"{self.__name__} was called with different arguments in the grading kernel than "
                "in the checker (did your code change the test's inputs, or another function's "
                "result, in place?). Return new arrays instead of modifying your inputs.")
        if "raised" in rec:
            raise _rebuild(rec["raised"])
        if "result" not in rec:
            raise GradingError(f"{self.__name__}: the grading kernel recorded no result.")
        return decode(rec["result"]), [str(c) for c in rec.get("calls", [])]


class Incomplete(GradingError):
    """The grading kernel's record of a test cell is missing or cut short."""


class Replay:
    """Replays the test cells of one source notebook against one run's records."""

    def __init__(self, source_nb: nbformat.NotebookNode, records: Iterable[dict]) -> None:
        self.source = source_nb
        self.cells = group(records)
        self.current: CellRecords | None = None
        self.position = 0

    def next_call(self, name: str) -> dict:
        cell = self.current
        if cell is None:
            raise GradingError(f"{name} is called outside a test cell (a read-only cell of the "
                               "exercise calls a student function: the exercise must not).")
        if self.position >= len(cell.calls):
            if name in cell.missing:
                raise NameError(f"name '{name}' is not defined")
            raise Incomplete(
                f"{name}: this call did not finish in the grading kernel (it ran out of time, "
                "stopped the kernel, or the test cell did not run).")
        rec = cell.calls[self.position]
        self.position += 1
        if rec.get("name") != name:
            raise GradingError(f"{name}: the grading kernel recorded the calls of this test in "
                               "another order.")
        return rec

    def run(self) -> dict[str, Verdict]:
        """``{grade_id: Verdict}`` for every test cell of the source notebook."""
        namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        verdicts: dict[str, Verdict] = {}
        for cell in self.source.cells:
            meta = _meta(cell)
            if is_readonly_code(cell):
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(cell.source, f"<{meta.get('grade_id')}>", "exec"), namespace)
            elif cell.cell_type == "code" and meta.get("solution"):
                for name in student_names(nbformat.v4.new_notebook(cells=[cell])):
                    namespace[name] = StandIn(name, self)
            elif is_test(cell):
                verdicts[meta["grade_id"]] = self.run_test(meta["grade_id"], cell.source, namespace)
        return verdicts

    def run_test(self, grade_id: str, source: str, namespace: dict[str, Any]) -> Verdict:
        records = self.cells.get(grade_id, CellRecords())
        self.current, self.position = records, 0
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(source, f"<{grade_id}>", "exec"), namespace)
        except Exception as err:  # a failed check, or an error the student's code raised
            return Verdict(False, out.getvalue(), (type(err).__name__, _message(err)),
                           incomplete=isinstance(err, Incomplete))
        finally:
            self.current = None
        if not records.began or not records.ended:
            return Verdict(False, out.getvalue(), ("GradingError", (
                "this test cell did not run to its end in the grading kernel (the kernel stopped, "
                "the cell timed out, or code in your notebook kept it from running)")),
                incomplete=True)
        if self.position != len(records.calls):
            return Verdict(False, out.getvalue(), ("GradingError", (
                "the grading kernel recorded more calls of your functions than this test makes")))
        return Verdict(True, out.getvalue())


def _message(err: BaseException) -> str:
    text = str(err)
    if isinstance(err, NotImplementedError) and not text:
        return "not answered yet (the answer cell still raises NotImplementedError)"
    if isinstance(err, (GradingError, NameError)) or text:
        return text
    return "".join(traceback.format_exception_only(type(err), err)).strip()


def replay(source_nb: nbformat.NotebookNode, records: Iterable[dict]) -> dict[str, Verdict]:
    """``{grade_id: Verdict}``: the source notebook's tests, replayed against ``records``."""
    return Replay(source_nb, records).run()
