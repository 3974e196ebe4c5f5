"""Activation functions and the derivatives backpropagation uses: introduced in
(chapter 1, "One neuron"), taught in (chapter 2, "The activations and their derivatives").

Each function has Keras' name, signature and defaults (``nnlib.activations.leaky_relu(x)`` ≈
``keras.activations.leaky_relu(x)``, slope 0.2). For backpropagation every activation is paired
with ``backward(x, y, grad)``: given the input ``x``, the output ``y = f(x)`` and the gradient of
the loss with respect to ``y``, it returns the gradient with respect to ``x``. Element-wise
activations do this as ``grad * f'(x)``; softmax and log-softmax, which mix a whole slice along
``axis``, use their Jacobian–vector products. At the kinks (ReLU at 0, …) the derivative is the one
TensorFlow uses.

Every function is numerically stable: no ``exp`` of a large positive number is ever computed, so
inputs of any magnitude give finite results and no overflow warnings; why that matters is shown
on the softmax in (chapter 2, "Which activation on the output"). numpy float inputs keep their
dtype; Python numbers, lists and integer arrays are computed in ``backend.floatx()`` (float32), as
in Keras.

``get(name)`` resolves what ``layers.Dense(activation=...)`` accepts: ``None``, a name, one of the
functions below, or an :class:`Activation`; ``configure(name, **params)`` fixes parameters such as
``negative_slope`` or ``axis``.
"""
from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from . import numerics
from .backend import floatx

Array = np.ndarray
Axis = int | tuple[int, ...] | None


def _as_float(x: object, name: str) -> Array:
    """``x`` as a float array: numpy floats keep their dtype; Python numbers, lists, bool and int
    arrays become ``floatx()`` (float32), as Keras converts them."""
    arr = np.asarray(x)
    if arr.dtype.kind == "f" and isinstance(x, (np.ndarray, np.generic)):
        return arr
    if arr.dtype.kind in "biuf":
        return arr.astype(floatx())
    raise TypeError(f"{name} expects real numbers (a float array), got an array of dtype "
                    f"{arr.dtype}")


def normalize_axes(axis: Axis, ndim: int, name: str) -> tuple[int, ...]:
    """Normalise ``axis`` (an int, a tuple of ints or ``None`` for all axes) for ``ndim`` dims,
    with an error naming ``name`` if it does not fit
    (chapter 2, "Which activation on the output")."""
    if axis is None:
        return tuple(range(ndim))
    try:
        return normalize_axis_tuple(axis, ndim)
    except (np.exceptions.AxisError, TypeError) as err:
        raise ValueError(f"{name}: axis={axis!r} does not fit an input with {ndim} dimension(s) "
                         f"({err}); use an axis in [-{ndim}, {ndim - 1}]") from None


# --- forward functions -------------------------------------------------------------------------

def linear(x: Array) -> Array:
    """Identity, ``f(x) = x`` (chapter 1, "One neuron"): the output of a regression network
    (chapter 2, "Which activation on the output")."""
    return _as_float(x, "linear")


def sigmoid(x: Array) -> Array:
    """Logistic sigmoid ``1 / (1 + e^{-x})``, computed without overflow for any ``|x|``
    (chapter 1, "One neuron"); it saturates on both sides (chapter 2, "Saturation").

    For ``x < 0`` the formula is rewritten as ``e^{x} / (1 + e^{x})``, so ``exp`` only ever sees
    ``-|x|`` and cannot overflow.
    """
    return numerics.sigmoid(_as_float(x, "sigmoid"))


def tanh(x: Array) -> Array:
    """Hyperbolic tangent, output in (-1, 1) and zero-centred
    (chapter 2, "The three classic activations, measured")."""
    return np.tanh(_as_float(x, "tanh"))


def relu(x: Array, negative_slope: float = 0.0, max_value: float | None = None,
         threshold: float = 0.0) -> Array:
    """Rectified linear unit, ``max(x, 0)`` with Keras' defaults (chapter 1, "One neuron"); its
    derivative (chapter 2, "The activations and their derivatives").

    Like ``keras.activations.relu``: ``max_value`` caps the output, values at or below
    ``threshold`` become ``negative_slope * (x - threshold)``.
    """
    x = _as_float(x, "relu")
    if negative_slope != 0 and max_value is None and threshold == 0:
        return leaky_relu(x, negative_slope)
    out = np.maximum(x, 0) if threshold == 0 else np.where(x > threshold, x, 0).astype(x.dtype)
    if max_value is not None:
        out = np.minimum(out, max_value).astype(x.dtype, copy=False)
    if negative_slope != 0:
        out = out - negative_slope * np.maximum(threshold - x, 0)
    return out


