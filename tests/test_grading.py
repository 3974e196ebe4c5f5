"""The grading pipeline, end to end with nbgrader, for every exercise in solutions/.

Per assignment, on a temporary course folder: generate the release (and check it matches the
committed exercises/), autograde the reference solution, the untouched release, a "noisy" reference
and every typical submission in tests/submissions/<assignment>.py, then check each graded cell's
score and the hints students see, the exported CSV, and `nbgrader validate` as students run it.
"""
from __future__ import annotations

import html
import importlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from grading.course import REPO, Course, assignments, fill, points, reference_answers
from grading.spec import BLANK, Submission

pytestmark = pytest.mark.slow

ASSIGNMENTS = assignments()

# Appended to the reference answers: TensorFlow imported (its C++ banners), a library warning, a
# numpy RuntimeWarning. None of it may cost a point.
NOISE = (
    "\nimport warnings as _w\nimport tensorflow as _tf\n"
    "_w.warn('a library deprecation warning', DeprecationWarning)\n"
    "_w.warn('a library user warning', UserWarning)\n"
    "_ = np.log(np.zeros(1))\n"
)


def spec(assignment: str):
    return importlib.import_module(f"tests.submissions.{assignment}")


@dataclass
class Graded:
    course: Course
    assignment: str
    notebook: str
    points: dict[str, float]
    submissions: dict[str, Submission]

    def results(self, student: str):
        return self.course.results(student, self.assignment, self.notebook)


def pytest_generate_tests(metafunc):
    """test_typical_submission: one test per submission of the class's assignment."""
    if "case" in metafunc.fixturenames:
        names = [s.name for s in spec(metafunc.cls.ASSIGNMENT).SUBMISSIONS]
        metafunc.parametrize("case", names, ids=names)


_GRADED: dict[str, Graded] = {}


@pytest.fixture(scope="class")
def graded(request, tmp_path_factory) -> Graded:
    """Autograde every submission of the class's assignment once (one nbgrader run) per session."""
    assignment = request.cls.ASSIGNMENT
    if assignment not in _GRADED:
        _GRADED[assignment] = grade(assignment, tmp_path_factory)
    return _GRADED[assignment]


def grade(assignment: str, tmp_path_factory) -> Graded:
    """Generate, submit every typical submission plus reference/release/noisy, autograde."""
    module = spec(assignment)
    course = Course.scratch(tmp_path_factory.mktemp(assignment), [assignment])
    course.generate(assignment)
    release = course.release(assignment, module.NOTEBOOK)
    reference = reference_answers(course.source(assignment, module.NOTEBOOK))
    submissions = {s.name: s for s in module.SUBMISSIONS}
    for sub in submissions.values():
        answers = {**reference, **sub.answers}
        answers = {k: v for k, v in answers.items() if v != BLANK}
        course.submit(sub.name, assignment, module.NOTEBOOK, fill(release, answers))
    course.submit("reference", assignment, module.NOTEBOOK, fill(release, reference))
    course.submit("release", assignment, module.NOTEBOOK, release)
    noisy = {k: v + NOISE for k, v in reference.items()}
    course.submit("noisy_reference", assignment, module.NOTEBOOK, fill(release, noisy))
    course.autograde(assignment)
    # nbgrader 0.9's --student takes one student id: one generate_feedback run per student
    for name in ["reference"] + [s.name for s in module.SUBMISSIONS if s.hints][:1]:
        course.nbgrader("generate_feedback", assignment, "--force", f"--student={name}")
    return Graded(course, assignment, module.NOTEBOOK, points(release), submissions)


def _explain(results) -> str:
    return "\n".join(f"--- {gid}: {r.score}/{r.max_score}\n{r.output[-1500:]}"
                     for gid, r in results.items())


