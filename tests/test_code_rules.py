"""Rules the code base keeps, checked on its source: modules talk through public names, imports sit
at the top, and every public symbol of nnlib names the chapter section that teaches it."""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest

import nnlib

ROOT = Path(__file__).resolve().parent.parent
NNLIB = ROOT / "nnlib"
SOURCES = sorted(NNLIB.rglob("*.py"))


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def owned_private_names(tree: ast.AST) -> set[str]:
    """Underscore names a module defines itself: functions, classes, module and class variables,
    and attributes it assigns (``self._x = ...``, ``obj._x = ...``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if is_private(n)}


def foreign_private_uses(source: str, owned: set[str] | None = None) -> list[str]:
    """``x._name`` attributes, ``from m import _name`` imports and ``getattr(x, "_name")`` calls
    whose underscore name the module does not define itself."""
    tree = ast.parse(source)
    owned = owned_private_names(tree) if owned is None else owned
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr not in owned:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if is_private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) > 1 and \
                isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) and \
                is_private(node.args[1].value) and node.args[1].value not in owned:
            found.append(f"line {node.lineno}: {node.func.id}(…, {node.args[1].value!r})")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_uses_another_modules_private_names(path):
    problems = foreign_private_uses(path.read_text())
    assert not problems, f"{path.relative_to(ROOT)} reaches into private names: {problems}"


def test_the_private_name_scan_catches_what_it_should():
    """The scan above must be able to fail: each of these is a violation, the last is not."""
    assert foreign_private_uses("import m\nm._hidden()")
    assert foreign_private_uses("from .losses import _prepare")
    assert foreign_private_uses("def f(model):\n    return model._flat_buffers()")
    assert foreign_private_uses("getattr(model, '_cache')")
    assert not foreign_private_uses("class A:\n    def f(self):\n        self._x = 1\n        "
                                    "return self._x + A._y\n    _y = 2")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_sit_at_the_top_and_nnlib_is_never_imported_lazily(path):
    """Module-level imports come before any other statement (no import placed at the bottom to
    dodge a circular import), and no function imports an nnlib module lazily either; functions
    may import optional third-party packages (matplotlib, TensorFlow, threadpoolctl)."""
    tree = ast.parse(path.read_text())
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    seen_code = False
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            assert not seen_code, f"{path.name} line {node.lineno}: import below the top"
        elif not isinstance(node, ast.If) or "TYPE_CHECKING" not in ast.unparse(node.test):
            seen_code = True
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.level > 0 or
                                                          (inner.module or "").startswith("nnlib")):
                    pytest.fail(f"{path.name} line {inner.lineno}: {ast.unparse(inner)} inside "
                                f"{node.name}()")


# --- the book and the exercises use only public API -------------------------------------------

def code_cells() -> list[tuple[str, str]]:
    cells = []
    for chapter in sorted((ROOT / "book" / "chapters").glob("*.md")):
        blocks = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", chapter.read_text(), re.S)
        cells += [(f"{chapter.name} cell {i}", b) for i, b in enumerate(blocks)]
    for folder in ("solutions", "exercises"):
        for nb in sorted((ROOT / folder).glob("*/*.ipynb")):
            for i, cell in enumerate(json.loads(nb.read_text())["cells"]):
                if cell["cell_type"] == "code":
                    source = "".join(cell["source"])
                    cells.append((f"{nb.relative_to(ROOT)} cell {i}", source))
    return cells


def test_chapters_and_exercises_use_only_public_names():
    problems = []
    for where, source in code_cells():
        source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%"))
        try:
            tree = ast.parse(source)
        except SyntaxError:  # a stub such as "raise NotImplementedError()" always parses; be safe
            continue
        # names the cell defines itself (its own helpers) are fine
        problems += [f"{where}: {p}" for p in foreign_private_uses(source, owned_private_names(tree))]
    assert not problems, problems


# --- docstrings name the chapter and section ----------------------------------------------------

def headings() -> dict[int, set[str]]:
    """``{chapter number: {section headings}}`` from book/chapters/chNN_*.md."""
    out: dict[int, set[str]] = {}
    for chapter in (ROOT / "book" / "chapters").glob("ch*.md"):
        number = int(chapter.name[2:4])
        text = re.sub(r"```.*?```", "", chapter.read_text(), flags=re.S)  # not comments in code
        out[number] = {m.strip() for m in re.findall(r"^#{2,3} (.+)$", text, re.M)}
    return out


REFERENCE = re.compile(r'chapters? (\d+), "([^"]+)"')


def public_symbols() -> list[tuple[str, object]]:
    symbols: list[tuple[str, object]] = []
    for info in pkgutil.walk_packages(nnlib.__path__, "nnlib."):
        if any(is_private(part) for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        symbols.append((info.name, module))
        for name, value in vars(module).items():
            if is_private(name) or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value) or inspect.isclass(value):
                symbols.append((f"{info.name}.{name}", value))
    return symbols


def test_every_public_symbol_names_the_chapter_section_that_teaches_it():
    sections = headings()
    missing, wrong = [], []
    for name, symbol in public_symbols():
        doc = inspect.getdoc(symbol) or ""
        refs = REFERENCE.findall(" ".join(doc.split()))
        if not refs:
            missing.append(name)
        for chapter, section in refs:
            if section not in sections.get(int(chapter), set()):
                wrong.append(f"{name}: chapter {chapter} has no section {section!r}")
    assert not wrong, wrong
    assert not missing, (f"{len(missing)} public symbols do not name the chapter section that "
                         f"teaches them, as (chapter N, \"Section\"): {missing}")


def test_public_methods_have_docstrings():
    undocumented = []
    for name, symbol in public_symbols():
        if not inspect.isclass(symbol):
            continue
        for attr, value in vars(symbol).items():
            if is_private(attr) or attr.startswith("__"):
                continue
            target = value.fget if isinstance(value, property) else value
            if inspect.isfunction(target) and not inspect.getdoc(getattr(symbol, attr, None) or target):
                undocumented.append(f"{name}.{attr}")
    assert not undocumented, undocumented
