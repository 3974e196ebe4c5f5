"""A sandbox for grading kernels: bubblewrap, an allow-list of read-only folders, no network.

Why bubblewrap rather than an unprivileged user: a user account hides only what file permissions
hide, and an instructor's checkout (solutions/, gradebook.db, other students' folders) is usually
readable by every user; a container engine is not on every grading machine and costs seconds per
kernel. ``bwrap`` (Debian's ``bubblewrap``, a 70 kB binary) builds a fresh mount namespace in a few
milliseconds in which only what the kernel needs exists:

* read-only: ``/usr`` (and the ``/bin``, ``/lib`` links), ``/etc``, the Python installation and the
  virtual environment, and the folder of the ``nnlib`` package, nothing else: the course folder,
  ``solutions/``, ``gradebook.db``, ``submitted/``, ``autograded/``, home directories, ``/tmp`` and
  ``/run`` (database sockets) do not exist inside;
* writable: one scratch folder per notebook (a copy of the student's folder as the working
  directory, ``/tmp``, the kernel's connection file and sockets), deleted afterwards;
* no network (``--unshare-net``; the kernel talks to the grader through Unix sockets in the
  scratch folder), its own process tree (``--unshare-pid``: when the kernel goes, every process it
  started goes), no capabilities (``--unshare-user``), a clean environment;
* limits (``prlimit``): address space, CPU seconds, size of any one file; a watchdog kills the whole
  sandbox when the scratch folder grows past its limit.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import nnlib
from jupyter_client.manager import AsyncKernelManager
from traitlets import Any as AnyTrait

#: Environment variables passed into the sandbox (everything else is cleared).
PASSED_ENVIRONMENT = ("LANG", "LC_ALL", "TZ", "PYTHONWARNINGS", "PYTHONHASHSEED", "TF_CPP_MIN_LOG_LEVEL",
                      "TF_ENABLE_ONEDNN_OPTS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                      "MKL_NUM_THREADS")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading kernel."""

    memory_bytes: int = 8 * 2**30  # address space: TensorFlow alone maps about 3 GB
    cpu_seconds: int = 900  # CPU time of the kernel process over the whole notebook
    file_bytes: int = 256 * 2**20  # any one file the kernel writes
    scratch_bytes: int = 1 * 2**30  # all files in the scratch folder together


def readable_paths() -> list[Path]:
    """Folders bound read-only: the system, the Python installation, the venv and nnlib."""
    paths = [Path("/usr"), Path("/etc"), Path(sys.base_prefix), Path(sys.prefix),
             Path(nnlib.__file__).resolve().parent]
    out: list[Path] = []
    for p in paths:
        p = p.resolve()
        if p.exists() and not any(p == q or q in p.parents for q in out):
            out = [q for q in out if p not in q.parents] + [p]
    return out


def linked_paths() -> list[Path]:
    """The Python installation and the venv as the grader names them, where that name goes through
    a symbolic link (a worktree's ``.venv`` linking to a shared one): the kernel is started by that
    name, so the sandbox needs the same link to the read-only folder."""
    out = []
    for p in (Path(sys.prefix), Path(sys.base_prefix)):
        if p.is_absolute() and p != p.resolve() and p not in out:
            out.append(p)
    return out


def bwrap_command(command: list[str], scratch: Path, workdir: Path,
                  limits: Limits = Limits()) -> list[str]:
    """``command`` wrapped to run in the sandbox, with ``scratch`` writable and ``workdir`` (inside
    ``scratch``) as its working directory."""
    bwrap = shutil.which("bwrap")
    prlimit = shutil.which("prlimit")
    if bwrap is None or prlimit is None:
        raise SandboxUnavailable(
            "bubblewrap (`bwrap`) and util-linux' `prlimit` are needed to sandbox grading kernels: "
            "`apt-get install bubblewrap` (as root), or grade without the sandbox on purpose with "
            "`make grade UNSANDBOXED=1`.")
    argv = [prlimit, f"--as={limits.memory_bytes}", f"--cpu={limits.cpu_seconds}",
            f"--fsize={limits.file_bytes}", "--core=0", "--", bwrap,
            "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
            "--die-with-parent", "--proc", "/proc", "--dev", "/dev", "--clearenv"]
    for name in ("bin", "lib", "lib64", "sbin"):
        link = Path("/") / name
        if link.is_symlink():
            argv += ["--symlink", os.readlink(link), str(link)]
        elif link.is_dir():
            argv += ["--ro-bind", str(link), str(link)]
    home, tmp = scratch / "home", scratch / "tmp"
    home.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    # A private /tmp first, then what lies under it: the scratch folder usually does, and so may
    # the course and its virtual environment (a checkout in /tmp), which a later /tmp would hide.
    argv += ["--bind", str(tmp), "/tmp"]
    for path in readable_paths():
        argv += ["--ro-bind", str(path), str(path)]
    for link in linked_paths():  # a virtual environment reached through a symbolic link
        argv += ["--symlink", str(link.resolve()), str(link)]
    argv += ["--bind", str(scratch), str(scratch), "--remount-ro", "/", "--chdir", str(workdir)]
    env = {k: os.environ[k] for k in PASSED_ENVIRONMENT if k in os.environ}
    env.update(HOME=str(home), TMPDIR="/tmp", PATH=f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin",
               MPLBACKEND="Agg", MPLCONFIGDIR=str(home / "matplotlib"),
               IPYTHONDIR=str(home / "ipython"), KERAS_HOME=str(home / "keras"),
               PYTHONPATH=str(Path(nnlib.__file__).resolve().parent.parent),
               PYTHONDONTWRITEBYTECODE="1")
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return argv + ["--", *command]


