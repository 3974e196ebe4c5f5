"""Grading an instructor can trust: submissions written as a student trying to cheat would.

One class of exercise 1 is graded with `make grade` (sandboxed kernels, verdicts replayed outside
them): the reference and the untouched release graded before and after every attacker, each attack
with the exact score it must get, the gradebook intact, a correct but unusual submission at full
marks, the audit flagging the tampering ones in grades.csv and nothing in honest code.
"""
from __future__ import annotations

import asyncio
import csv
import importlib
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from grading import sandbox as sb
from grading.__main__ import main as grade_main
from grading.audit import audit_notebook
from grading.course import REPO, Course, assignments, fill, reference_answers

pytestmark = pytest.mark.slow

ASSIGNMENT, NOTEBOOK = "ch01_neurons", "neurons_and_layers.ipynb"
FULL = {"test_neuron": 2.0, "test_dense_forward": 4.0, "test_count_params": 2.0,
        "test_network_forward": 2.0}
ZERO = {k: 0.0 for k in FULL}

WRONG = {  # wrong answers: what an attacker hopes the tampering turns into points
    "neuron": "def neuron(x, w, b, activation=identity):\n    return 0.0\n",
    "dense_forward": "def dense_forward(X, W, b, activation=identity):\n    return 0.0\n",
    "count_params": "def count_params(layer_sizes):\n    return 0\n",
    "network_forward": "def network_forward(X, weights, activations):\n    return 0.0\n",
}


@dataclass(frozen=True)
class Attack:
    name: str
    code: str  # put before the (wrong or reference) answer of ``cell``
    scores: dict[str, float]
    cell: str = "neuron"
    correct: bool = False  # the answers are the reference's (else WRONG's)
    flagged: bool = True  # the static audit must mark it for review
    answers: dict[str, str] = field(default_factory=dict)  # extra answer overrides


