"""Global numeric settings shared by every nnlib module (chapter 1).

Like ``keras.backend.floatx()``, nnlib computes in float32 unless told otherwise; gradient checks
(chapter 3) build their layers with ``dtype="float64"``.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

_FLOATX = "float32"
_ALLOWED = ("float16", "float32", "float64")


def floatx() -> str:
    """Return the default float type of new layers, ``"float32"`` like Keras (chapter 1)."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float type of new layers: one of float16, float32, float64 (chapter 1)."""
    global _FLOATX
    if value not in _ALLOWED:
        raise ValueError(f"floatx must be one of {_ALLOWED}, got {value!r}")
    _FLOATX = value


def standardize_dtype(dtype: object | None) -> np.dtype:
    """Turn ``None`` or a dtype-like into a numpy float dtype, refusing non-float types."""
    if dtype is None:
        return np.dtype(_FLOATX)
    try:
        resolved = np.dtype(dtype)  # type: ignore[call-overload]
    except TypeError as err:
        raise TypeError(f"dtype must be a float type such as 'float32', got {dtype!r}") from err
    if resolved.name not in _ALLOWED:
        raise TypeError(f"dtype must be one of {_ALLOWED}, got {resolved.name!r}")
    return resolved


# --- BLAS threads (chapter 3) ---------------------------------------------------------------------
# A training step multiplies small matrices (a batch of 128 rows). Splitting each product across
# threads costs more in synchronisation than it saves, and far more when other programs share the
# cores, so nnlib trains with one BLAS thread unless told otherwise.
_NUM_THREADS: int | None = 1
_controller: Any = None


def num_threads() -> int | None:
    """BLAS threads that ``fit``/``evaluate`` use; ``None`` means the BLAS default (chapter 3)."""
    return _NUM_THREADS


def set_num_threads(value: int | None) -> None:
    """Set the BLAS threads ``fit``/``evaluate`` use: a positive int, or ``None`` for the BLAS
    default (all cores). One thread is fastest for small batches on busy machines (chapter 3)."""
    global _NUM_THREADS
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"num_threads must be a positive integer or None, got {value!r}")
    _NUM_THREADS = value


@contextmanager
def blas_threads() -> Iterator[None]:
    """Limit BLAS to ``num_threads()`` threads inside the block (needs threadpoolctl, which
    scikit-learn installs; without it this does nothing)."""
    global _controller
    if _NUM_THREADS is None:
        yield
        return
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - nnlib itself needs only numpy
            _controller = False
        else:
            _controller = ThreadpoolController()
    if not _controller:
        yield
        return
    with _controller.limit(limits=_NUM_THREADS, user_api="blas"):
        yield