def check() -> None:
    """Start a trivial sandbox; raise ``SandboxUnavailable`` saying why when it cannot start."""
    scratch = Path(_mkdtemp())
    try:
        argv = bwrap_command([sys.executable, "-c", "print('ok')"], scratch, scratch)
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 or proc.stdout.strip() != "ok":
            raise SandboxUnavailable(f"the sandbox does not start here (exit {proc.returncode}): "
                                     f"{proc.stderr.strip()[-500:]}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _mkdtemp() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="nngrade-")


def folder_size(path: Path) -> int:
    """Bytes in the files under ``path`` (not following links)."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


@dataclass
class Sandbox:
    """One notebook's scratch folder and sandboxed kernel; ``close`` kills and deletes them."""

    limits: Limits = field(default_factory=Limits)
    scratch: Path = field(default_factory=lambda: Path(_mkdtemp()))
    pid: int | None = None
    killed_because: str | None = None

    def __post_init__(self) -> None:
        self.workdir = self.scratch / "work"
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None

    def prepare(self, folder: Path) -> None:
        """Copy the student's folder (its notebook and the exercise's files) as the working
        directory."""
        shutil.copytree(folder, self.workdir, symlinks=True, dirs_exist_ok=True)

    def command(self, argv: list[str]) -> list[str]:
        return bwrap_command(argv, self.scratch, self.workdir, self.limits)

    def started(self, pid: int) -> None:
        """The kernel's outer process; start watching the scratch folder's size."""
        self.pid = pid
        self._watchdog = threading.Thread(target=self._watch, daemon=True)
        self._watchdog.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            if folder_size(self.scratch) > self.limits.scratch_bytes:
                self.kill(f"it wrote more than {self.limits.scratch_bytes // 2**20} MB of files")
                return

    def kill(self, why: str) -> None:
        """Kill the sandbox and every process in it."""
        if self.pid is not None:
            self.killed_because = self.killed_because or why
            try:
                os.kill(self.pid, signal.SIGKILL)  # bwrap: its pid namespace goes with it
            except ProcessLookupError:
                pass

    def close(self) -> None:
        self._stop.set()
        self.kill("the notebook is done")
        shutil.rmtree(self.scratch, ignore_errors=True)


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside ``sandbox`` (a ``Sandbox``): Unix sockets in
    the scratch folder instead of TCP, interrupts as messages (a signal would stop bwrap itself)."""

    sandbox = AnyTrait(None, allow_none=True)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.sandbox is None:
            return cmd
        assert self.kernel_spec is not None
        self.kernel_spec.interrupt_mode = "message"
        return self.sandbox.command(cmd)

    def use_sandbox(self, sandbox: "Sandbox") -> None:
        """Set up the connection (Unix sockets and connection file in the scratch folder)."""
        self.sandbox = sandbox
        self.transport = "ipc"
        self.ip = str(sandbox.scratch / "kernel")
        self.connection_file = str(sandbox.scratch / "kernel.json")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw):  # noqa: ANN202
        # jupyter_client's documented hook ("override in a subclass to launch kernel subprocesses
        # differently"): here only to learn the sandbox's process id
        await super()._async_launch_kernel(kernel_cmd, **kw)
        if self.sandbox is not None and self.provisioner is not None:
            self.sandbox.started(self.provisioner.pid)


def describe() -> str:
    """What the sandbox allows, for logs and the README."""
    return json.dumps({"read-only": [str(p) for p in readable_paths()], "network": False})