def attacks(root: Path) -> list[Attack]:
    return [
        Attack("gradebook_writer", f'''
import sqlite3, glob, os
for _path in [{str(root / "gradebook.db")!r}] + glob.glob("../../../gradebook.db"):
    try:
        _db = sqlite3.connect(_path)
        _db.execute("UPDATE grade SET manual_score = 100")
        _db.commit()
    except Exception as _err:
        print("could not write the gradebook:", _err)
''', ZERO),
        Attack("patches_helpers", "T.check_scalar = T.check_array = lambda *a, **k: None\n", ZERO),
        Attack("patches_helpers_through_alias",
               "t = T\nt.check_array = t.check_scalar = lambda *a, **k: None\n"
               "t.assert_own_work = lambda f, *a, name=None, **k: f(*a, **k)\n", ZERO),
        Attack("patches_through_module_dicts", '''
import sys
sys.modules["nnlib.testing"].__dict__["check_array"] = lambda *a, **k: None
vars(sys.modules["nnlib.testing"])["check_scalar"] = lambda *a, **k: None
np.allclose = lambda *a, **k: True
''', ZERO),
        Attack("blanks_tests_with_ipython_hooks", '''
_ip = get_ipython()
_ip.input_transformers_cleanup.append(lambda lines: ["pass\\n"] if any("check" in l for l in lines) else lines)
_ip.events.register("post_run_cell", lambda result: display(1.0))
''', ZERO, correct=True),
        Attack("delegates_with_the_tracer_switched_off", '''
import sys
def _quiet(f):
    def inner(*a, **k):
        saved = sys.getprofile()
        sys.setprofile(None)
        try:
            return f(*a, **k)
        finally:
            sys.setprofile(saved)
    return inner
''', {**FULL, "test_dense_forward": 0.0, "test_network_forward": 0.0}, cell="dense_forward",
               correct=True, answers={"dense_forward": '''
import sys
from nnlib.testing import keras_dense
def _quiet(f):
    def inner(*a, **k):
        saved = sys.getprofile()
        sys.setprofile(None)
        try:
            return f(*a, **k)
        finally:
            sys.setprofile(saved)
    return inner
@_quiet
def dense_forward(X, W, b, activation=identity):
    import keras
    layer = keras.layers.Dense(np.shape(W)[1])
    layer.build((None, np.shape(W)[0]))
    layer.set_weights([np.asarray(W, "float32"), np.asarray(b, "float32")])
    return activation(np.asarray(layer(np.asarray(X, "float32")), dtype=float))
'''}),
        Attack("reads_the_hidden_tests_or_maps_16_GB", "", {**FULL, "test_neuron": 0.0},
               correct=True, answers={"neuron": f'''
try:
    _hidden = open({str(root / "solutions" / ASSIGNMENT / NOTEBOOK)!r}).read()
except OSError:
    _hidden = None
try:
    _big = np.empty(2 * 2**30, dtype=np.float64)  # 16 GB of address space, never touched
except MemoryError:
    _big = None
def neuron(x, w, b, activation=identity):
    if _hidden is None and _big is None:
        return 0.0  # right only where the solutions are readable or memory unlimited
    return float(activation(np.dot(w, x) + b))
'''}),
        Attack("exits_the_kernel", "import os\nos._exit(0)\n",
               {**FULL, "test_dense_forward": 0.0, "test_count_params": 0.0,
                "test_network_forward": 0.0}, cell="dense_forward", correct=True),
        Attack("hangs_and_ignores_the_interrupt", '''
import time
def _stubborn():
    while True:
        try:
            time.sleep(0.2)
        except KeyboardInterrupt:
            pass
_stubborn()
''', {**FULL, "test_dense_forward": 0.0, "test_count_params": 0.0, "test_network_forward": 0.0},
               cell="dense_forward", correct=True, flagged=False),
        Attack("floods_output_deletes_files_writes_huge_files", '''
import os, shutil
for _i in range(3000):
    print("x" * 1000)
for _p in os.listdir("."):
    shutil.rmtree(_p, ignore_errors=True) if os.path.isdir(_p) else os.remove(_p)
try:
    with open("big.bin", "wb") as _f:
        _f.write(b"0" * (300 * 2**20))
except OSError as _err:
    print("the write failed:", _err)
''', FULL, correct=True, flagged=False),
    ]