class GradingChecks:
    """The checks of one assignment; a ``Test…`` subclass per assignment below, so that
    ``pytest --dist loadscope`` sends each assignment (one autograde run) to one worker."""

    ASSIGNMENT = ""

    def test_release_is_committed_and_current(self, graded: Graded):
        """exercises/ is exactly what `nbgrader generate_assignment` makes from solutions/."""
        generated = graded.course.root / "exercises" / graded.assignment
        committed = REPO / "exercises" / graded.assignment
        names = sorted(p.name for p in generated.iterdir())
        assert names == sorted(p.name for p in committed.iterdir()), "run `make exercises`"
        for name in names:
            a, b = (generated / name).read_bytes(), (committed / name).read_bytes()
            if name.endswith(".ipynb"):
                a, b = json.loads(a), json.loads(b)
            assert a == b, f"exercises/{graded.assignment}/{name} is stale: run `make exercises`"


    def test_release_has_no_solutions_or_hidden_tests(self, graded: Graded):
        text = (REPO / "exercises" / graded.assignment / graded.notebook).read_text()
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "assert_own_work"):
            assert marker not in text
        source = (REPO / "solutions" / graded.assignment / graded.notebook).read_text()
        nb = nbformat.reads(source, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
            "solutions/ notebooks are stored without outputs"


    def test_reference_scores_full_marks(self, graded: Graded):
        results = graded.results("reference")
        assert set(results) == set(graded.points)
        assert all(r.score == r.max_score for r in results.values()), _explain(results)
        assert sum(r.max_score for r in results.values()) > 0


    def test_untouched_release_scores_zero(self, graded: Graded):
        results = graded.results("release")
        assert all(r.score == 0 for r in results.values()), _explain(results)


    def test_feedback_keeps_scores_and_hints_but_not_the_hidden_tests(self, graded: Graded):
        """What a student reads after grading: the score, the failing check and its hint; never a
        line of the hidden tests (seeds, shapes, Keras reference code)."""
        source = (REPO / "solutions" / graded.assignment / graded.notebook).read_text()
        released = (REPO / "exercises" / graded.assignment / graded.notebook).read_text()
        visible = {line.strip() for c in nbformat.reads(released, 4).cells
                   for line in c.source.splitlines()}
        # lines only the hidden tests have (a call's continuation line may appear in both)
        hidden = [line.strip() for block in re.findall(
            r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS",
            "\n".join(c.source for c in nbformat.reads(source, 4).cells), re.S)
            for line in block.splitlines() if len(line.strip()) > 30 and line.strip() not in visible]
        assert hidden, "the exercise has hidden tests"
        pages = sorted((graded.course.root / "feedback").glob(f"*/{graded.assignment}/*.html"))
        assert len(pages) == 2, pages
        for page in pages:
            text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
            assert "HIDDEN TESTS" not in text and "assert_own_work" not in text, page
            leaked = [line for line in hidden if line in text]
            assert not leaked, f"{page}: hidden test lines in the feedback: {leaked[:3]}"
            assert "Score:" in text or "Points" in text or "/" in text
        typical = next(s for s in graded.submissions.values() if s.hints)
        page = graded.course.root / "feedback" / typical.name / graded.assignment / \
            graded.notebook.replace(".ipynb", ".html")
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        for hint in typical.hints.values():
            assert hint.lower() in text.lower(), f"{typical.name}: the hint {hint!r} is missing"

    def test_noise_on_stderr_costs_nothing(self, graded: Graded):
        """TensorFlow's banners and Python warnings in answer cells: still full marks."""
        results = graded.results("noisy_reference")
        assert all(r.score == r.max_score for r in results.values()), _explain(results)
        assert not any("[stderr]" in r.output for r in results.values()), _explain(results)


    def test_typical_submission(self, graded: Graded, case: str):
        """Each typical wrong submission scores exactly what it should and sees its hint."""
        name = case
        sub = graded.submissions[name]
        unknown = set(sub.scores) | set(sub.hints)
        assert unknown <= set(graded.points), f"unknown graded cells {unknown - set(graded.points)}"
        results = graded.results(name)
        for gid, res in results.items():
            expected = sub.scores.get(gid, graded.points[gid])
            assert not math.isnan(res.score), f"{name}: {gid} was not graded\n{_explain(results)}"
            assert res.score == expected, \
                f"{name} ({sub.why}): {gid} scored {res.score}, expected {expected}\n{_explain(results)}"
        for gid, hint in sub.hints.items():
            assert hint.lower() in results[gid].output.lower(), \
                f"{name}: the output of {gid} should mention {hint!r}:\n{results[gid].output}"


    def test_exported_csv_carries_the_scores(self, graded: Graded):
        rows = {r["student_id"]: r for r in graded.course.export() if r["assignment"] == graded.assignment}
        total = sum(graded.points.values())
        assert float(rows["reference"]["score"]) == total
        assert float(rows["reference"]["max_score"]) == total
        assert float(rows["release"]["score"]) == 0
        for name, sub in graded.submissions.items():
            expected = sum(sub.scores.get(g, p) for g, p in graded.points.items())
            assert float(rows[name]["score"]) == expected, name


    def test_students_validate_is_quiet_and_truthful(self, graded: Graded):
        """`nbgrader validate`, what the Validate button runs: passes the noisy reference, not the release."""
        root = graded.course.root
        ok = graded.course.nbgrader("validate", str(root / "submitted" / "noisy_reference" /
                                                    graded.assignment / graded.notebook), check=False)
        assert "Success! Your notebook passes all the tests." in ok.stdout, ok.stdout + ok.stderr
        bad = graded.course.nbgrader("validate", str(root / "submitted" / "release" /
                                                     graded.assignment / graded.notebook), check=False)
        assert "Success!" not in bad.stdout
        assert "NotImplementedError" in bad.stdout


for _name in ASSIGNMENTS:  # TestCh01Neurons, TestCh02Activations, …
    _cls = "Test" + "".join(part.capitalize() for part in _name.split("_"))
    globals()[_cls] = type(_cls, (GradingChecks,), {"ASSIGNMENT": _name})
