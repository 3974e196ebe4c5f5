"""Drive nbgrader on a course folder: generate, submit, autograde, read scores and outputs."""
from __future__ import annotations

import copy
import csv
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import nbformat

from nnlib.course import TF_ENVIRONMENT

REPO = Path(__file__).resolve().parent.parent
SOLUTION_BLOCK = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)

#: Environment every nbgrader run (and so every grading kernel) gets: no TensorFlow banners
#: (``nnlib.course.TF_ENVIRONMENT``) and no Python warnings, which would reach stderr.
QUIET_ENV = {**TF_ENVIRONMENT, "PYTHONWARNINGS": "ignore"}


def assignments() -> list[str]:
    """The assignments in solutions/, e.g. ``["ch01_neurons", ...]``."""
    return sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir()
                  and any(p.glob("*.ipynb")))


def grade_ids(nb: nbformat.NotebookNode, *, graded: bool = False, solution: bool = False) -> list[str]:
    """grade_ids of the graded cells (``graded=True``) or the answer cells (``solution=True``)."""
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if (graded and meta.get("grade")) or (solution and meta.get("solution")):
            out.append(meta["grade_id"])
    return out


def points(nb: nbformat.NotebookNode) -> dict[str, float]:
    """``{grade_id: points}`` of the graded cells."""
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"].get("points", 0))
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


def reference_answers(source_nb: nbformat.NotebookNode) -> dict[str, str]:
    """The reference code of every answer cell, without the BEGIN/END SOLUTION markers."""
    return {c.metadata["nbgrader"]["grade_id"]: SOLUTION_BLOCK.sub("", c.source)
            for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def fill(release_nb: nbformat.NotebookNode, answers: Mapping[str, str]) -> nbformat.NotebookNode:
    """A copy of the release notebook with answer cells replaced by ``answers[grade_id]``."""
    nb = copy.deepcopy(release_nb)
    known = set(grade_ids(nb, solution=True))
    unknown = set(answers) - known
    if unknown:
        raise KeyError(f"no answer cells {sorted(unknown)}; the notebook has {sorted(known)}")
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


@dataclass
class CellResult:
    """One graded cell of one autograded notebook."""

    score: float
    max_score: float
    output: str  # text of everything the cell printed, including error messages


class Course:
    """An nbgrader course folder (nbgrader_config.py at its root, sources in solutions/)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def scratch(cls, where: Path, names: list[str] | None = None) -> "Course":
        """A fresh course folder under ``where`` with the repository's config and sources."""
        root = Path(where) / "course"
        root.mkdir(parents=True)
        shutil.copy(REPO / "nbgrader_config.py", root)
        for name in names or assignments():
            shutil.copytree(REPO / "solutions" / name, root / "solutions" / name)
        return cls(root)

    def env(self) -> dict[str, str]:
        env = {**os.environ, **QUIET_ENV}
        # nbgrader runs `alembic` from PATH: put this interpreter's bin/ (the venv) first
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        # nbgrader_config.py loads the course's grading preprocessors from this repository
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
        return env

    def nbgrader(self, *args: str, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess:
        """Run ``nbgrader <args>`` in the course folder (its exit code is not a verdict)."""
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root,
                              env=self.env(), capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise RuntimeError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n"
                               f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
        return proc

    def generate(self, assignment: str) -> None:
        """``nbgrader generate_assignment``: the release in exercises/ and the gradebook."""
        self.nbgrader("generate_assignment", assignment, "--force", "--create")

    def source(self, assignment: str, notebook: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "solutions" / assignment / notebook, as_version=4)

    def release(self, assignment: str, notebook: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "exercises" / assignment / notebook, as_version=4)

    def submit(self, student: str, assignment: str, notebook: str,
               nb: nbformat.NotebookNode | str | bytes) -> Path:
        """Place a submission in submitted/<student>/<assignment>/ (a notebook or raw text)."""
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / notebook
        if isinstance(nb, (str, bytes)):
            path.write_bytes(nb.encode() if isinstance(nb, str) else nb)
        else:
            nbformat.write(nb, path)
        return path

    def autograde(self, assignment: str, *students: str) -> subprocess.CompletedProcess:
        """``nbgrader autograde``; exits 1 when any submission could not be graded."""
        args = ["autograde", assignment, "--create", "--force"]
        for student in students:
            args.append(f"--student={student}")
        return self.nbgrader(*args, check=False)

    def results(self, student: str, assignment: str, notebook: str) -> dict[str, CellResult]:
        """Scores (from the gradebook) and outputs (from the autograded notebook) per graded cell."""
        from nbgrader.api import Gradebook

        path = self.root / "autograded" / student / assignment / notebook
        graded = nbformat.read(path, as_version=4) if path.exists() else None
        outputs = {}
        if graded is not None:
            for cell in graded.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid and cell.cell_type == "code":
                    outputs[gid] = _output_text(cell)
        out: dict[str, CellResult] = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            nb_name = Path(notebook).stem
            for cell in self.source(assignment, notebook).cells:
                meta = cell.metadata.get("nbgrader", {})
                if not meta.get("grade"):
                    continue
                gid = meta["grade_id"]
                try:
                    grade = gb.find_grade(gid, nb_name, assignment, student)
                    score = float(grade.score)
                except Exception:
                    score = float("nan")  # not graded (e.g. the notebook could not be read)
                out[gid] = CellResult(score, float(meta.get("points", 0)), outputs.get(gid, ""))
        return out

    def export(self) -> list[dict[str, str]]:
        """``nbgrader export`` to grades.csv; returns its rows."""
        self.nbgrader("export", "--to", str(self.root / "grades.csv"))
        with open(self.root / "grades.csv", newline="") as f:
            return list(csv.DictReader(f))

    def feedback(self, assignment: str) -> None:
        """``nbgrader generate_feedback``: HTML reports under feedback/."""
        self.nbgrader("generate_feedback", assignment, "--force")


def _output_text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(f"[{out.name}] {out.text}")
        elif out.output_type == "error":
            parts.append(f"[error] {out.ename}: {out.evalue}\n" + "\n".join(out.traceback))
        elif "text/plain" in out.get("data", {}):
            parts.append(out.data["text/plain"])
    return _strip_ansi("\n".join(parts))


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
