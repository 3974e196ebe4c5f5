"""Global settings shared by every nnlib module: the float type and the speed switch.

Like ``keras.backend.floatx()``, nnlib computes in float32 unless told otherwise; gradient checks
build their layers with ``dtype="float64"`` (chapter 3, "Backpropagation").

**The speed switch** (chapter 3, "How fast is nnlib?"). ``set_fast(False)`` makes training run the
code exactly as the book writes its formulas; ``set_fast(True)`` (the default) turns on three
pieces of speed machinery that give the same numbers, faster:

* optimisers update all the weights that lie back to back in memory as one flat array
  (``nnlib.variables.contiguous_groups``), in place, with no temporary arrays;
* a sparse cross-entropy after a softmax output reuses the probabilities the forward pass computed
  instead of taking a second softmax of the logits;
* ``fit`` picks its BLAS threads by timing (``set_num_threads``).

The test suite checks that both settings train to the same weights as Keras.
"""
from __future__ import annotations

import contextlib
import time
from typing import Iterator

import numpy as np

_FLOATX = "float32"
_ALLOWED = ("float16", "float32", "float64")


def floatx() -> str:
    """Return the default float type of new layers, ``"float32"`` like Keras
    (chapter 1, "The same network in nnlib and in Keras")."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float type of new layers: one of float16, float32, float64
    (chapter 1, "The same network in nnlib and in Keras"); gradient checks need float64
    (chapter 3, "By hand, for a tiny network")."""
    global _FLOATX
    if value not in _ALLOWED:
        raise ValueError(f"floatx must be one of {_ALLOWED}, got {value!r}")
    _FLOATX = value


_FAST = True


def fast() -> bool:
    """True when training uses nnlib's speed machinery (the default) (chapter 3, "How fast is
    nnlib?")."""
    return _FAST


def set_fast(enabled: bool) -> None:
    """Turn the speed machinery on or off; off, training runs the book's formulas as written
    (chapter 3, "How fast is nnlib?")."""
    global _FAST
    _FAST = bool(enabled)


@contextlib.contextmanager
def fast_mode(enabled: bool) -> Iterator[None]:
    """``with backend.fast_mode(False): ...`` runs a block with the switch set, then restores it
    (chapter 3, "How fast is nnlib?")."""
    previous = _FAST
    set_fast(enabled)
    try:
        yield
    finally:
        set_fast(previous)


def standardize_dtype(dtype: object | None) -> np.dtype:
    """Turn ``None`` or a dtype-like into a numpy float dtype, refusing non-float types: what a
    layer's ``dtype="float64"`` goes through (chapter 3, "By hand, for a tiny network")."""
    if dtype is None:
        return np.dtype(_FLOATX)
    try:
        resolved = np.dtype(dtype)  # type: ignore[call-overload]
    except TypeError as err:
        raise TypeError(f"dtype must be a float type such as 'float32', got {dtype!r}") from err
    if resolved.name not in _ALLOWED:
        raise TypeError(f"dtype must be one of {_ALLOWED}, got {resolved.name!r}")
    return resolved


# --- BLAS threads (chapter 3, "How fast is nnlib?") ----------------------------------------------
# A training step multiplies small matrices (a batch of 128 rows). Splitting such a product across
# threads saves some time on an idle multi-core machine and costs a lot when other programs keep the
# cores busy (every thread waits for the slowest). By default ("auto") ``fit`` now and then times a
# few steps with one BLAS thread and with all of them, and trains on with the clear winner.
_NUM_THREADS: int | str | None = "auto"
_blas_libraries: list | None = None


def num_threads() -> int | str | None:
    """BLAS threads for training: ``"auto"`` (the default), a number, or ``None`` (BLAS' own
    setting, usually all cores) (chapter 3, "How fast is nnlib?")."""
    return _NUM_THREADS


