"""The exercises' authoring sources (tools/author/) reproduce the committed solutions/ notebooks.

Fast (no nbgrader, no TensorFlow): each source is written into a temporary folder and compared with
solutions/<assignment>/<notebook>.ipynb byte for byte, so a notebook edited by hand — or a source
edited without regenerating — fails here with the cell and line that differ.
"""
from __future__ import annotations

import ast
import inspect
import json
import re
import shutil
from pathlib import Path

import pytest

from grading.course import REPO, assignments
from tools import author

SOURCES = author.assignments()


def test_every_assignment_has_one_authoring_source():
    assert SOURCES == assignments(), (
        f"solutions/ has {assignments()}, tools/author/ has sources for {SOURCES}: every "
        "assignment is written by tools/author/<assignment>.py (see CONTRIBUTING.md)")
    for name in SOURCES:
        notebooks = sorted(p.name for p in (REPO / "solutions" / name).glob("*.ipynb"))
        assert notebooks == [author.source(name).NOTEBOOK], \
            f"solutions/{name}/ should hold only {author.source(name).NOTEBOOK}, has {notebooks}"


@pytest.mark.parametrize("assignment", SOURCES)
def test_regenerating_reproduces_the_committed_notebook(assignment, tmp_path):
    generated = author.write(assignment, root=tmp_path)
    committed = REPO / "solutions" / assignment / generated.name
    assert committed.exists(), f"solutions/{assignment}/{generated.name} is missing: {author.FIX}"
    if generated.read_bytes() != committed.read_bytes():
        pytest.fail(author.difference(assignment), pytrace=False)


def _copy_of(assignment: str, tmp_path: Path) -> Path:
    path = author.target(assignment, tmp_path)
    path.parent.mkdir(parents=True)
    shutil.copy(author.target(assignment), path)
    return path


def test_a_hand_edited_source_line_is_reported_with_its_cell(tmp_path):
    name = SOURCES[0]
    path = _copy_of(name, tmp_path)
    assert author.difference(name, root=tmp_path) is None
    nb = json.loads(path.read_text())
    graded = next(i for i, c in enumerate(nb["cells"]) if c["metadata"]["nbgrader"].get("grade"))
    nb["cells"][graded]["source"][1] = "# edited in JupyterLab\n"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    message = author.difference(name, root=tmp_path)
    gid = nb["cells"][graded]["metadata"]["nbgrader"]["grade_id"]
    assert message is not None
    assert f"cell {graded} ({gid!r}), source line 2" in message, message
    assert "edited in JupyterLab" in message
    assert f"tools/author/{name}.py" in message and "make solutions && make exercises" in message


def test_changed_points_and_reformatting_are_reported(tmp_path):
    name = SOURCES[-1]
    path = _copy_of(name, tmp_path)
    nb = json.loads(path.read_text())
    path.write_text(json.dumps(nb, indent=2))
    assert "formatted differently" in author.difference(name, root=tmp_path)
    graded = next(c for c in nb["cells"] if c["metadata"]["nbgrader"].get("grade"))
    graded["metadata"]["nbgrader"]["points"] += 1
    path.write_text(json.dumps(nb, indent=1))
    message = author.difference(name, root=tmp_path)
    assert "metadata.nbgrader.points" in message and graded["id"] in message, message


def test_check_command_fails_on_a_stale_notebook_and_make_solutions_fixes_it(tmp_path, capsys):
    from tools.author.__main__ import main

    name = SOURCES[0]
    path = _copy_of(name, tmp_path)
    assert main(["--check", name], root=tmp_path) == 0
    path.write_text(path.read_text().replace("### END SOLUTION", "### END SOLUTION ", 1))
    assert main(["--check", name], root=tmp_path) == 1
    assert "make solutions && make exercises" in capsys.readouterr().err
    assert main([name], root=tmp_path) == 0
    assert path.read_bytes() == author.target(name).read_bytes()


# --- what every exercise shares: the course environment and the hidden-test helpers ---------------