def leaky_relu(x: Array, negative_slope: float = 0.2) -> Array:
    """Leaky ReLU: ``x`` for ``x > 0``, ``negative_slope * x`` otherwise
    (chapter 2, "The activations and their derivatives").

    The small slope keeps a gradient flowing for negative inputs, where ReLU's is zero.
    """
    x = _as_float(x, "leaky_relu")
    return np.where(x > 0, x, negative_slope * x).astype(x.dtype, copy=False)


def elu(x: Array, alpha: float = 1.0) -> Array:
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (e^x - 1)`` otherwise
    (chapter 2, "The activations and their derivatives").

    Smooth, and saturates at ``-alpha`` for very negative inputs. ``expm1`` of ``min(x, 0)`` is
    exact near 0 and never overflows.
    """
    x = _as_float(x, "elu")
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


def softplus(x: Array) -> Array:
    """Softplus ``log(1 + e^x)``, a smooth ReLU; its derivative is the sigmoid
    (chapter 2, "The activations and their derivatives").

    Computed as ``max(x, 0) + log1p(e^{-|x|})``: no overflow, full precision for any ``x``.
    """
    return numerics.softplus(_as_float(x, "softplus"))


def silu(x: Array) -> Array:
    """SiLU, also called swish: ``x · sigmoid(x)``
    (chapter 2, "The activations and their derivatives")."""
    x = _as_float(x, "silu")
    return x * numerics.sigmoid(x)


swish = silu  # Keras exports the same function under both names


# erfc(z) = 1 − erf(z) in float64 with ~1e-13 relative error, from numpy alone (nnlib does not
# depend on SciPy): the Maclaurin series of erf for |z| < 2, and Laplace's continued fraction
# erfc(z) = e^{−z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))) for |z| ≥ 2.
_TAYLOR_TERMS = 32
_CF_TERMS = 50


def _erfc(z: Array) -> Array:
    z = np.asarray(z, dtype=np.float64)
    a = np.minimum(np.abs(z), 40.0)  # erfc(40) underflows to 0: the cap changes no result
    out = np.empty_like(z)
    small = a < 2.0
    if small.any():
        zs = z[small]
        z2 = zs * zs
        term, total = zs.copy(), zs.copy()
        for n in range(1, _TAYLOR_TERMS):
            term *= -z2 / n
            total += term / (2 * n + 1)
        out[small] = 1.0 - total * (2 / math.sqrt(math.pi))
    if not small.all():
        al = a[~small]
        t = al.copy()
        for k in range(_CF_TERMS, 0, -1):
            t = al + (k / 2) / t
        tail = np.exp(-al * al) / (math.sqrt(math.pi) * t)
        out[~small] = np.where(z[~small] > 0, tail, 2.0 - tail)
    return out


def _normal_cdf(x: Array) -> Array:
    """Φ(x), the standard normal CDF, in float64: ``erfc(−x/√2) / 2`` (accurate in both tails)."""
    return 0.5 * _erfc(-np.asarray(x, dtype=np.float64) * math.sqrt(0.5))


_GELU_C = math.sqrt(2 / math.pi)
_GELU_A = 0.044715
_GELU_CLIP = 1e5  # beyond this |x| the tanh form has saturated; clipping avoids overflow in x³


def _gelu_tanh_arg(x64: Array) -> Array:
    xc = np.clip(x64, -_GELU_CLIP, _GELU_CLIP)
    return _GELU_C * (xc + _GELU_A * xc ** 3)


def gelu(x: Array, approximate: bool = False) -> Array:
    """Gaussian error linear unit ``x · Φ(x)``, Φ the standard normal CDF
    (chapter 2, "The activations and their derivatives").

    ``approximate=False`` (Keras' default) is the exact ``0.5 x (1 + erf(x / √2))``;
    ``approximate=True`` is the tanh form ``0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))``, computed
    as ``x · sigmoid(2u)``, an identity that avoids cancelling ``1 + tanh`` for negative ``x``.
    """
    x = _as_float(x, "gelu")
    x64 = x.astype(np.float64, copy=False)
    if approximate:
        out = x64 * numerics.sigmoid(2 * _gelu_tanh_arg(x64))
    else:
        out = x64 * _normal_cdf(x64)
    return out.astype(x.dtype, copy=False)


def softmax(x: Array, axis: Axis = -1) -> Array:
    """Softmax along ``axis``: positive outputs that sum to 1 over that axis, one probability per
    class (chapter 2, "Which activation on the output").

    ``axis`` is an int, a tuple of ints, or ``None`` for all axes, as in Keras. Subtracting the
    maximum along ``axis`` first leaves the result unchanged and keeps ``exp`` from overflowing on
    large logits: the largest exponent is ``e^0 = 1``.
    """
    x = _as_float(x, "softmax")
    axes = normalize_axes(axis, x.ndim, "softmax")
    with np.errstate(over="ignore"):  # x − max may round to −inf for |x| ~ 1e38: exp gives 0, exact
        shifted = x - np.max(x, axis=axes, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axes, keepdims=True)


def log_softmax(x: Array, axis: Axis = -1) -> Array:
    """``log(softmax(x))`` along ``axis``, computed as ``x − max − log Σ e^{x − max}``
    (chapter 2, "Which activation on the output").

    The cross-entropy losses (chapter 3, "Loss functions") need the log of a softmax; taking
    ``log`` of a softmax that underflowed to 0 would give ``-inf``, while this form stays exact.
    """
    x = _as_float(x, "log_softmax")
    return numerics.log_softmax(x, normalize_axes(axis, x.ndim, "log_softmax"))


# --- derivatives used by backpropagation -------------------------------------------------------

def _linear_backward(x: Array, y: Array, grad: Array) -> Array:
    return grad


def _sigmoid_backward(x: Array, y: Array, grad: Array) -> Array:
    return grad * y * (1 - y)  # σ'(x) = σ(x)(1 − σ(x)), from the output


def _tanh_backward(x: Array, y: Array, grad: Array) -> Array:
    return grad * (1 - y * y)  # tanh'(x) = 1 − tanh(x)², from the output


def _relu_backward(x: Array, y: Array, grad: Array, negative_slope: float = 0.0,
                   max_value: float | None = None, threshold: float = 0.0) -> Array:
    if negative_slope != 0 and max_value is None and threshold == 0:
        return _leaky_relu_backward(x, y, grad, negative_slope)
    passes = x > threshold  # 0 at x = threshold, as in TensorFlow
    if max_value is not None:
        # TensorFlow's relu6 kernel passes no gradient at 6; its clip passes it at max_value
        passes &= (x < max_value) if (max_value == 6 and threshold == 0) else (x <= max_value)
    slope = passes.astype(grad.dtype)
    if negative_slope != 0:
        slope += negative_slope * (x < threshold).astype(grad.dtype)
    return grad * slope


def _leaky_relu_backward(x: Array, y: Array, grad: Array, negative_slope: float = 0.2) -> Array:
    return grad * np.where(x > 0, 1, negative_slope).astype(grad.dtype)  # slope at 0, as TF


def _elu_backward(x: Array, y: Array, grad: Array, alpha: float = 1.0) -> Array:
    # x ≤ 0: α·e^x, which is y + α; written with e^{min(x, 0)} so that it never overflows
    return grad * np.where(x > 0, 1, alpha * np.exp(np.minimum(x, 0))).astype(grad.dtype)


def _softplus_backward(x: Array, y: Array, grad: Array) -> Array:
    return grad * numerics.sigmoid(x)


def _silu_backward(x: Array, y: Array, grad: Array) -> Array:
    s = numerics.sigmoid(x)
    return grad * (s * (1 + x * (1 - s)))  # σ + x σ (1 − σ)


def _gelu_backward(x: Array, y: Array, grad: Array, approximate: bool = False) -> Array:
    x64 = x.astype(np.float64, copy=False)
    if approximate:  # d/dx [x σ(2u)] = σ(2u) + 2x σ(2u)(1 − σ(2u)) u'
        s = numerics.sigmoid(2 * _gelu_tanh_arg(x64))
        xc = np.clip(x64, -_GELU_CLIP, _GELU_CLIP)
        du = _GELU_C * (1 + 3 * _GELU_A * xc * xc)
        d = s + 2 * x64 * s * (1 - s) * du
    else:  # Φ(x) + x φ(x)
        xc = np.clip(x64, -40.0, 40.0)  # φ underflows to 0 beyond: the clip changes nothing
        d = _normal_cdf(x64) + x64 * np.exp(-0.5 * xc * xc) / math.sqrt(2 * math.pi)
    return grad * d.astype(grad.dtype, copy=False)


def _softmax_backward(x: Array, y: Array, grad: Array, axis: Axis = -1) -> Array:
    # Jacobian–vector product of softmax along the axis: J = diag(y) − y yᵀ,
    # so Jᵀg = y ⊙ (g − ⟨g, y⟩).
    axes = normalize_axes(axis, y.ndim, "softmax")
    return y * (grad - np.sum(grad * y, axis=axes, keepdims=True))


def _log_softmax_backward(x: Array, y: Array, grad: Array, axis: Axis = -1) -> Array:
    # y = x − logsumexp(x): dy_i/dx_j = δ_ij − softmax_j, so Jᵀg = g − softmax · Σ g.
    axes = normalize_axes(axis, y.ndim, "log_softmax")
    return grad - np.exp(y) * np.sum(grad, axis=axes, keepdims=True)


@dataclass(frozen=True, repr=False)
class Activation:
    """An activation function with its backward rule
    (chapter 2, "The activations and their derivatives").

    ``forward(x)`` computes ``y = f(x)``; ``backward(x, y, grad)`` returns ``dL/dx`` from
    ``dL/dy = grad``. ``params`` records the parameters fixed by :func:`configure`, e.g.
    ``(("negative_slope", 0.1),)``.
    """

    name: str
    forward: Callable[[Array], Array]
    backward: Callable[[Array, Array, Array], Array]
    params: tuple[tuple[str, Any], ...] = ()

    def __call__(self, x: Array) -> Array:
        return self.forward(x)

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params)
        return f"Activation({self.name!r}{args})"

    def derivative(self, x: Array) -> Array:
        """``f'(x)`` element-wise (``backward`` with an upstream gradient of ones).

        For softmax and log-softmax this is the sum of each Jacobian column, not a derivative
        of one output; use ``backward`` for those.
        """
        x = _as_float(x, self.name)
        return self.backward(x, self.forward(x), np.ones_like(x))


_REGISTRY: dict[str, Activation] = {}


def register(activation: Activation, *aliases: str) -> Activation:
    """Make ``activation`` usable by name in ``Dense(activation=...)``
    (chapter 2, "The activations and their derivatives")."""
    for key in (activation.name, *aliases):
        _REGISTRY[key] = activation
    return activation


register(Activation("linear", linear, _linear_backward))
register(Activation("sigmoid", sigmoid, _sigmoid_backward))
register(Activation("tanh", tanh, _tanh_backward))
register(Activation("relu", relu, _relu_backward))
register(Activation("leaky_relu", leaky_relu, _leaky_relu_backward))
register(Activation("elu", elu, _elu_backward))
register(Activation("softplus", softplus, _softplus_backward))
register(Activation("silu", silu, _silu_backward), "swish")
register(Activation("gelu", gelu, _gelu_backward))
register(Activation("softmax", softmax, _softmax_backward))
register(Activation("log_softmax", log_softmax, _log_softmax_backward))


def get(identifier: str | Callable | Activation | None) -> Activation:
    """Resolve ``None``, a name, an nnlib activation function or an :class:`Activation`
    (chapter 1, "One neuron").

    Raises ``ValueError`` for an unknown name, listing the known ones.
    """
    if identifier is None:
        return _REGISTRY["linear"]
    if isinstance(identifier, Activation):
        return identifier
    if isinstance(identifier, str):
        try:
            return _REGISTRY[identifier]
        except KeyError:
            raise ValueError(
                f"Unknown activation {identifier!r}; expected one of {sorted(_REGISTRY)}"
            ) from None
    if callable(identifier):
        for act in _REGISTRY.values():
            if act.forward is identifier:
                return act
        raise ValueError(
            f"activation {identifier!r} has no derivative nnlib knows; pass a name such as 'relu', "
            "one of nnlib.activations' functions, or nnlib.activations.Activation(name, forward, "
            "backward)"
        )
    raise TypeError(
        f"activation must be None, a name, a function or an Activation, got {type(identifier).__name__}"
    )


def configure(identifier: str | Callable | Activation, **params: Any) -> Activation:
    """The activation ``identifier`` with some parameters fixed
    (chapter 2, "The activations and their derivatives").

    ``configure("leaky_relu", negative_slope=0.1)``, ``configure("softmax", axis=1)`` and
    ``configure("gelu", approximate=True)`` can be passed to ``Dense(activation=...)``; the layers
    ``LeakyReLU``, ``Softmax``, … use it. Raises ``TypeError`` for a parameter the function lacks.
    """
    base = get(identifier)
    forward, backward = base.forward, base.backward
    merged = dict(base.params)
    if isinstance(forward, functools.partial):  # configuring a configured activation
        forward, backward = forward.func, backward.func  # type: ignore[attr-defined]
    known = [p for p in inspect.signature(forward).parameters][1:]
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise TypeError(f"activation {base.name!r} has no parameter(s) {unknown}; "
                        f"it takes {known or 'none'}")
    merged.update(params)
    if not merged:
        return base
    return Activation(base.name, functools.partial(forward, **merged),
                      functools.partial(backward, **merged), tuple(sorted(merged.items())))


def serialize(activation: Activation) -> str:
    """The name under which ``activation`` is registered, as Keras' ``get_config`` shows it
    (chapter 2, "The activations and their derivatives")."""
    return activation.name
