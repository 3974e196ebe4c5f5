"""Checks for the course's exercises: clear messages for students, robust verdicts for grading
(chapter 1, "Exercise").

The exercises' visible tests use ``check_array`` so a failing test says what was expected, what
came, and — when the answer matches a known typical mistake — a hint naming it. The hidden tests
use ``assert_own_work`` so that a submission which only calls nnlib's, Keras's or scikit-learn's
version of the asked function scores nothing for it.

Student code runs in the same kernel as the tests and could rebind ``np.allclose`` and friends, so
nothing here uses numpy's module-level comparison helpers: comparisons are ndarray arithmetic and
ndarray methods, which user code cannot replace. The numpy functions used are captured when this
module is imported (in the notebook's first, read-only cell, before any student code).
"""
from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterable, Mapping

import numpy as np

_asarray_f64 = np.asarray
_float64 = np.float64
_ndarray = np.ndarray
_unravel = np.unravel_index
_array2string = np.array2string
_getprofile, _setprofile = sys.getprofile, sys.setprofile

#: Packages whose code a submission may not call for the function it is asked to write.
FORBIDDEN_PACKAGES = ("nnlib", "keras", "tensorflow", "sklearn", "scipy", "torch", "jax")


class GradingError(AssertionError):
    """A failed check; its message is written for the student (chapter 1, "Exercise")."""


def _to_float_array(value: Any, name: str) -> np.ndarray:
    if value is None:
        raise GradingError(f"{name} returned None: did you forget the `return` statement?")
    try:
        arr = _asarray_f64(value, dtype=_float64)
    except (TypeError, ValueError) as err:
        raise GradingError(
            f"{name} should return numbers (a numpy array), got {type(value).__name__}: {err}"
        ) from None
    if type(arr) is not _ndarray:  # an ndarray subclass could redefine comparisons
        arr = arr.view(_ndarray)
    return arr


def _fmt(arr: np.ndarray) -> str:
    return _array2string(arr, precision=5, suppress_small=True, threshold=30, edgeitems=3,
                         max_line_width=100).replace("\n", "\n" + " " * 12)


