"""nbgrader preprocessors that make `nbgrader autograde` trustworthy (configured in
nbgrader_config.py, so `make grade`, the plain command and the Formgrader all use them).

``RecordingExecute`` replaces nbgrader's ``Execute``: it runs the notebook in a sandboxed kernel
(grading/sandbox.py) with a recorder (grading/recorder.py) that writes down what each call of a
student function returned during the test cells. ``TrustedVerdicts`` then replays the instructor's
test cells in this process (grading/replay.py) and replaces the test cells' outputs with the replay's,
so that nbgrader's ``SaveAutoGrades`` scores what the replay decided: the kernel's own outputs —
which student code can forge, blank or flood — decide nothing.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Float, Int

from . import recorder, replay
from .sandbox import Limits, Sandbox, SandboxKernelManager

RECORDER_ID = "nngrade-recorder"
#: Records beyond this size are not read: the submission scores 0 (a flood is not a record).
MAX_RECORDS_BYTES = 256 * 2**20


def source_notebook(config: Any, resources: dict) -> nbformat.NotebookNode:
    """The instructor's notebook (solutions/) that this submission was released from."""
    info = resources["nbgrader"]
    coursedir = CourseDirectory(config=config)
    path = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"])) / \
        f"{info['notebook']}.ipynb"
    return nbformat.read(path, as_version=4)


def recorder_cell(path: str) -> nbformat.NotebookNode:
    """The first cell of a graded run: the recorder, loaded before any student code."""
    with open(recorder.__file__, encoding="utf-8") as f:
        code = f.read()
    cell = new_code_cell(
        # TensorFlow first, with its own time limit: its import takes 3 s on an idle machine and
        # over 15 s on a loaded one, which must not eat a student's 20 s test cell
        "import keras as _nngrade_keras\n"
        "import types as _nngrade_types\n"
        "_nngrade_module = _nngrade_types.ModuleType('nngrade_recorder')\n"
        f"exec(compile({code!r}, 'nngrade_recorder', 'exec'), _nngrade_module.__dict__)\n"
        f"__nngrade__ = _nngrade_module.Recorder({path!r})\n"
        "del _nngrade_types, _nngrade_module, _nngrade_keras")
    cell.metadata["nngrade"] = "recorder"
    cell.id = RECORDER_ID
    return cell


