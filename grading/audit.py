"""Static audit of submissions for tampering with the grading (run by `make grade`).

Student code runs in the grading kernel, so it *could* rebind the helpers the tests use, register
IPython input transformers that blank out later cells, trace or patch the interpreter, or read the
hidden tests. This audit reads the submitted notebooks without running them — nothing a student
does at run time can influence it — and lists every such construct with its cell and line, for the
instructor to review. It flags; it does not change scores.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

#: Modules and helper names whose attributes a submission has no reason to reassign.
PROTECTED_BASES = {"np", "numpy", "T", "testing", "nnlib", "builtins", "sys", "math", "keras",
                   "tf", "tensorflow", "os", "warnings", "IPython", "nbgrader", "importlib", "io"}
SUSPICIOUS_CALLS = {"setattr": "setattr() can patch modules and helpers",
                    "delattr": "delattr() can remove helpers",
                    "exec": "exec() runs code the audit cannot read",
                    "eval": "eval() runs code the audit cannot read",
                    "compile": "compile() builds code at run time",
                    "__import__": "__import__() hides an import",
                    "get_ipython": "get_ipython() gives access to the kernel's machinery",
                    "globals": "globals() can rebind test helpers"}
SUSPICIOUS_ATTRS = {"input_transformers_post", "input_transformers_cleanup", "ast_transformers",
                    "setprofile", "settrace", "getprofile", "gettrace", "__closure__",
                    "cell_contents", "__wrapped__", "modules", "register_magic_function", "events",
                    "__builtins__", "__code__", "__globals__", "f_globals", "f_back"}
SUSPICIOUS_TEXT = re.compile(r"solutions|gradebook|autograded|submitted|\.db\b|nbgrader_config",
                             re.I)
SUSPICIOUS_IMPORTS = {"builtins", "importlib", "ctypes", "gc", "inspect", "IPython", "nbgrader",
                      "sqlite3", "subprocess", "ast"}


@dataclass(frozen=True)
class Finding:
    """One suspicious construct in a submission."""

    student: str
    assignment: str
    notebook: str
    cell: str
    line: int
    what: str


def _bound_names(tree: ast.AST) -> set[str]:
    """Module-level names a (read-only) cell binds; its functions' locals are not among them."""
    names: set[str] = set()
    for node in getattr(tree, "body", []):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names.add(node.name)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
            continue
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For)) else []
        for target in targets:
            names.update(sub.id for sub in ast.walk(target) if isinstance(sub, ast.Name))
    return names


def _parse(source: str) -> ast.AST | None:
    # IPython magics and shell escapes are not Python: blank them before parsing
    cleaned = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                        for line in source.splitlines())
    try:
        return ast.parse(cleaned)
    except SyntaxError:
        return None


