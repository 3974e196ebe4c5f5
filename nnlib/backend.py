"""Global numeric settings shared by every nnlib module (chapter 1).

Like ``keras.backend.floatx()``, nnlib computes in float32 unless told otherwise; gradient checks
(chapter 3) build their layers with ``dtype="float64"``.
"""
from __future__ import annotations

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
