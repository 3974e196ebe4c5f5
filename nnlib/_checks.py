"""Input checks shared by layers, models, losses and metrics: clear errors, never silent
failures."""
from __future__ import annotations

from typing import Sequence

import numpy as np


def as_float_array(x: object, dtype: np.dtype, name: str = "input") -> np.ndarray:
    """Return ``x`` as a finite float array of ``dtype``.

    Raises ``TypeError`` for non-numeric data (strings, objects, complex numbers) and ``ValueError``
    for NaN or infinite entries, saying where the first bad value is.
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers (bool, int or float), got an array of dtype "
            f"{arr.dtype} (e.g. {arr.ravel()[:1].tolist()!r})"
        )
    arr = arr.astype(dtype, copy=False)
    check_finite(arr, name)
    return arr


def check_finite(arr: np.ndarray, name: str = "input") -> None:
    """Raise ``ValueError`` if ``arr`` holds NaN or inf, naming how many and the first position."""
    if arr.dtype.kind != "f" or arr.size == 0:
        return
    with np.errstate(all="ignore"):  # one pass, no temporary: a finite sum means finite entries
        if np.isfinite(np.add.reduce(arr, axis=None)):
            return
    if not np.isfinite(arr).all():  # NaN/inf, or finite values so large that their sum overflowed
        bad = ~np.isfinite(arr)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN/inf value(s); the first is {float(arr[first])} at "
            f"index {first}. Expected finite numbers: clean or impute the data first."
        )


def check_input_shape(arr: np.ndarray, expected: Sequence[int | None], name: str) -> None:
    """Check ``arr.shape`` against ``expected`` (``None`` matches any size, e.g. the batch axis)."""
    if arr.ndim != len(expected):
        raise ValueError(
            f"{name} expected input with {len(expected)} dimensions, shape "
            f"{format_shape(expected)}, but got {arr.ndim} dimensions, shape {arr.shape}"
            + (". A single sample needs a batch axis: use x[None, :] or x.reshape(1, -1)."
               if arr.ndim == len(expected) - 1 else "")
        )
    for axis, (want, got) in enumerate(zip(expected, arr.shape)):
        if want is not None and want != got:
            raise ValueError(
                f"{name} expected input shape {format_shape(expected)}, but got {arr.shape}: "
                f"axis {axis} has size {got}, expected {want}"
            )


def format_shape(shape: Sequence[int | None]) -> str:
    """Format a shape the way Keras prints it: ``(None, 4)``."""
    inner = ", ".join("None" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` as an int if it is a positive integer, else raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {value!r} ({type(value).__name__})")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)
