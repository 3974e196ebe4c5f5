"""Weight initialisers with Keras' names and formulas; the defaults, Glorot-uniform kernels and
zero biases, are introduced in (chapter 1, "The same network in nnlib and in Keras").

Glorot ("Xavier") keeps the variance of activations about equal across layers for tanh and sigmoid;
He does so for ReLU (chapter 4, "Vanishing gradients: deep sigmoid networks"). With
``seed=None`` they draw from nnlib's global generator (see ``nnlib.utils.set_random_seed``); with
an integer seed every call returns the same values, as in Keras 3.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .utils import make_rng, resolve

Shape = Sequence[int]


def compute_fans(shape: Shape) -> tuple[int, int]:
    """Fan-in and fan-out of a weight of ``shape``: Dense kernels are ``(in, out)``. He's variance
    is ``2 / fan_in`` (chapter 4, "Vanishing gradients: deep sigmoid networks")."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))  # convolution kernels (kh, kw, in, out)
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base class: ``init(shape, dtype)`` returns a new array
    (chapter 1, "The same network in nnlib and in Keras")."""

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def __call__(self, shape: Shape, dtype: object = "float32") -> np.ndarray:
        return np.asarray(self.sample(tuple(shape), make_rng(self.seed)), dtype=dtype)

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """Values of ``shape`` drawn from ``rng`` by the subclass's rule (``__call__`` casts)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(seed={self.seed})"


class Zeros(Initializer):
    """All zeros: Keras' default for biases
    (chapter 1, "The same network in nnlib and in Keras")."""

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """An array of zeros of ``shape`` (``rng`` is not used)."""
        return np.zeros(shape)


class Ones(Initializer):
    """All ones, Keras' ``Ones``; with the other initialisers in
    (chapter 1, "The same network in nnlib and in Keras")."""

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """An array of ones of ``shape`` (``rng`` is not used)."""
        return np.ones(shape)


class RandomUniform(Initializer):
    """Uniform on ``[minval, maxval)``, Keras defaults ±0.05; how the scale of random weights
    decides saturation: (chapter 2, "Saturation")."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """Values of ``shape`` drawn uniformly from ``[minval, maxval)``."""
        return rng.uniform(self.minval, self.maxval, size=shape)


class RandomNormal(Initializer):
    """Normal with ``mean`` and ``stddev``, Keras defaults 0 and 0.05; the weights of
    (chapter 2, "Saturation") are drawn this way at three scales."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """Values of ``shape`` drawn from the normal distribution with ``mean`` and ``stddev``."""
        return rng.normal(self.mean, self.stddev, size=shape)


def _truncated_normal(rng: np.random.Generator, stddev: float, shape: tuple[int, ...]) -> np.ndarray:
    """Normal(0, stddev) redrawn until within two standard deviations, as ``TruncatedNormal``."""
    out = rng.normal(0.0, stddev, size=shape)
    bad = np.abs(out) > 2 * stddev
    while bad.any():
        out[bad] = rng.normal(0.0, stddev, size=int(bad.sum()))
        bad = np.abs(out) > 2 * stddev
    return out


class VarianceScaling(Initializer):
    """Keras' ``VarianceScaling``: variance ``scale / n`` with n = fan_in, fan_out or their mean;
    Glorot and He are special cases (chapter 4, "Vanishing gradients: deep sigmoid networks")."""

    # std of a unit normal truncated at ±2, used to correct the truncated distribution's variance
    _TRUNC_STD = 0.87962566103423978

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: int | None = None):
        super().__init__(seed)
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"mode must be 'fan_in', 'fan_out' or 'fan_avg', got {mode!r}")
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(
                "distribution must be 'truncated_normal', 'untruncated_normal' or 'uniform', "
                f"got {distribution!r}"
            )
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """Values of ``shape`` with variance ``scale / n``, from the chosen ``distribution``."""
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = np.sqrt(3.0 * variance)
            return rng.uniform(-limit, limit, size=shape)
        if self.distribution == "untruncated_normal":
            return rng.normal(0.0, np.sqrt(variance), size=shape)
        return _truncated_normal(rng, np.sqrt(variance) / self._TRUNC_STD, shape)


class GlorotUniform(VarianceScaling):
    """Uniform on ±sqrt(6 / (fan_in + fan_out)): Keras' default for Dense kernels
    (chapter 1, "The same network in nnlib and in Keras")."""

    def __init__(self, seed: int | None = None):
        super().__init__(1.0, "fan_avg", "uniform", seed)


class GlorotNormal(VarianceScaling):
    """Truncated normal with std sqrt(2 / (fan_in + fan_out))
    (chapter 4, "Vanishing gradients: deep sigmoid networks")."""

    def __init__(self, seed: int | None = None):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed)


class HeUniform(VarianceScaling):
    """Uniform on ±sqrt(6 / fan_in), suited to ReLU layers
    (chapter 4, "Vanishing gradients: deep sigmoid networks")."""

    def __init__(self, seed: int | None = None):
        super().__init__(2.0, "fan_in", "uniform", seed)


class HeNormal(VarianceScaling):
    """Truncated normal with std sqrt(2 / fan_in), suited to ReLU layers
    (chapter 4, "Vanishing gradients: deep sigmoid networks")."""

    def __init__(self, seed: int | None = None):
        super().__init__(2.0, "fan_in", "truncated_normal", seed)


_NAMES: dict[str, type[Initializer]] = {
    "zeros": Zeros, "ones": Ones, "random_uniform": RandomUniform, "random_normal": RandomNormal,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal,
}


def get(identifier: str | Initializer) -> Initializer:
    """Resolve a Keras initialiser name (``"glorot_uniform"``, ``"he_normal"`` …) or instance, as
    ``kernel_initializer="he_normal"`` does
    (chapter 4, "Vanishing gradients: deep sigmoid networks")."""
    return resolve(identifier, _NAMES, Initializer, "initializer", "an Initializer")