def is_close(got: Any, expected: Any, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    """True when shapes match and ``|got - expected| <= atol + rtol·|expected|`` everywhere
    (chapter 1, "Exercise").

    NaN anywhere in ``got`` is never close. Written with ndarray operations only.
    """
    try:
        g = _asarray_f64(got, dtype=_float64).view(_ndarray)
        e = _asarray_f64(expected, dtype=_float64).view(_ndarray)
    except (TypeError, ValueError):
        return False
    if g.shape != e.shape:
        return False
    if g.size == 0:
        return True
    diff = abs(g - e)
    ok = diff <= atol + rtol * abs(e)
    return bool(ok.all()) and not bool((g != g).any())


def find_mistake(got: Any, mistakes: Mapping[str, Any] | None, rtol: float = 1e-5,
                 atol: float = 1e-6) -> str | None:
    """The hint of the first known wrong answer that ``got`` matches, else ``None``
    (chapter 1, "Exercise").

    ``mistakes`` maps a hint to the value that mistake produces (or a zero-argument function
    computing it, evaluated lazily; a function that raises is skipped).
    """
    for hint, wrong in (mistakes or {}).items():
        try:
            value = wrong() if callable(wrong) else wrong
        except Exception:  # the mistake is not computable for these inputs
            continue
        if is_close(got, value, rtol, atol):
            return hint
    return None


def check_array(got: Any, expected: Any, name: str, *, rtol: float = 1e-5, atol: float = 1e-6,
                mistakes: Mapping[str, Any] | None = None, shape_hint: str | None = None,
                nonfinite_hint: str | None = None) -> None:
    """Assert that ``got`` equals ``expected`` within tolerance, explaining any difference
    (chapter 1, "Exercise").

    Args:
        got: what the student's function returned.
        expected: the reference value.
        name: how to call the result in messages, e.g. ``"dense_forward(X, W, b)"``.
        mistakes: ``{hint: wrong_value}`` for typical mistakes; a match adds that hint.
        shape_hint: extra advice printed when only the shape is wrong.
        nonfinite_hint: advice printed when the result holds NaN or inf (e.g. an overflow), which
            no entry of ``mistakes`` can match.
    """
    g = _to_float_array(got, name)
    e = _asarray_f64(expected, dtype=_float64).view(_ndarray)
    hint = find_mistake(got, mistakes, rtol, atol)
    if g.shape != e.shape:
        msg = f"{name} should have shape {e.shape}, but it has shape {g.shape}."
        if hint or shape_hint:
            msg += f"\n  Hint: {hint or shape_hint}"
        raise GradingError(msg)
    if bool((g != g).any()) or bool((abs(g) == float("inf")).any()):
        msg = f"{name} contains NaN or inf values:\n  got       {_fmt(g)}"
        if hint or nonfinite_hint:
            msg += f"\n  Hint: {hint or nonfinite_hint}"
        raise GradingError(msg)
    if is_close(g, e, rtol, atol):
        return
    diff = abs(g - e)
    worst = tuple(int(i) for i in _unravel(int(diff.argmax()), diff.shape)) if diff.ndim else ()
    msg = (f"{name} returned wrong values.\n"
           f"  expected  {_fmt(e)}\n"
           f"  got       {_fmt(g)}\n"
           f"  largest difference {float(diff.max()):.3g} at index {worst}")
    if hint:
        msg += f"\n  Hint: {hint}"
    raise GradingError(msg)


def check_scalar(got: Any, expected: float, name: str, *, rtol: float = 1e-6, atol: float = 0.0,
                 mistakes: Mapping[str, Any] | None = None) -> None:
    """Assert that ``got`` is a single number equal to ``expected`` (integers exactly)
    (chapter 1, "Exercise")."""
    g = _to_float_array(got, name)
    if g.size != 1:
        hint = find_mistake(got, mistakes)
        raise GradingError(f"{name} should be a single number, got an array of shape {g.shape}"
                           + (f"\n  Hint: {hint}" if hint else ""))
    check_array(g.reshape(()), expected, name, rtol=rtol, atol=atol, mistakes=mistakes)


def call(func: Callable[..., Any], *args: Any, name: str | None = None,
         error_hints: Mapping[str, str] | None = None, **kwargs: Any) -> Any:
    """Call the student's ``func``; if it raises, explain the error and suggest a fix
    (chapter 1, "Exercise").

    ``error_hints`` maps a piece of the error text (or the exception's class name) to a hint.
    ``NotImplementedError`` passes through unchanged: the exercise is simply not done yet.
    """
    try:
        return func(*args, **kwargs)
    except (NotImplementedError, GradingError):  # not done yet; or the grader's own verdict
        raise
    except Exception as err:
        label = name or getattr(func, "__name__", "your function")
        text = f"{type(err).__name__}: {err}"
        hint = next((h for key, h in (error_hints or {}).items() if key in text), None)
        raise GradingError(f"{label} raised {text}" + (f"\n  Hint: {hint}" if hint else "")) from err


# --- "did they write it themselves?" -------------------------------------------------------------

def _package_roots(packages: Iterable[str]) -> list[tuple[str, str]]:
    roots = []
    for pkg in packages:
        mod = sys.modules.get(pkg)
        path = getattr(mod, "__file__", None) if mod is not None else None
        if path:
            roots.append((pkg, os.path.dirname(os.path.abspath(path)) + os.sep))
    return roots


#: One list per running ``trace_library_calls``: the library calls that ``Replayed`` stand-ins
#: called inside it recorded in the grading kernel (the trace itself cannot see them).
_replayed_calls: list[list[str]] = []


class Replayed:
    """A stand-in for a student's function when the grader replays a test cell outside the
    student's kernel (chapter 1, "Exercise").

    When a notebook is autograded, the student's functions run in a sandboxed kernel that records
    what each call returned and which library functions it reached; the test cells then run again
    in the grader's own process, where student code never ran, with each student function replaced
    by a ``Replayed`` object that hands back the recorded results (``grading/replay.py``). Calling
    it returns the recorded result; ``replay_call`` also returns the recorded library calls.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result, calls = self.replay_call(*args, **kwargs)
        for replayed in _replayed_calls:  # a trace around a helper that calls this stand-in
            replayed.extend(calls)
        return result

    def replay_call(self, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
        """``(result, library calls)`` recorded for this call in the grading kernel."""
        raise NotImplementedError


def library_calls(func: Callable[..., Any], *args: Any,
                  forbidden: Iterable[str] = FORBIDDEN_PACKAGES,
                  allowed: Iterable[Callable[..., Any]] = (), **kwargs: Any) -> tuple[Any, list[str]]:
    """Call ``func(*args, **kwargs)`` and list the forbidden library functions it reached
    (chapter 1, "Exercise").

    Every Python-level call (and every C function call) made while ``func`` runs is traced; a call
    into one of the ``forbidden`` packages, other than the ``allowed`` functions and this module,
    is recorded as ``"package: function name"``. Returns ``(result, calls)``. For a ``Replayed``
    function (the grader replaying a test) the calls are those recorded in the grading kernel.
    """
    if isinstance(func, Replayed):
        return func.replay_call(*args, **kwargs)
    return trace_library_calls(func, *args, forbidden=forbidden, allowed=allowed, **kwargs)


def trace_library_calls(func: Callable[..., Any], *args: Any,
                        forbidden: Iterable[str] = FORBIDDEN_PACKAGES,
                        allowed: Iterable[Callable[..., Any]] = (),
                        **kwargs: Any) -> tuple[Any, list[str]]:
    """``library_calls`` by tracing only, whatever ``func`` is: what the grading kernel's recorder
    uses (chapter 1, "Exercise")."""
    roots = _package_roots(forbidden)
    allowed_codes = {getattr(f, "__code__", None) for f in allowed} - {None}
    this_file = os.path.abspath(__file__)
    found: list[str] = []

    def tracer(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            code = frame.f_code
            if code in allowed_codes:
                return
            filename = os.path.abspath(code.co_filename)
            if filename == this_file:
                return
            for pkg, root in roots:
                if filename.startswith(root):
                    found.append(f"{pkg}: {code.co_qualname}")
                    return
        elif event == "c_call":
            module = getattr(arg, "__module__", None) or ""
            for pkg, _ in roots:
                if module == pkg or module.startswith(pkg + "."):
                    found.append(f"{pkg}: {getattr(arg, '__qualname__', arg)}")
                    return

    replayed: list[str] = []
    _replayed_calls.append(replayed)
    previous = _getprofile()
    _setprofile(tracer)
    try:
        result = func(*args, **kwargs)
    finally:
        tampered = _getprofile() is not tracer
        _setprofile(previous)
        _replayed_calls.remove(replayed)
    if tampered:
        found.append("sys.setprofile was changed while the function ran")
    return result, found + replayed


def assert_own_work(func: Callable[..., Any], *args: Any, name: str | None = None,
                    forbidden: Iterable[str] = FORBIDDEN_PACKAGES,
                    allowed: Iterable[Callable[..., Any]] = (), **kwargs: Any) -> Any:
    """Run ``func`` and fail if it delegates to nnlib, Keras, TensorFlow, scikit-learn, SciPy…
    (chapter 1, "Exercise").

    Returns the function's result so the caller can check it too.
    """
    result, calls = library_calls(func, *args, forbidden=forbidden, allowed=allowed, **kwargs)
    if calls:
        distinct = list(dict.fromkeys(calls))  # the first calls name the culprit; the rest follow
        shown = ", ".join(distinct[:3]) + (f", … {len(distinct) - 3} more" if len(distinct) > 3 else "")
        label = name or getattr(func, "__name__", "your function")
        raise GradingError(
            f"{label} calls a library's implementation ({shown}). The exercise is to write it "
            "yourself with numpy; calling nnlib, Keras, TensorFlow, scikit-learn or SciPy for it "
            "earns no points."
        )
    return result


# --- reference values from Keras and TensorFlow, for hidden tests ---------------------------------
# TensorFlow and Keras are imported inside each function, on first use: the setup cell that imports
# this module stays fast, and students' visible tests never need them. Inputs and outputs go through
# the numpy functions captured above, so a submission that rebinds numpy's cannot change them.

_float32 = np.float32


def tensorflow_derivative(fn: Callable[[Any], Any], x: Any) -> np.ndarray:
    """The gradient of ``sum(fn(x))`` with respect to ``x``, by TensorFlow's automatic
    differentiation (``tf.GradientTape``), as a numpy array shaped like ``x``.

    For an element-wise ``fn`` (an activation) that is ``f'(x)`` entry by entry; for a scalar ``fn``
    (a loss or a penalty of ``x``) it is the gradient. ``x`` keeps its dtype (pass float32 arrays
    to compare with what Keras computes). Used by the hidden tests of exercises 2, 3 and 4
    (chapter 2, "The activations and their derivatives") (chapter 3, "Backpropagation")
    (chapter 4, "Four fixes, side by side").
    """
    import tensorflow as tf

    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x).numpy()


def keras_dense(X: Any, W: Any, b: Any, activation: str | None = None) -> np.ndarray:
    """The output of ``keras.layers.Dense`` with kernel ``W`` (shape ``(inputs, units)``), bias
    ``b`` and ``activation`` on the batch ``X``, computed in float32 by Keras, as a numpy array.

    Used by the hidden tests of exercise 1 (chapter 1, "The matrix form").
    """
    import keras

    kernel = _asarray_f64(W, dtype=_float32)
    bias = _asarray_f64(b, dtype=_float32)
    layer = keras.layers.Dense(kernel.shape[1], activation=activation)
    layer.build((None, kernel.shape[0]))
    layer.set_weights([kernel, bias])
    return _asarray_f64(layer(_asarray_f64(X, dtype=_float32)))


def keras_optimizer_steps(optimizer: Any, w: Any, grads: Iterable[Any]) -> list[np.ndarray]:
    """The weights after each step of the Keras ``optimizer`` (e.g. ``keras.optimizers.Adam()``),
    starting from ``w`` and applying the gradients ``grads`` one after the other (float32).

    Returns one array per gradient: the weights after 1, 2, … steps. Used by the hidden tests of
    exercise 3 (chapter 3, "The optimisers, exactly as Keras computes them").
    """
    import keras

    variable = keras.Variable(_asarray_f64(w, dtype=_float32))
    weights = []
    for grad in grads:
        optimizer.apply([keras.ops.convert_to_tensor(_asarray_f64(grad, dtype=_float32))],
                        [variable])
        weights.append(_asarray_f64(variable.numpy()).copy())
    return weights


def keras_metric(metric: Any, y_true: Any, y_pred: Any) -> float:
    """The result of the Keras ``metric`` (a fresh ``keras.metrics`` object) after one
    ``update_state(y_true, y_pred)`` with float32 labels, as a float.

    Used by the hidden tests of exercise 5 (chapter 5, "Four counts and Table 1")
    (chapter 5, "More than two classes: macro, micro, weighted").
    """
    metric.update_state(_asarray_f64(y_true, dtype=_float32), _asarray_f64(y_pred, dtype=_float32))
    return float(metric.result())