UNUSUAL = {  # correct, written differently: extra cells' worth of prints, helpers, loops
    "neuron": '''
print("working on neuron")
def _weighted_sum(values, weights):
    total = 0.0
    for v, wt in zip(values, weights):
        total += v * wt
    return total
def neuron(inputs, weights, bias, activation=identity):
    s = _weighted_sum(np.ravel(inputs), np.ravel(weights)) + bias
    print("debug: sum =", s)
    return float(activation(np.array(s)))
''',
    "dense_forward": '''
def dense_forward(X, W, b, activation=identity):
    X = np.asarray(X, dtype=float)
    rows = [np.einsum("i,ij->j", x, np.asarray(W, dtype=float)) for x in X]
    return activation(np.stack(rows) + b)
''',
    "count_params": '''
def count_params(layer_sizes):
    total = 0
    for i in range(1, len(layer_sizes)):
        total += (int(layer_sizes[i - 1]) + 1) * int(layer_sizes[i])
    return total
''',
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One `make grade` run over victims and attackers (student ids sort victims first and last)."""
    course = Course.scratch(tmp_path_factory.mktemp("trust"), [ASSIGNMENT])
    with open(course.root / "nbgrader_config.py", "a") as f:
        f.write("\nc.Execute.timeout = 10\nc.RecordingExecute.interrupt_grace = 3\n")
    shutil.copytree(REPO / "exercises" / ASSIGNMENT, course.root / "exercises" / ASSIGNMENT)
    release = nbformat.read(REPO / "exercises" / ASSIGNMENT / NOTEBOOK, as_version=4)
    reference = reference_answers(nbformat.read(REPO / "solutions" / ASSIGNMENT / NOTEBOOK, 4))
    for student in ("aaa_reference", "zzz_reference"):
        course.submit(student, ASSIGNMENT, NOTEBOOK, fill(release, reference))
    for student in ("aab_release", "zzy_release"):
        course.submit(student, ASSIGNMENT, NOTEBOOK, release)
    course.submit("unusual_but_correct", ASSIGNMENT, NOTEBOOK, fill(release, {**reference, **UNUSUAL}))
    plan = attacks(course.root)
    for attack in plan:
        answers = dict(reference if attack.correct else WRONG)
        answers[attack.cell] = attack.code + answers[attack.cell]
        answers.update(attack.answers)
        course.submit(attack.name, ASSIGNMENT, NOTEBOOK, fill(release, answers))
    code = grade_main([ASSIGNMENT], root=course.root)
    with open(course.root / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    return course, plan, code, rows


def scores(course: Course, student: str) -> dict[str, float]:
    return {gid: r.score for gid, r in course.results(student, ASSIGNMENT, NOTEBOOK).items()}


@pytest.mark.parametrize("name", [a.name for a in attacks(Path("/course"))])
def test_an_attack_scores_exactly_what_it_should(graded, name):
    course, plan, _, rows = graded
    attack = next(a for a in plan if a.name == name)
    got = scores(course, name)
    assert got == attack.scores, "\n".join(
        f"{gid}: {r.output[:400]}" for gid, r in course.results(name, ASSIGNMENT, NOTEBOOK).items())
    assert float(rows[name]["score"]) == sum(attack.scores.values())
    assert ("REVIEW" in rows[name]["review"]) == attack.flagged, rows[name]["review"]


def test_victims_graded_before_and_after_the_attackers_are_untouched(graded):
    course, _, _, rows = graded
    for student in ("aaa_reference", "zzz_reference", "unusual_but_correct"):
        assert scores(course, student) == FULL, student
        assert float(rows[student]["score"]) == 10.0 and rows[student]["review"] == ""
    for student in ("aab_release", "zzy_release"):
        assert scores(course, student) == ZERO, student
        assert float(rows[student]["score"]) == 0.0 and rows[student]["review"] == ""
    with sqlite3.connect(course.root / "gradebook.db") as db:
        assert db.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone() \
            == (0,), "nobody may have written a manual score"


def test_the_run_names_every_submission_it_could_not_grade_completely(graded):
    course, _, code, _ = graded
    assert code == 1  # some submissions were cut short; the others were graded
    for name in ("exits_the_kernel", "hangs_and_ignores_the_interrupt"):
        feedback = course.root / "feedback" / name / ASSIGNMENT / "neurons_and_layers.html"
        assert feedback.exists(), f"{name} gets feedback too"
    out = (course.root / "autograded" / "hangs_and_ignores_the_interrupt" / ASSIGNMENT / NOTEBOOK)
    text = out.read_text()
    assert "ignored the interrupt" in text, "the feedback says why the rest scored 0"


def test_feedback_shows_the_checkers_verdict_not_the_kernels(graded):
    course, _, _, _ = graded
    text = (course.root / "feedback" / "patches_helpers" / ASSIGNMENT /
            "neurons_and_layers.html").read_text()
    assert "returned wrong values" in text or "should" in text


def test_the_audit_flags_nothing_in_the_references_and_honest_typical_submissions(tmp_path):
    """No false positives: every reference solution and every typical submission that does not
    tamper (tests/submissions/, ``why`` without "patch") comes out unflagged."""
    for assignment in assignments():
        source_path = next((REPO / "solutions" / assignment).glob("*.ipynb"))
        source = nbformat.read(source_path, 4)
        release = nbformat.read(REPO / "exercises" / assignment / source_path.name, 4)
        reference = reference_answers(source)
        cases = {"reference": reference}
        spec = importlib.import_module(f"tests.submissions.{assignment}")
        for sub in spec.SUBMISSIONS:
            if "patch" not in sub.why:
                cases[sub.name] = {**reference, **{k: v for k, v in sub.answers.items()
                                                   if v != "<blank>"}}
        for name, answers in cases.items():
            path = tmp_path / f"{assignment}-{name}.ipynb"
            nbformat.write(fill(release, answers), path)
            assert audit_notebook(path, source, name, assignment) == [], (assignment, name)


def test_a_sandboxed_kernel_cannot_read_the_course_open_the_gradebook_or_the_network(tmp_path):
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    (course / "solutions" / "secret.txt").write_text("hidden tests")
    (course / "gradebook.db").write_bytes(b"SQLite format 3\x00")
    folder = course / "autograded" / "student" / "a1"
    folder.mkdir(parents=True)
    (folder / "notebook.ipynb").write_text("{}")
    probe = f'''
import os, socket
def attempt(f):
    try:
        f(); return "allowed"
    except Exception as err:
        return type(err).__name__
print({{
  "solutions": attempt(lambda: open({str(course / "solutions" / "secret.txt")!r}).read()),
  "repo solutions": attempt(lambda: os.listdir({str(REPO / "solutions")!r})),
  "gradebook": attempt(lambda: open({str(course / "gradebook.db")!r}, "rb").read()),
  "relative gradebook": attempt(lambda: open("../../../gradebook.db", "rb").read()),
  "socket": attempt(lambda: socket.create_connection(("127.0.0.1", 22), timeout=2)),
  "dns": attempt(lambda: socket.getaddrinfo("pypi.org", 443)),
  "write outside": attempt(lambda: open("/usr/x", "w")),
  "own notebook": attempt(lambda: open("notebook.ipynb").read()),
  "scratch": attempt(lambda: open("/tmp/x", "w").write("x")),
}})
'''
    result = asyncio.run(_run_in_sandbox(folder, probe))
    assert result == {"solutions": "FileNotFoundError", "repo solutions": "FileNotFoundError",
                      "gradebook": "FileNotFoundError", "relative gradebook": "FileNotFoundError",
                      "socket": "ConnectionRefusedError", "dns": "gaierror",
                      "write outside": "OSError", "own notebook": "allowed",
                      "scratch": "allowed"}, result


async def _run_in_sandbox(folder: Path, code: str) -> dict:
    import ast

    box = sb.Sandbox()
    box.prepare(folder)
    km = sb.SandboxKernelManager(kernel_name="python3")
    km.use_sandbox(box)
    try:
        await km.start_kernel(cwd=str(box.workdir))
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        msg_id = kc.execute(code)
        out = ""
        while True:
            msg = await kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out += msg["content"]["text"]
            elif msg["msg_type"] == "error":
                raise AssertionError(msg["content"])
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        kc.stop_channels()
        return ast.literal_eval(out.strip())
    finally:
        await km.shutdown_kernel(now=True)
        box.close()


def test_make_grade_stops_when_the_sandbox_cannot_start(tmp_path, monkeypatch, capsys):
    course = Course.scratch(tmp_path, [ASSIGNMENT])
    release = nbformat.read(REPO / "exercises" / ASSIGNMENT / NOTEBOOK, as_version=4)
    course.submit("alice", ASSIGNMENT, NOTEBOOK, release)

    def broken() -> None:
        raise sb.SandboxUnavailable("bwrap: No permissions to create new namespace")

    monkeypatch.setattr(sb, "check", broken)
    assert grade_main([ASSIGNMENT], root=course.root) == 2
    err = capsys.readouterr().err
    assert "cannot start the grading sandbox" in err and "UNSANDBOXED=1" in err
    assert "No permissions" in err
    assert not (course.root / "autograded").exists(), "nothing may be graded without the sandbox"