HIDDEN = re.compile(r"^### BEGIN HIDDEN TESTS\n(.*?)^### END HIDDEN TESTS", re.S | re.M)
CHAPTER_REF = re.compile(r'\(chapter (\d+), "([^"]+)"\)')
#: Helpers of nnlib.testing that replaced code copied from cell to cell in the hidden tests.
SHARED_HELPERS = ("tensorflow_derivative", "keras_dense", "keras_optimizer_steps", "keras_metric")


def _hidden_blocks():
    """``(assignment, grade_id, code)`` of every hidden-test block in the authoring sources."""
    for name in SOURCES:
        for cell in author.source(name).CELLS:
            for block in HIDDEN.findall(cell.source):
                yield name, cell.metadata["nbgrader"]["grade_id"], block


@pytest.mark.parametrize("assignment", SOURCES)
def test_setup_cell_starts_with_the_course_environment(assignment):
    cells = author.source(assignment).CELLS
    setup = next(c for c in cells if c.cell_type == "code")
    meta = setup.metadata["nbgrader"]
    assert meta["grade_id"] == "setup" and meta["locked"] and not meta["grade"] \
        and not meta["solution"], "the first code cell is the locked setup cell"
    first = [ast.unparse(node) for node in ast.parse(setup.source).body[:2]]
    assert first == ["from nnlib import course", "course.setup()"], \
        "the setup cell starts with `from nnlib import course` and `course.setup()`, before " \
        "anything can import TensorFlow"
    for cell in cells:
        for copied in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "filterwarnings"):
            assert copied not in cell.source, \
                f"{cell.metadata['nbgrader']['grade_id']}: {copied} is nnlib.course's business"


def test_hidden_tests_share_helpers_instead_of_copying_them():
    definitions: dict[str, list[str]] = {}
    for name, gid, block in _hidden_blocks():
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                body = ast.dump(ast.Module(body=node.body, type_ignores=[]))
                definitions.setdefault(body, []).append(f"{name}/{gid}: {node.name}")
    copies = [places for places in definitions.values() if len(places) > 1]
    assert not copies, ("the same helper is defined in several hidden tests; put it once in "
                        f"nnlib/testing.py and call it as T.<name>: {copies}")


def _headings(chapter: int) -> set[str]:
    [path] = (REPO / "book" / "chapters").glob(f"ch{chapter:02d}_*.md")
    return {line.lstrip("#").strip() for line in path.read_text().splitlines()
            if line.startswith(("## ", "### "))}


@pytest.mark.parametrize("helper", SHARED_HELPERS)
def test_shared_helper_is_used_and_names_its_chapter_sections(helper):
    from nnlib import testing

    doc = " ".join((inspect.getdoc(getattr(testing, helper)) or "").split())
    refs = CHAPTER_REF.findall(doc)
    assert refs, f'nnlib.testing.{helper} names no (chapter N, "Section title")'
    for chapter, title in refs:
        assert title in _headings(int(chapter)), \
            f"{helper}: chapter {chapter} has no section {title!r} (## or ### heading)"
    users = [f"{name}/{gid}" for name, gid, block in _hidden_blocks() if f"T.{helper}(" in block]
    assert users, f"no hidden test calls T.{helper}"


@pytest.mark.parametrize("assignment", assignments())
def test_test_cells_can_be_replayed_by_the_grader(assignment):
    """grading/replay.py runs the read-only and test cells again outside the student's kernel:
    they must be plain Python (no IPython magics), and read-only cells must not call a student
    function (only test cells are recorded)."""
    import nbformat

    from grading.replay import is_readonly_code, is_test, student_names

    nb = nbformat.read(next((REPO / "solutions" / assignment).glob("*.ipynb")), as_version=4)
    names = set(student_names(nb))
    assert names, "the answer cells define the functions the tests call"
    for cell in nb.cells:
        if not (is_test(cell) or is_readonly_code(cell)):
            continue
        gid = cell.metadata["nbgrader"]["grade_id"]
        tree = ast.parse(cell.source)  # a magic (%…, !…) would be a SyntaxError here
        if is_readonly_code(cell):
            called = {n.func.id for n in ast.walk(tree)
                      if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
            assert not called & names, f"{gid} calls {called & names} outside a test cell"
