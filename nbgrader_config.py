"""nbgrader configuration of the course (nbgrader 0.9).

solutions/ is nbgrader's source directory (reference notebooks with hidden tests), exercises/ the
release students work in. Instructors grade in this folder with `make grade` (or the plain
`nbgrader autograde` / `generate_feedback` / `export` commands); see README.md.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
if os.path.isdir(os.path.join(here, "grading")) and here not in sys.path:
    sys.path.insert(0, here)  # the course's grading package, also for the `nbgrader` script

try:
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests,
                                        GetGrades, IgnorePattern, LimitOutput, SaveAutoGrades)

    from grading.preprocessors import RecordingExecute, TrustedVerdicts
    from nnlib.course import quiet_tensorflow
except ImportError as err:  # traitlets would only log it and run nbgrader without this file
    raise SystemExit(f"nbgrader_config.py needs nnlib and grading/ (`make venv`): {err}") from err

# Kernels inherit this environment. TensorFlow's C++ logging and oneDNN banner, and Python
# warnings, would otherwise reach stderr, and nbgrader scores a grade cell 0 when anything does.
quiet_tensorflow()  # nnlib.course.TF_ENVIRONMENT, the course's one copy of TensorFlow's settings
os.environ.setdefault("PYTHONWARNINGS", "ignore")  # kernels, from their start

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.root = here
c.CourseDirectory.course_id = "nn-in-python"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")

# Per cell. A student's infinite loop costs the cells that call it, nothing else.
c.Execute.timeout = 20
c.Execute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    # Leave C-level stdout/stderr alone: the TensorFlow runtime writes there directly.
    "--IPKernelApp.capture_fd_output=False",
]

# Autograde: the kernel runs in a sandbox (grading/sandbox.py) and records what the student's
# functions returned; the test cells are then replayed here, where student code never ran
# (grading/replay.py), and only that verdict is scored. `make grade UNSANDBOXED=1` sets
# NNGRADE_UNSANDBOXED=1 to grade without the sandbox, on purpose (the verdicts stay trusted).
c.Autograde.autograde_preprocessors = [
    RecordingExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, TrustedVerdicts,
    SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]
c.RecordingExecute.sandboxed = os.environ.get("NNGRADE_UNSANDBOXED") != "1"

# Feedback shows the student's code, the scores, the failures and hints, never the hidden tests'
# source (seeds, shapes, the Keras reference code): those regions are cut as in the release.
c.GenerateFeedback.preprocessors = [ClearHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Releases carry no outputs; sources in solutions/ are stored without outputs too.
c.ClearOutput.enabled = True
