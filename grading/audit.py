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
                    "setprofile", "settrace", "modules", "register_magic_function", "events",
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
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _parse(source: str) -> ast.AST | None:
    # IPython magics and shell escapes are not Python: blank them before parsing
    cleaned = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                        for line in source.splitlines())
    try:
        return ast.parse(cleaned)
    except SyntaxError:
        return None


def audit_cell(source: str, protected_names: set[str]) -> list[tuple[int, str]]:
    """``(line, description)`` for every suspicious construct in one cell's code."""
    tree = _parse(source)
    if tree is None:
        return [(1, "the cell is not valid Python (cannot be audited)")] if source.strip() else []
    found: list[tuple[int, str]] = []
    for node in getattr(tree, "body", []):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and \
                node.name in protected_names:
            found.append((node.lineno, f"rebinds {node.name!r}, defined by a read-only cell"))
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 1)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Attribute):
                        base = sub
                        while isinstance(base, ast.Attribute):
                            base = base.value
                        if isinstance(base, ast.Name) and base.id in PROTECTED_BASES:
                            found.append((line, f"reassigns {ast.unparse(sub)}"))
                    elif isinstance(sub, ast.Name) and sub.id in protected_names:
                        found.append((line, f"rebinds {sub.id!r}, defined by a read-only cell"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in SUSPICIOUS_CALLS:
            found.append((line, SUSPICIOUS_CALLS[node.func.id]))
        elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_ATTRS:
            found.append((line, f"uses {ast.unparse(node)}"))
        elif isinstance(node, ast.Name) and node.id == "__builtins__":
            found.append((line, "uses __builtins__"))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for mod in mods:
                if mod.split(".")[0] in SUSPICIOUS_IMPORTS:
                    found.append((line, f"imports {mod}"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                SUSPICIOUS_TEXT.search(node.value):
            found.append((line, f"mentions {node.value!r} (grading files)"))
    return sorted(set(found))


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
