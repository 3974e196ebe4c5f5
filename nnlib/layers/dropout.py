"""``Dropout``: inverted dropout, active only while training
(chapter 4, "Four fixes, side by side").

In training, each input entry is kept with probability ``1 − rate`` and scaled by
``1 / (1 − rate)``, or set to 0: ``y = x · m / (1 − rate)`` with a fresh random 0/1 mask ``m`` per
call. The scaling keeps the expected value of every entry unchanged, ``E[y] = x``, so at inference
the layer is simply the identity — nothing to rescale afterwards. The backward pass reuses the mask:
``dL/dx = dL/dy · m / (1 − rate)``. Same arguments as ``keras.layers.Dropout``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..utils import global_rng
from .base import Layer, Shape


class Dropout(Layer):
    """Randomly zero a fraction ``rate`` of the inputs in training: Keras' ``Dropout``
    (chapter 4, "Four fixes, side by side"); checked against Keras in
    (chapter 4, "The same numbers in Keras").

    Args:
        rate: fraction of entries to drop, in ``[0, 1]``.
        noise_shape: shape of the mask, broadcast against the input (``None`` entries take the
            input's size), e.g. ``(None, 1, features)`` to drop the same features at every step.
        seed: an integer gives the layer a random generator of its own (reproducible masks);
            ``None`` draws from nnlib's global generator (``nnlib.utils.set_random_seed``).
    """

    def __init__(self, rate: float, noise_shape: Sequence[int | None] | None = None,
                 seed: int | None = None, name: str | None = None, dtype: object | None = None,
                 **kwargs: object) -> None:
        super().__init__(name=name, dtype=dtype, **kwargs)  # type: ignore[arg-type]
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)):
            raise TypeError(f"Dropout rate must be a number in [0, 1], got {rate!r}")
        if not 0 <= rate <= 1:
            raise ValueError(f"Dropout rate must be a number in [0, 1], got rate={rate}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                                 or seed < 0):
            raise ValueError(f"Dropout seed must be None or a non-negative integer, got {seed!r}")
        self.rate = float(rate)
        self.seed = seed
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        #: the layer's own generator (with ``seed``), else ``None``: nnlib's global one
        self.rng = None if seed is None else np.random.default_rng(int(seed))
        self.mask: np.ndarray | None = None  # scaled mask m / (1 − rate) of the last training call

    def _mask_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if self.noise_shape is None:
            return shape
        if len(self.noise_shape) != len(shape):
            raise ValueError(f"Dropout noise_shape {self.noise_shape} must have one entry per "
                             f"input axis; the input has shape {shape}")
        out = tuple(s if n is None else int(n) for n, s in zip(self.noise_shape, shape))
        if any(n not in (1, s) for n, s in zip(out, shape)):
            raise ValueError(f"Dropout noise_shape {self.noise_shape} does not broadcast against "
                             f"the input shape {shape}: each entry must be None, 1 or the size")
        return out

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """``x · m / (1 − rate)`` in training (a new mask each call), ``x`` itself at inference."""
        if not training or self.rate == 0:
            self.mask = None
            return x
        if self.rate == 1:
            self.mask = np.zeros(self._mask_shape(x.shape), dtype=x.dtype)
            return np.zeros_like(x)
        rng = self.rng if self.rng is not None else global_rng()
        keep = rng.random(self._mask_shape(x.shape)) >= self.rate
        scale = x.dtype.type(1.0 / (1.0 - self.rate))
        self.mask = keep * scale  # 0 or 1/(1 − rate), in x's dtype
        return x * self.mask

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """``grad · m / (1 − rate)`` with the last forward pass's mask (identity at inference)."""
        if not input_grad:
            return None
        return grad if self.mask is None else grad * self.mask

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """The input shape: dropout only zeroes and scales entries."""
        return tuple(input_shape)

    def get_config(self) -> dict:
        """The base config plus ``rate``, ``seed`` and ``noise_shape``."""
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}
