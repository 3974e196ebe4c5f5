"""The instructor's flow (`make grade`) and the student's Validate button, end to end."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from grading.__main__ import main as grade_main
from grading.audit import audit_cell
from grading.course import REPO, Course, fill, reference_answers

ASSIGNMENT, NOTEBOOK = "ch01_neurons", "neurons_and_layers.ipynb"

TAMPER = '''
import numpy as np
np.allclose = lambda *a, **k: True
ip = get_ipython()
ip.input_transformers_post.append(lambda lines: ["pass\\n"])
hidden = open("../../../solutions/ch01_neurons/neurons_and_layers.ipynb").read()
def neuron(x, w, b, activation=identity):
    return 0.0
'''


@pytest.mark.parametrize("code, expected", [
    ("np.allclose = lambda *a, **k: True", "reassigns np.allclose"),
    ("import numpy\nnumpy.testing.assert_allclose = print", "reassigns numpy.testing.assert_allclose"),
    ("get_ipython().input_transformers_post.append(f)", "input_transformers_post"),
    ("import sys\nsys.setprofile(None)", "sys.setprofile"),
    ("setattr(T, 'check_array', print)", "setattr()"),
    ("T = None", "rebinds 'T'"),
    ("def sigmoid(z):\n    return z", "rebinds 'sigmoid'"),
    ("open('/course/gradebook.db').read()", "grading files"),
    ("import builtins\nbuiltins.abs = lambda x: 0", "imports builtins"),
    ("exec('x = 1')", "exec()"),
    ("t = T\nt.check_array = lambda *a, **k: None", "reassigns t.check_array"),
    ("import nnlib.testing as tt\ntt.check_scalar = print", "reassigns tt.check_scalar"),
    ("import sys\nsys.modules['nnlib.testing'].check_array = print", "sys.modules"),
    ("vars(T)['check_array'] = print", "vars()"),
    ("f = T.check_array\nf.__defaults__ = None", "reassigns f.__defaults__"),
    ("def g():\n    global T\n    T = None", "rebinds 'T'"),
    ("from nnlib import testing\ntesting._setprofile(None)", "private name"),
])
def test_audit_flags_tampering(code, expected):
    findings = audit_cell(code, protected_names={"T", "sigmoid", "np"})
    assert any(expected in what for _, what in findings), findings


@pytest.mark.parametrize("code", [
    "def dense_forward(X, W, b, activation=identity):\n    return activation(X @ W + b)\n",
    "import numpy as np\nz = np.dot(w, x) + b\nresult = {'a': 1}\nresult['a'] = 2\n",
    "%timeit 1 + 1\nvalues = [1, 2]\nvalues[0] = 3\n",
    "def f(n, y, grad):\n    grad[np.arange(n), y] -= 1\n    return grad\n",
    "def f(T, sigmoid):\n    T = np.asarray(T)\n    sigmoid = 1\n    return T\n",
    "model = keras.Sequential()\nmodel.trainable = False\nA = np.zeros(3)\nA.shape = (3, 1)\n",
    "squares = [np for np in range(3)]\n",
])
def test_audit_leaves_honest_code_alone(code):
    assert audit_cell(code, protected_names={"T", "sigmoid", "np"}) == []


@pytest.mark.slow
def test_make_grade_grades_exports_gives_feedback_and_flags_tampering(tmp_path, capsys):
    course = Course.scratch(tmp_path, [ASSIGNMENT])
    shutil.copytree(REPO / "exercises" / ASSIGNMENT, course.root / "exercises" / ASSIGNMENT)
    release = nbformat.read(REPO / "exercises" / ASSIGNMENT / NOTEBOOK, as_version=4)
    reference = reference_answers(nbformat.read(REPO / "solutions" / ASSIGNMENT / NOTEBOOK, 4))
    course.submit("alice", ASSIGNMENT, NOTEBOOK, fill(release, reference))
    course.submit("bob", ASSIGNMENT, NOTEBOOK, release)
    course.submit("mallory", ASSIGNMENT, NOTEBOOK, fill(release, {**reference, "neuron": TAMPER}))
    course.submit("eve", ASSIGNMENT, NOTEBOOK, "{ this is not json")

    code = grade_main([ASSIGNMENT], root=course.root)
    out = capsys.readouterr().out

    assert code == 1, "eve's unreadable notebook makes nbgrader fail; make grade reports it"
    grades = {r["student_id"]: r for r in course.export()}
    assert float(grades["alice"]["score"]) == 10.0
    assert float(grades["bob"]["score"]) == 0.0
    assert (course.root / "feedback" / "alice" / ASSIGNMENT / "neurons_and_layers.html").exists()
    audit = (course.root / "audit.csv").read_text()
    assert "mallory" in audit and "alice" not in audit and "bob" not in audit
    for what in ("reassigns np.allclose", "input_transformers_post", "grading files"):
        assert what in audit
    assert "eve" in audit and "unreadable notebook" in audit
    mallory_line = next(line for line in out.splitlines() if line.startswith("mallory"))
    assert mallory_line.rstrip().endswith("REVIEW")
    assert "WARNING" not in out, "the committed release matches solutions/"


def _answers(url: str) -> bool:
    """Whether ``url`` answers 2xx within a few seconds."""
    try:
        urllib.request.urlopen(url, timeout=5)
        return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_validate_button_endpoint_passes_reference_and_explains_failures(tmp_path):
    """What JupyterLab's Validate button calls: nbgrader's server extension, POST /assignments/validate."""
    course = Course.scratch(tmp_path, [ASSIGNMENT])
    work = course.root / "exercises" / ASSIGNMENT
    shutil.copytree(REPO / "exercises" / ASSIGNMENT, work)
    release = nbformat.read(work / NOTEBOOK, as_version=4)
    reference = reference_answers(nbformat.read(REPO / "solutions" / ASSIGNMENT / NOTEBOOK, 4))
    noisy = {k: v + "\nimport tensorflow\nimport warnings\nwarnings.warn('noise')\n"
             for k, v in reference.items()}
    nbformat.write(fill(release, noisy), work / "done.ipynb")
    wrong = {**reference, "dense_forward": "def dense_forward(X, W, b, activation=identity):\n"
                                           "    return activation(X @ W)\n"}
    nbformat.write(fill(release, wrong), work / "wrong.ipynb")

    port, token, log = _free_port(), "course-test-token", tmp_path / "jupyter.log"
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
           # the scratch course's nbgrader_config.py loads grading/ from this repository
           "PYTHONPATH": str(REPO)}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the server must get quiet kernels from nbgrader_config.py
    env.pop("TF_ENABLE_ONEDNN_OPTS", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip", "127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", "--allow-root",
         "--ServerApp.root_dir=exercises"],
        cwd=course.root, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    try:
        base = f"http://127.0.0.1:{port}"
        status = f"{base}/api/status?token={token}"
        for _ in range(240):
            if _answers(status) or server.poll() is not None:
                break
            time.sleep(0.5)
        if not _answers(status):
            pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")

        def validate(path: str) -> dict:
            request = urllib.request.Request(
                f"{base}/assignments/validate", data=json.dumps({"path": path}).encode(),
                headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
            return json.loads(urllib.request.urlopen(request, timeout=300).read())

        done = validate(f"{ASSIGNMENT}/done.ipynb")
        assert done["success"], done
        assert not done["value"].get("failed") and not done["value"].get("errored"), done["value"]
        wrong_result = validate(f"{ASSIGNMENT}/wrong.ipynb")
        failed = json.dumps(wrong_result["value"])
        assert "the bias b is missing" in failed, failed
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_jupyterlab_has_the_nbgrader_extension_for_validate():
    proc = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"],
                          capture_output=True, text=True, timeout=120)
    listing = proc.stdout + proc.stderr
    line = next((ln for ln in listing.splitlines() if "@jupyter/nbgrader" in ln), "")
    assert "enabled" in line and "OK" in line, listing
