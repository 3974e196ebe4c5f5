"""The ``Layer`` base class: weights, build-on-first-call, forward/backward (chapter 1).

A layer owns named weights (``add_weight``), builds them the first time it sees an input (so a
``Dense(4)`` learns its input width from the data, like Keras), computes ``forward(x, training)``
and keeps what ``backward(grad)`` needs in a cache, in the style of CS231n.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from typing import ClassVar, Sequence

import numpy as np

from .. import initializers
from .._checks import as_float_array, check_input_shape, format_shape
from ..backend import standardize_dtype
from ..utils import to_snake_case

Shape = tuple[int | None, ...]


class Layer:
    """Base class of every nnlib layer (chapter 1).

    Subclasses implement ``build(input_shape)`` (create weights with ``add_weight``),
    ``compute_output_shape``, ``forward(x, training)`` and ``backward(grad)``; ``backward`` stores
    the weight gradients in ``self.grads[name]`` and returns the gradient with respect to the input.
    """

    _name_counters: ClassVar[defaultdict[str, itertools.count]] = defaultdict(itertools.count)

    def __init__(self, name: str | None = None, dtype: object | None = None,
                 trainable: bool = True) -> None:
        base = to_snake_case(type(self).__name__)
        if name is None:
            n = next(Layer._name_counters[base])
            name = base if n == 0 else f"{base}_{n}"
        elif not isinstance(name, str) or not name:
            raise TypeError(f"name must be a non-empty string, got {name!r}")
        self.name = name
        self.dtype = standardize_dtype(dtype)
        self.trainable = trainable
        self.built = False
        self.input_shape: Shape | None = None
        self._params: dict[str, np.ndarray] = {}
        self._trainable_names: list[str] = []
        self.grads: dict[str, np.ndarray] = {}

    # --- weights -------------------------------------------------------------------------------
    def add_weight(self, name: str, shape: Sequence[int], initializer: str | initializers.Initializer,
                   trainable: bool = True) -> np.ndarray:
        """Create a weight of ``shape`` drawn by ``initializer`` and register it under ``name``."""
        value = initializers.get(initializer)(tuple(shape), self.dtype)
        self._params[name] = np.ascontiguousarray(value, dtype=self.dtype)
        if trainable:
            self._trainable_names.append(name)
            self.grads[name] = np.zeros_like(self._params[name])
        return self._params[name]

    @property
    def weights(self) -> list[np.ndarray]:
        """All weights in creation order (Keras order: kernel, then bias). Live arrays, not copies."""
        return list(self._params.values())

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        """The weights the optimiser updates (none if ``trainable`` is False)."""
        if not self.trainable:
            return []
        return [self._params[n] for n in self._trainable_names]

    @property
    def weight_names(self) -> list[str]:
        """Names of the weights, in the order of ``get_weights()``."""
        return list(self._params)

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights, in Keras' order and shapes (Dense: kernel ``(in, out)``, bias)."""
        return [w.copy() for w in self._params.values()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Copy ``weights`` into this layer, checking their number and shapes like Keras."""
        if not self.built:
            raise ValueError(
                f"Layer {self.name!r} has no weights yet: call it on data or build it first"
            )
        weights = list(weights)
        if len(weights) != len(self._params):
            raise ValueError(
                f"Layer {self.name!r} expects {len(self._params)} weight arrays "
                f"({', '.join(self._params)}), but got {len(weights)}"
            )
        for (name, current), new in zip(self._params.items(), weights):
            new = as_float_array(new, self.dtype, f"weight {name!r} of layer {self.name!r}")
            if new.shape != current.shape:
                raise ValueError(
                    f"Layer {self.name!r}: weight {name!r} has shape {current.shape}, "
                    f"but the value given has shape {new.shape}"
                    + (" (a transposed kernel? Keras stores Dense kernels as (inputs, units))"
                       if new.shape == current.shape[::-1] else "")
                )
            np.copyto(current, new)  # in place: optimisers and models hold views of these arrays

    def count_params(self) -> int:
        """Number of scalars in all weights, as in ``model.summary()``."""
        return int(sum(w.size for w in self._params.values()))

    def regularization_loss(self) -> float:
        """Penalty this layer adds to the loss (chapter 4); 0 for layers without regularisers."""
        return 0.0

    # --- building and calling ------------------------------------------------------------------
    def build(self, input_shape: Shape) -> None:
        """Create the weights for inputs of ``input_shape`` (batch axis ``None``)."""
        self.input_shape = tuple(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """Shape of the output for inputs of ``input_shape``; the identity by default."""
        return tuple(input_shape)

    @property
    def output_shape(self) -> Shape:
        """Output shape once built, e.g. ``(None, 4)``."""
        if self.input_shape is None:
            raise ValueError(f"Layer {self.name!r} is not built yet, so it has no output shape")
        return self.compute_output_shape(self.input_shape)

    def ensure_built(self, input_shape: Shape) -> None:
        """Build on first use; afterwards check that new inputs have the shape it was built for."""
        if not self.built:
            input_shape = (None, *tuple(input_shape)[1:])
            self.build(input_shape)
            self.built = True
            self.input_shape = input_shape

    def __call__(self, x: object, training: bool = False) -> np.ndarray:
        """Check ``x``, build on first use, and return ``forward(x, training)``."""
        arr = as_float_array(x, self.dtype, f"Input to layer {self.name!r}")
        if arr.ndim == 0:
            raise ValueError(
                f"Input to layer {self.name!r} must have a batch axis, got a scalar {arr!r}"
            )
        self.ensure_built(arr.shape)
        self.check_input(arr)
        return self.forward(arr, training=training)

    def check_input(self, x: np.ndarray) -> None:
        """Raise ``ValueError`` if ``x`` does not fit the shape this layer was built for."""
        check_input_shape(x, self.input_shape, f"Layer {self.name!r}")  # type: ignore[arg-type]

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Compute the output for a checked batch ``x``; keep what ``backward`` needs."""
        raise NotImplementedError

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Given ``dL/d output``, fill ``self.grads`` and return ``dL/d input``.

        With ``input_grad=False`` (the first layer of a model) the input gradient is skipped.
        """
        raise NotImplementedError

    def get_config(self) -> dict:
        """The constructor arguments, as in Keras' ``get_config``."""
        return {"name": self.name, "dtype": self.dtype.name, "trainable": self.trainable}

    def __repr__(self) -> str:
        shape = format_shape(self.output_shape) if self.built else "unbuilt"
        return f"<{type(self).__name__} name={self.name!r} output={shape}>"
