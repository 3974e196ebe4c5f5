"""Helpers to write nbgrader source notebooks from Python (the cells of tools/author/*.py).

``md(text)``, ``solution(grade_id, src)``, ``tests(grade_id, points, src)`` and
``readonly(grade_id, src)`` build cells with nbgrader's metadata (sources are dedented and stripped
of leading and trailing blank lines, so they can be indented in the authoring module);
``notebook(cells)`` makes a notebook without outputs, with the course's kernelspec, ``dumps(cells)``
its exact file text and ``write(path, cells)`` saves it.
"""
from __future__ import annotations

import textwrap

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool,
          points: float | None = None, task: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": task}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _src(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(text: str, grade_id: str | None = None) -> nbformat.NotebookNode:
    """A markdown cell; with ``grade_id`` it is locked (students cannot edit it)."""
    cell = new_markdown_cell(_src(text))
    if grade_id:
        cell.metadata.update(_meta(grade_id, grade=False, solution=False, locked=True))
    return cell


def readonly(grade_id: str, src: str) -> nbformat.NotebookNode:
    """A locked code cell (setup, given helpers)."""
    cell = new_code_cell(_src(src))
    cell.metadata.update(_meta(grade_id, grade=False, solution=False, locked=True))
    return cell


def solution(grade_id: str, src: str) -> nbformat.NotebookNode:
    """An answer cell; the part between ### BEGIN/END SOLUTION is removed from the release."""
    cell = new_code_cell(_src(src))
    cell.metadata.update(_meta(grade_id, grade=False, solution=True, locked=False))
    return cell


def tests(grade_id: str, points: float, src: str) -> nbformat.NotebookNode:
    """A graded, locked test cell; ### BEGIN/END HIDDEN TESTS parts are removed from the release."""
    cell = new_code_cell(_src(src))
    cell.metadata.update(_meta(grade_id, grade=True, solution=False, locked=True, points=points))
    return cell


def notebook(cells: list, metadata: dict | None = None) -> nbformat.NotebookNode:
    """A validated notebook of ``cells``: ids (the grade_ids), no outputs, python3 kernelspec,
    and ``metadata`` added to the notebook's."""
    nb = new_notebook(cells=cells)
    nb.metadata.update(metadata or {})
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell.id = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell-{i}")
    nbformat.validate(nb)
    return nb


def dumps(cells: list, metadata: dict | None = None) -> str:
    """The text of the notebook file of ``cells``, exactly as ``write`` saves it."""
    text = nbformat.writes(notebook(cells, metadata))
    return text if text.endswith("\n") else text + "\n"  # as nbformat.write


def write(path: str, cells: list) -> None:
    """Save ``cells`` as a notebook with ids, no outputs, and the python3 kernelspec."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(cells))