def _root(node: ast.AST) -> str | None:
    """The name an attribute/subscript/call chain starts from: ``a`` for ``a.b[0].c()``."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call, ast.Starred)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


_MODULE_GETTERS = {"import_module", "__import__", "reload"}


def aliases(tree: ast.AST, protected: set[str]) -> set[str]:
    """Names that refer to a protected module or helper: the protected ones, and every name a
    submission binds to one of them (``t = T``, ``m = sys.modules[...]``, ``import nnlib.testing as
    tt``, ``f = T.check_array``), followed through chains of such assignments."""
    found = set(protected)
    pairs: list[tuple[str, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = "" if isinstance(node, ast.Import) else (node.module or "")
            for a in node.names:
                full = f"{module}.{a.name}" if module else a.name
                if full.split(".")[0] in PROTECTED_BASES | {"nnlib"}:
                    found.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        pairs.append((sub.id, node.value))
    changed = True
    while changed:
        changed = False
        for name, value in pairs:
            if name in found:
                continue
            if _refers_to(value, found):
                found.add(name)
                changed = True
    return found


def _refers_to(value: ast.AST, names: set[str]) -> bool:
    """Whether ``value`` is (part of) one of ``names`` rather than something new computed from
    it: ``T``, ``T.check_array``, ``sys.modules["x"]``, ``vars(T)``, ``importlib.import_module(…)``
    are; ``np.zeros(3)`` or ``keras.Sequential()`` (a call's result) are not."""
    while isinstance(value, (ast.Attribute, ast.Subscript)):
        value = value.value
    if isinstance(value, ast.Call):
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return name in _MODULE_GETTERS or name in ("vars", "getattr")
    return isinstance(value, ast.Name) and value.id in names


class _Scan(ast.NodeVisitor):
    """Reads a cell as Python does: module-level names versus a function's locals, aliases of the
    protected modules, stores into names versus stores into items."""

    def __init__(self, protected_names: set[str], alias_names: set[str]) -> None:
        self.protected = protected_names
        self.aliases = alias_names
        self.found: list[tuple[int, str]] = []
        self.scopes: list[set[str]] = []  # per enclosing function: its `global` names

    def flag(self, node: ast.AST, what: str) -> None:
        self.found.append((getattr(node, "lineno", 1), what))

    def _is_global(self, name: str) -> bool:
        return not self.scopes or name in self.scopes[-1]

    def _function(self, node: ast.AST, name: str | None) -> None:
        if name is not None and self._is_global(name) and name in self.protected:
            self.flag(node, f"rebinds {name!r}, defined by a read-only cell")
        for deco in getattr(node, "decorator_list", []):
            self.visit(deco)
        args = getattr(node, "args", None)
        if args is not None:
            for default in args.defaults + [d for d in args.kw_defaults if d is not None]:
                self.visit(default)
        body = node.body if isinstance(node.body, list) else [node.body]
        declared = {n for stmt in body for sub in ast.walk(stmt) if isinstance(sub, ast.Global)
                    for n in sub.names}
        self.scopes.append(declared)
        for stmt in body:
            self.visit(stmt)
        self.scopes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node, node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._function(node, None)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self._is_global(node.name) and node.name in self.protected:
            self.flag(node, f"rebinds {node.name!r}, defined by a read-only cell")
        self.scopes.append(set())
        self.generic_visit(node)
        self.scopes.pop()

    def _comprehension(self, node: ast.AST) -> None:
        self.scopes.append(set())
        self.generic_visit(node)
        self.scopes.pop()

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def _store(self, target: ast.AST, node: ast.AST) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._store(elt, node)
        elif isinstance(target, ast.Starred):
            self._store(target.value, node)
        elif isinstance(target, ast.Name):
            if target.id in self.protected and self._is_global(target.id):
                self.flag(node, f"rebinds {target.id!r}, defined by a read-only cell")
        elif isinstance(target, ast.Attribute):
            if _root(target) in self.aliases:
                self.flag(node, f"reassigns {ast.unparse(target)}")
        elif isinstance(target, ast.Subscript):
            # an item of a local array is not a rebinding; an item of a module's dict is
            container = target.value
            if _root(container) in self.aliases and isinstance(container, ast.Attribute):
                self.flag(node, f"changes {ast.unparse(container)}")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._store(target, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._store(node.target, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._store(node.target, node)
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._store(node.target, node)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self._store(node.target, node)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._store(node.optional_vars, node.context_expr)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._store(target, node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in SUSPICIOUS_CALLS:
            self.flag(node, SUSPICIOUS_CALLS[name])
        elif name == "vars" and node.args:
            self.flag(node, "vars() gives a module's namespace, where helpers can be rebound")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in SUSPICIOUS_ATTRS or node.attr == "__dict__":
            self.flag(node, f"uses {ast.unparse(node)}")
        elif node.attr.startswith("_") and not node.attr.startswith("__") and \
                _root(node) in self.aliases:
            self.flag(node, f"uses the private name {ast.unparse(node)}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "__builtins__":
            self.flag(node, "uses __builtins__")

    def visit_Import(self, node: ast.AST) -> None:
        mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        for mod in mods:
            if mod.split(".")[0] in SUSPICIOUS_IMPORTS:
                self.flag(node, f"imports {mod}")

    visit_ImportFrom = visit_Import

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and SUSPICIOUS_TEXT.search(node.value):
            self.flag(node, f"mentions {node.value!r} (grading files)")


def audit_cell(source: str, protected_names: set[str]) -> list[tuple[int, str]]:
    """``(line, description)`` for every suspicious construct in one cell's code.

    ``protected_names`` are the names the read-only cells define (helpers, ``T``, ``np``); a
    submission may use them, shadow them inside its own functions and index into its own arrays,
    but not rebind them at module level, assign attributes of them or of any alias of them.
    """
    tree = _parse(source)
    if tree is None:
        return [(1, "the cell is not valid Python (cannot be audited)")] if source.strip() else []
    scan = _Scan(protected_names, aliases(tree, protected_names | PROTECTED_BASES))
    scan.visit(tree)
    return sorted(set(scan.found))


def audit_notebook(path: Path, source_nb: nbformat.NotebookNode, student: str, assignment: str
                   ) -> list[Finding]:
    """Findings for one submitted notebook, given the instructor's source notebook."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # unreadable JSON: nbgrader skips it too
        return [Finding(student, assignment, path.name, "-", 0, f"unreadable notebook: {err}")]
    locked: dict[str, str] = {}
    protected: set[str] = set()
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("locked") or meta.get("grade"):
            locked[meta["grade_id"]] = cell.source
            if cell.cell_type == "code" and not meta.get("grade"):
                tree = _parse(cell.source)
                protected |= _bound_names(tree) if tree is not None else set()
    findings = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {i}")
        if gid in locked:
            continue  # nbgrader restores read-only and test cells from the gradebook
        for line, what in audit_cell(cell.source, protected):
            findings.append(Finding(student, assignment, path.name, gid, line, what))
    return findings


def audit_course(root: Path, assignment: str) -> list[Finding]:
    """Audit every submission of ``assignment`` under ``root/submitted``."""
    findings: list[Finding] = []
    for nb_path in sorted((root / "submitted").glob(f"*/{assignment}/*.ipynb")):
        source = root / "solutions" / assignment / nb_path.name
        if not source.exists():
            continue
        student = nb_path.parent.parent.name
        findings += audit_notebook(nb_path, nbformat.read(source, as_version=4), student, assignment)
    return findings
