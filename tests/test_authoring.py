"""The exercises' authoring sources (tools/author/) reproduce the committed solutions/ notebooks.

Fast (no nbgrader, no TensorFlow): each source is written into a temporary folder and compared with
solutions/<assignment>/<notebook>.ipynb byte for byte, so a notebook edited by hand — or a source
edited without regenerating — fails here with the cell and line that differ.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grading.course import REPO, assignments
from tools import author

SOURCES = author.assignments()


def test_every_assignment_has_one_authoring_source():
    assert SOURCES == assignments(), (
        f"solutions/ has {assignments()}, tools/author/ has sources for {SOURCES}: every assignment "
        "is written by tools/author/<assignment>.py (see CONTRIBUTING.md)")
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
