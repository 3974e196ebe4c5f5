"""What runs inside the grading kernel: record each call a test cell makes to a student's function.

When a notebook is autograded (grading/preprocessors.py), the source of this module is put into the
kernel as a first, hidden cell, before any student code, and every graded test cell is wrapped in
``__nngrade__.begin(grade_id, globals(), names)`` … ``__nngrade__.end(grade_id)``. While a test cell
runs, each student function it calls directly (not the calls student functions make to each other)
is recorded as one JSON line: the cell, the function's name, a digest of the arguments, and what
the call returned or raised, plus the library functions it reached (``nnlib.testing``'s tracer).

The verdict is not computed here: grading/replay.py runs the test cells again in the grader's
process, where student code never ran, and hands the recorded results to them. Student code can
tamper with everything in this module; all it can achieve is a record that is missing or wrong,
which costs points, never gains them. Only the standard library, numpy and ``nnlib.testing`` are
used, so the module also runs inside the sandbox.
"""
from __future__ import annotations

import base64
import builtins
import functools
import hashlib
import json
import sys
from typing import Any, Callable

import numpy as np

from nnlib.testing import trace_library_calls

#: Results larger than this many array elements are recorded as "too large" (a failed check).
MAX_ELEMENTS = 5_000_000

_ndarray, _generic, _generator = np.ndarray, np.generic, np.random.Generator
_isinstance, _type, _repr, _len, _sorted = builtins.isinstance, builtins.type, builtins.repr, \
    builtins.len, builtins.sorted
_dumps, _b64 = json.dumps, base64.b64encode
_sha256 = hashlib.sha256


def digest(value: Any) -> str:
    """A stable fingerprint of a call's arguments (arrays by dtype, shape and bytes; functions by
    name; numpy generators by state), equal in the kernel and in the replay."""
    h = _sha256()
    _feed(h, value)
    return h.hexdigest()


def _feed(h: Any, value: Any) -> None:
    if value is None or _isinstance(value, (bool, int, float, complex, str, bytes)):
        h.update(f"{_type(value).__name__}:{_repr(value)};".encode())
    elif _isinstance(value, (_ndarray, _generic)):
        arr = np.ascontiguousarray(value)
        h.update(f"nd:{arr.dtype.str}:{arr.shape};".encode())
        if arr.dtype.kind != "O":
            h.update(arr.tobytes())
    elif _isinstance(value, (list, tuple)):
        h.update(f"{_type(value).__name__}[{_len(value)}];".encode())
        for item in value:
            _feed(h, item)
    elif _isinstance(value, dict):
        h.update(f"dict[{_len(value)}];".encode())
        for key in _sorted(value, key=_repr):
            _feed(h, key)
            _feed(h, value[key])
    elif _isinstance(value, _generator):
        h.update(("gen:" + _dumps(value.bit_generator.state, sort_keys=True, default=str)).encode())
    elif callable(value):
        h.update(f"fn:{getattr(value, '__name__', _type(value).__name__)};".encode())
    else:
        h.update(f"obj:{_type(value).__name__};".encode())


def encode(value: Any) -> Any:
    """``value`` as JSON data that grading/replay.py turns back into the same Python value."""
    if value is None:
        return {"t": "none"}
    if _isinstance(value, (_ndarray, _generic)):  # before float: np.float64 is a float
        return _encode_array(value)
    if _isinstance(value, bool):
        return {"t": "bool", "v": value}
    if _isinstance(value, int):
        return {"t": "int", "v": int.__repr__(value)}
    if _isinstance(value, float):
        return {"t": "float", "v": float.__repr__(value)}
    if _isinstance(value, str):
        return {"t": "str", "v": str.__str__(value)[:100_000]}
    if _isinstance(value, (list, tuple)) and _type(value) in (list, tuple):
        return {"t": _type(value).__name__, "items": [encode(v) for v in value]}
    if _type(value) is dict:
        return {"t": "dict", "items": [[encode(k), encode(v)] for k, v in value.items()]}
    return {"t": "opaque", "type": _type(value).__name__}


def _encode_array(value: Any) -> dict:
    arr = np.asarray(value)
    if _type(value) is not _ndarray and not _isinstance(value, _generic):
        arr = arr.view(_ndarray)  # an ndarray subclass could redefine comparisons
    if arr.dtype.kind in "biufc" and arr.size <= MAX_ELEMENTS:
        data = _b64(np.ascontiguousarray(arr).tobytes()).decode()
        return {"t": "scalar" if _isinstance(value, _generic) else "ndarray",
                "dtype": arr.dtype.str, "shape": list(arr.shape), "b64": data}
    return {"t": "opaque", "type": f"array of {arr.dtype} with {arr.size} entries"}


class Recorder:
    """Writes the records of one notebook's run to ``path`` (one JSON object per line)."""

    def __init__(self, path: str) -> None:
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open for the kernel's life)
        self.cell: str | None = None
        self.depth = 0
        self.tampered = False
        self._guard_tracing()

    def _guard_tracing(self) -> None:
        """Replace ``sys.setprofile``/``sys.settrace`` so that a student function which switches
        the tracer off (and back on) while it runs is recorded as having done so."""
        recorder = self
        for attr in ("setprofile", "settrace"):
            real = getattr(sys, attr)

            def guarded(func: Any, _real: Any = real) -> None:
                if recorder.depth:
                    recorder.tampered = True
                return _real(func)

            setattr(sys, attr, guarded)

    def write(self, record: dict) -> None:
        self._file.write(_dumps(record) + "\n")
        self._file.flush()

    def begin(self, cell: str, namespace: dict, names: tuple[str, ...]) -> None:
        """Start recording for test cell ``cell``; wrap the student's functions ``names``."""
        self.cell, self.depth = cell, 0
        missing = []
        for name in names:
            func = namespace.get(name)
            if func is None or not callable(func):
                missing.append(name)
            elif getattr(func, "__nngrade_recorder__", None) is not self:
                namespace[name] = self.wrap(name, func)
        self.write({"cell": cell, "begin": True, "missing": missing})

    def end(self, cell: str) -> None:
        """The test cell ran to its last line."""
        self.write({"cell": cell, "end": True})
        self.cell = None

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(func)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            if recorder.depth or recorder.cell is None:  # a student function calling another
                return func(*args, **kwargs)
            record = {"cell": recorder.cell, "name": name, "args": digest((args, kwargs))}
            recorder.depth += 1
            recorder.tampered = False
            try:
                result, calls = trace_library_calls(func, *args, **kwargs)
            except Exception as err:
                record["raised"] = {"type": _type(err).__name__,
                                    "builtin": getattr(builtins, _type(err).__name__, None)
                                    is _type(err),
                                    "message": str(err)[:5000]}
                recorder.write(record)
                raise
            finally:
                recorder.depth -= 1
            record["result"] = encode(result)
            record["calls"] = [str(c) for c in calls]
            if recorder.tampered:
                record["calls"].append("sys.setprofile/settrace was called while the function ran")
            recorder.write(record)
            return result

        recorded.__nngrade_recorder__ = recorder  # type: ignore[attr-defined]
        return recorded