class RecordingExecute(Execute):
    """nbgrader's ``Execute``, in a sandboxed kernel, recording the student functions' results."""

    sandboxed = Bool(True, help="Run the kernel in the bubblewrap sandbox (grading/sandbox.py). "
                     "Turn off only on purpose (`make grade UNSANDBOXED=1`).").tag(config=True)
    memory_limit = Int(Limits.memory_bytes, help="Address space of the kernel, bytes").tag(config=True)
    cpu_limit = Int(Limits.cpu_seconds, help="CPU seconds of the kernel per notebook").tag(config=True)
    file_limit = Int(Limits.file_bytes, help="Largest file the kernel may write, bytes").tag(config=True)
    scratch_limit = Int(Limits.scratch_bytes, help="All its files together, bytes").tag(config=True)
    recorder_timeout = Int(180, help="Seconds the first, hidden cell (TensorFlow's import and the "
                           "recorder) may take").tag(config=True)
    interrupt_grace = Float(10.0, help="Seconds a timed-out cell has to stop after the interrupt "
                            "before the whole sandbox is killed").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)
        self._sandbox: Sandbox | None = None

    def _cell_timeout(self, cell: nbformat.NotebookNode) -> int | None:
        if cell.metadata.get("nngrade") == "recorder":
            return self.recorder_timeout
        return self.timeout

    def create_kernel_manager(self):  # noqa: ANN201 (nbclient's hook)
        km = super().create_kernel_manager()
        if self._sandbox is not None and isinstance(km, SandboxKernelManager):
            km.use_sandbox(self._sandbox)
        return km

    def preprocess(self, nb: nbformat.NotebookNode, resources: Any = None, km: Any = None):
        source = source_notebook(self.config, resources)
        names = replay.student_names(source)
        limits = Limits(self.memory_limit, self.cpu_limit, self.file_limit, self.scratch_limit)
        sandbox = Sandbox(limits)
        records = sandbox.scratch / "records.jsonl"
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        sandbox.prepare(folder)
        if self.sandboxed:
            self._sandbox = sandbox
            resources.setdefault("metadata", {})["path"] = str(sandbox.workdir)
        originals = instrument(nb, str(records), names)
        self.timeout_func = self._cell_timeout
        stopped = None
        try:
            nb, resources = super().preprocess(nb, resources, km)
        except (DeadKernelError, CellTimeoutError, RuntimeError) as err:
            stopped = f"the kernel stopped ({type(err).__name__}: {err})"
            if isinstance(err, DeadKernelError):
                stopped = "the kernel exited or crashed" if str(err) == "Kernel died" else str(err)
        finally:
            self._sandbox = None
            data = _read_records(records)
            killed = sandbox.killed_because
            sandbox.close()
            resources["metadata"]["path"] = str(folder)
        restore(nb, originals)
        reason = killed or stopped
        if reason:
            self.log.warning("NNGRADE-STOPPED %s (%s): %s", resources["nbgrader"].get("student"),
                             resources["nbgrader"].get("notebook"), reason)
        resources["nngrade"] = {"records": data, "stopped": reason}
        return nb, resources

    async def _async_handle_timeout(self, timeout: int, cell: Any = None):  # noqa: ANN202
        # nbclient interrupts the kernel and moves on; a kernel that ignores the interrupt would keep
        # the student's code running. Ask it a question: no answer within the grace period, and the
        # whole sandbox is killed (every process the student started goes with it).
        reply = await super()._async_handle_timeout(timeout, cell)
        if not await self._answers(self.interrupt_grace):
            if self._sandbox is not None:
                self._sandbox.kill(f"a cell ran past the {self.timeout} s limit and ignored the "
                                   "interrupt")
            else:
                await self.km.shutdown_kernel(now=True)
            raise DeadKernelError(f"a cell ran past the {self.timeout} s limit and ignored the "
                                  "interrupt")
        return reply

    async def _answers(self, seconds: float) -> bool:
        assert self.kc is not None
        msg_id = self.kc.kernel_info()
        loop_end = seconds
        while loop_end > 0:
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=min(0.5, loop_end))
            except Exception:  # queue.Empty: no message yet
                loop_end -= 0.5
                continue
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return True
        return False


def _read_records(path: Path) -> list[dict]:
    if not path.exists() or path.stat().st_size > MAX_RECORDS_BYTES:
        return []
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
    return out


def instrument(nb: nbformat.NotebookNode, records: str, names: tuple[str, ...]) -> dict[str, str]:
    """Insert the recorder cell and wrap every test cell in begin/end; returns the originals."""
    originals: dict[str, str] = {}
    for cell in nb.cells:
        if replay.is_test(cell):
            gid = cell.metadata["nbgrader"]["grade_id"]
            originals[gid] = cell.source
            cell.source = (f"__nngrade__.begin({gid!r}, globals(), {names!r})\n{cell.source}\n"
                           f"__nngrade__.end({gid!r})")
    nb.cells.insert(0, recorder_cell(records))
    return originals


def restore(nb: nbformat.NotebookNode, originals: dict[str, str]) -> None:
    """Remove the recorder cell and give the test cells their sources back."""
    nb.cells = [c for c in nb.cells if c.metadata.get("nngrade") != "recorder"]
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if replay.is_test(cell) and gid in originals:
            cell.source = originals[gid]