def set_num_threads(value: int | str | None) -> None:
    """Set the BLAS threads ``fit``, ``evaluate`` and ``train_on_batch`` use: ``"auto"``, a
    positive int, or ``None`` to leave BLAS alone (chapter 3, "How fast is nnlib?")."""
    global _NUM_THREADS
    if value not in ("auto", None) and (isinstance(value, bool) or not isinstance(value, int)
                                        or value < 1):
        raise ValueError(f"num_threads must be 'auto', a positive integer or None, got {value!r}")
    _NUM_THREADS = value


def _blas() -> list:
    """threadpoolctl's controllers of the BLAS libraries numpy uses ([] without threadpoolctl,
    which scikit-learn installs; nnlib itself needs only numpy)."""
    global _blas_libraries
    if _blas_libraries is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover
            _blas_libraries = []
        else:
            _blas_libraries = ThreadpoolController().select(user_api="blas").lib_controllers
    return _blas_libraries


class BlasThreads:
    """The BLAS threads of one training run (chapter 3, "How fast is nnlib?"), as a context
    manager that restores BLAS' own setting afterwards.

    With ``"auto"`` (and at least ``MIN_STEPS`` steps per epoch) a *trial* runs ``TRIAL`` steps on
    one thread and ``TRIAL`` on all threads; the first step after each switch is not timed. All
    threads win only if their fastest step beats one thread's fastest by ``MARGIN``; then the next
    trial comes after ``WIN_PERIOD`` steps (load can change), else after twice the last wait. The
    rest of the time, and whenever ``"auto"`` cannot choose, training uses one thread.
    """

    TRIAL, MARGIN, WIN_PERIOD, MAX_PERIOD, MIN_STEPS = 3, 0.8, 64, 4096, 16

    def __init__(self, steps_per_epoch: int = 0) -> None:
        self.libraries = _blas()
        self.original = [lib.num_threads for lib in self.libraries]
        self.most = max(self.original, default=1)
        mode = _NUM_THREADS if _FAST else None  # without the speed machinery BLAS is left alone
        self.auto = mode == "auto" and self.most > 1 and steps_per_epoch >= self.MIN_STEPS
        self.threads: int | None = 1 if mode == "auto" else mode  # type: ignore[assignment]
        self.count = 0  # steps so far
        self.next_trial, self.period = 0, self.WIN_PERIOD
        self._best = [np.inf, np.inf]  # fastest timed step on one thread / on all threads
        self._start = 0.0

    def _set(self, n: int | None) -> None:
        if n is not None:
            for lib in self.libraries:
                lib.set_num_threads(n)

    def __enter__(self) -> "BlasThreads":
        self._set(self.threads)
        return self

    def __exit__(self, *exc: object) -> None:
        for lib, n in zip(self.libraries, self.original):
            lib.set_num_threads(n)

    def step_begin(self) -> None:
        """Call before each training step."""
        k = self.count - self.next_trial
        if self.auto and 0 <= k < 2 * self.TRIAL:
            if k % self.TRIAL == 0:
                self._set(1 if k == 0 else self.most)
            self._start = time.perf_counter()

    def step_end(self) -> None:
        """Call after each training step; ends a trial with the faster setting."""
        k = self.count - self.next_trial
        self.count += 1
        if not (self.auto and 0 <= k < 2 * self.TRIAL):
            return
        if k % self.TRIAL:
            side = int(k >= self.TRIAL)
            self._best[side] = min(self._best[side], time.perf_counter() - self._start)
        if k == 2 * self.TRIAL - 1:
            wins = self._best[1] < self.MARGIN * self._best[0]
            self.threads = self.most if wins else 1
            self._set(self.threads)
            self.period = self.WIN_PERIOD if wins else min(2 * self.period, self.MAX_PERIOD)
            self.next_trial = self.count + self.period
            self._best = [np.inf, np.inf]


def blas_threads() -> BlasThreads:
    """The thread setting for work other than ``fit``'s epochs (``evaluate``, single batches)
    (chapter 3, "How fast is nnlib?")."""
    return BlasThreads()
