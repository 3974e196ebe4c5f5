"""nbgrader configuration of the course (nbgrader 0.9).

solutions/ is nbgrader's source directory (reference notebooks with hidden tests), exercises/ the
release students work in. Instructors grade in this folder with `make grade` (or the plain
`nbgrader autograde` / `generate_feedback` / `export` commands); see README.md.
"""
import os

try:
    from nnlib.course import quiet_tensorflow
except ImportError as err:  # traitlets would only log it and run nbgrader without this file
    raise SystemExit(f"nbgrader_config.py needs nnlib (`make venv` installs it): {err}") from err

# Kernels inherit this environment. TensorFlow's C++ logging and oneDNN banner, and Python
# warnings, would otherwise reach stderr, and nbgrader scores a grade cell 0 when anything does.
quiet_tensorflow()  # nnlib.course.TF_ENVIRONMENT, the course's one copy of TensorFlow's settings
os.environ.setdefault("PYTHONWARNINGS", "ignore")  # kernels, from their start

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

here = os.path.dirname(os.path.abspath(__file__))
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

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Releases carry no outputs; sources in solutions/ are stored without outputs too.
c.ClearOutput.enabled = True