class TrustedVerdicts(NbGraderPreprocessor):
    """Replace the test cells' outputs by the replay's verdicts (after ``RecordingExecute``)."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: nbformat.NotebookNode, resources: Any):
        info = resources.get("nngrade")
        if info is None:
            raise RuntimeError("TrustedVerdicts needs RecordingExecute to run the notebook first "
                               "(see nbgrader_config.py)")
        source = source_notebook(self.config, resources)
        reinsert_missing_tests(nb, source)
        if kernel_verdicts(source):
            keep_kernel_verdicts(nb, info["records"], info.get("stopped"))
            return nb, resources
        verdicts = replay.replay(source, info["records"])
        for cell in nb.cells:
            if not replay.is_test(cell):
                continue
            verdict = verdicts[cell.metadata["nbgrader"]["grade_id"]]
            cell.outputs = verdict_outputs(verdict, info.get("stopped"), kernel_error(cell))
        return nb, resources


def kernel_verdicts(source: nbformat.NotebookNode) -> str | None:
    """Why this notebook's tests are judged in the kernel, if its author said so (its metadata
    ``nngrade.verdicts = "kernel"``, with a ``reason``): tests that inspect the objects a student
    function returns (a compiled Keras model) or watch its side effects cannot be replayed."""
    meta = source.metadata.get("nngrade", {})
    return meta.get("reason", "kernel verdicts") if meta.get("verdicts") == "kernel" else None


def keep_kernel_verdicts(nb: nbformat.NotebookNode, records: list[dict], stopped: str | None) -> None:
    """Kernel verdicts, on positive evidence still: a test cell that did not reach its last line
    in the kernel fails, and no output of a test cell can claim partial credit."""
    cells = replay.group(records)
    for cell in nb.cells:
        if not replay.is_test(cell):
            continue
        gid = cell.metadata["nbgrader"]["grade_id"]
        outputs = [o for o in cell.get("outputs", [])
                   if o.get("output_type") in ("stream", "error")]
        done = cells.get(gid)
        if not (done and done.began and done.ended) and \
                not any(o.get("output_type") == "error" for o in outputs):
            why = f" (the grading kernel stopped early: {stopped})" if stopped else ""
            outputs.append(new_output("error", ename="GradingError", evalue=(
                "this test cell did not run to its end in the grading kernel" + why),
                traceback=["GradingError: this test cell did not run to its end" + why]))
        cell.outputs = outputs


def reinsert_missing_tests(nb: nbformat.NotebookNode, source: nbformat.NotebookNode) -> None:
    """Put back test cells a submission deleted (they score 0: nothing recorded) and drop grade
    metadata from cells that claim a grade_id the source does not have."""
    known = {c.metadata["nbgrader"]["grade_id"] for c in source.cells if replay.is_test(c)}
    present = set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            if meta.get("grade_id") in known and meta["grade_id"] not in present:
                present.add(meta["grade_id"])
            else:
                del cell.metadata["nbgrader"]
    previous = None
    for src in source.cells:
        gid = src.metadata.get("nbgrader", {}).get("grade_id")
        if replay.is_test(src) and gid not in present:
            cell = nbformat.from_dict(json.loads(json.dumps(src)))
            cell.outputs, cell.execution_count = [], None
            ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
            at = ids.index(previous) + 1 if previous in ids else len(nb.cells)
            nb.cells.insert(at, cell)
            present.add(gid)
        if gid:
            previous = gid


def kernel_error(cell: nbformat.NotebookNode) -> str | None:
    """The error a cell ended with in the grading kernel (a timeout, say), for the record."""
    errors = [f"{out.get('ename', '')}: {str(out.get('evalue', ''))[:300]}".strip(": ")
              for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    return " and ".join(dict.fromkeys(errors)) or None


def verdict_outputs(verdict: replay.Verdict, stopped: str | None, in_kernel: str | None = None
                    ) -> list:
    """The outputs a test cell shows in the autograded notebook and the feedback: what the replay
    printed, and its error; when the kernel's record was incomplete, what happened there."""
    outputs = []
    if verdict.stdout:
        outputs.append(new_output("stream", name="stdout", text=verdict.stdout))
    if verdict.error is not None:
        ename, evalue = verdict.error
        if verdict.incomplete and in_kernel:
            evalue += f"\n(In the grading kernel this cell ended with {in_kernel}.)"
        if stopped:
            evalue += f"\n(The grading kernel stopped early: {stopped}; the cells after it did not run.)"
        outputs.append(new_output("error", ename=ename, evalue=evalue,
                                  traceback=[f"{ename}: {evalue}"]))
    return outputs
