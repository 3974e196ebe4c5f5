"""The ``Layer`` base class: weights, build-on-first-call, forward/backward (chapter 1,
"From neurons to layers").

A layer creates its weights in ``build(input_shape)`` with ``add_weight`` (so a ``Dense(4)``
learns its input width from the data, like Keras), computes ``forward(x, training)`` keeping what
``backward`` needs in ``self.cache``, and in ``backward(grad)`` fills each weight's gradient and
returns the gradient with respect to its input, in the style of CS231n (chapter 3,
"Backpropagation"). Both ways of writing a gradient work: into the array,
``np.matmul(x.T, g, out=self.kernel.grad)``, or by assignment, ``self.kernel.grad = x.T @ g`` or
``self.grads = {"kernel": x.T @ g, "bias": g.sum(0)}``; assignments copy into the weight's own
gradient array, which the optimiser reads.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator, MutableMapping
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np

from .. import initializers
from .. import regularizers as regularizers_module
from .._checks import as_float_array, check_input_shape, format_shape
from ..backend import standardize_dtype
from ..utils import to_snake_case
from ..variables import Variable

Shape = tuple[int | None, ...]


class Gradients(MutableMapping):
    """``layer.grads``: the gradient of each trainable weight by name (chapter 3,
    "Backpropagation"). Reading gives the live array; assigning copies into it."""

    def __init__(self, variables: Mapping[str, Variable], layer_name: str) -> None:
        self._variables = {n: v for n, v in variables.items() if v.grad is not None}
        self._layer_name = layer_name

    def _variable(self, name: str) -> Variable:
        try:
            return self._variables[name]
        except KeyError:
            raise KeyError(f"layer {self._layer_name!r} has no trainable weight {name!r}; its "
                           f"weights are {sorted(self._variables)}") from None

    def __getitem__(self, name: str) -> np.ndarray:
        return self._variable(name).grad  # type: ignore[return-value]

    def __setitem__(self, name: str, value: Any) -> None:
        self._variable(name).grad = value

    def __delitem__(self, name: str) -> None:
        raise TypeError("a layer's gradients cannot be deleted; assign zeros instead")

    def __iter__(self) -> Iterator[str]:
        return iter(self._variables)

    def __len__(self) -> int:
        return len(self._variables)


class Layer:
    """Base class of every nnlib layer (chapter 1, "From neurons to layers").

    Subclasses implement ``build(input_shape)`` (weights via ``add_weight``),
    ``compute_output_shape``, ``forward(x, training)`` and ``backward(grad, input_grad)``.
    ``trainable = False`` freezes the layer: its weights drop out of ``trainable_weights``, so
    optimisers leave them alone, while gradients still flow through it to earlier layers.
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
        self.trainable = bool(trainable)
        self.built = False
        self.input_shape: Shape | None = None
        self.cache: Any = None  # what forward keeps for backward
        self._variables: dict[str, Variable] = {}

    def __setattr__(self, name: str, value: Any) -> None:
        """``layer.kernel = array`` copies into the existing weight instead of replacing it, so
        the model and the optimiser never lose track of it."""
        current = self.__dict__.get(name)
        if isinstance(current, Variable) and not isinstance(value, Variable):
            current.assign(value)
        else:
            object.__setattr__(self, name, value)

    # --- weights -------------------------------------------------------------------------------
    def add_weight(self, name: str, shape: Sequence[int],
                   initializer: str | initializers.Initializer = "glorot_uniform",
                   regularizer: str | regularizers_module.Regularizer | None = None,
                   trainable: bool = True) -> Variable:
        """Create a weight of ``shape`` drawn by ``initializer`` and return it, as Keras'
        ``add_weight`` (chapter 1, "Counting parameters"); its ``regularizer`` adds a penalty to
        the loss (chapter 4, "Four fixes, side by side")."""
        if name in self._variables:
            raise ValueError(f"layer {self.name!r} already has a weight named {name!r}")
        value = initializers.get(initializer)(tuple(shape), self.dtype)
        variable = Variable(value, name=name, trainable=trainable,
                            regularizer=regularizers_module.get(regularizer),
                            path=f"{self.name}/{name}")
        self._variables[name] = variable
        return variable

    @property
    def weights(self) -> list[Variable]:
        """All weights in creation order, Keras' order (Dense: kernel, then bias)."""
        return list(self._variables.values())

    @property
    def trainable_weights(self) -> list[Variable]:
        """The weights the optimiser updates: none while the layer is frozen."""
        return [v for v in self._variables.values() if v.trainable] if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Variable]:
        """The weights the optimiser leaves alone (all of them while the layer is frozen)."""
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    @property
    def grads(self) -> Gradients:
        """``{weight name: gradient}``; assigning an entry, or a whole dict, copies the values in
        (chapter 3, "Backpropagation")."""
        return Gradients(self._variables, self.name)

    @grads.setter
    def grads(self, values: Mapping[str, Any]) -> None:
        gradients = self.grads
        for name, value in values.items():
            gradients[name] = value

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights, in Keras' order and shapes (Dense: kernel ``(in, out)``, bias)
        (chapter 1, "The same network in nnlib and in Keras")."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Copy ``weights`` into this layer, checking their number and shapes like Keras
        (chapter 1, "The same network in nnlib and in Keras")."""
        if not self.built:
            raise ValueError(
                f"Layer {self.name!r} has no weights yet: call it on data or build it first")
        mine, weights = self.weights, list(weights)
        if len(weights) != len(mine):
            raise ValueError(
                f"{type(self).__name__} {self.name!r} expects {len(mine)} weight arrays with shapes "
                f"{[v.shape for v in mine]} ({', '.join(v.name for v in mine)}), got {len(weights)}")
        for variable, new in zip(mine, weights):
            new = as_float_array(new, self.dtype, f"weight {variable.path!r}")
            if new.shape != variable.shape:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r}: weight {variable.path!r} has shape "
                    f"{variable.shape}, but the value given has shape {new.shape}"
                    + (" (a transposed kernel? Keras stores Dense kernels as (inputs, units))"
                       if new.shape == variable.shape[::-1] else ""))
        for variable, new in zip(mine, weights):
            variable.assign(new)

    def count_params(self) -> int:
        """Number of scalars in all weights, as in ``model.summary()`` (chapter 1, "Counting
        parameters")."""
        return int(sum(v.size for v in self.weights))

    def regularization_loss(self) -> float:
        """The penalties of the trainable weights' regularizers, added to the loss (chapter 4,
        "Four fixes, side by side"); 0 while frozen."""
        return regularizers_module.total_penalty(self.trainable_weights)

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
        """Output shape once built, e.g. ``(None, 4)`` (chapter 1, "Counting parameters")."""
        if self.input_shape is None:
            raise ValueError(f"Layer {self.name!r} is not built yet, so it has no output shape")
        return self.compute_output_shape(self.input_shape)

    def ensure_built(self, input_shape: Shape) -> None:
        """Build for ``input_shape`` (batch axis ignored) unless built already."""
        if not self.built:
            input_shape = (None, *tuple(input_shape)[1:])
            self.build(input_shape)
            self.built = True
            self.input_shape = input_shape

    def prepare_input(self, x: object) -> np.ndarray:
        """``x`` as a checked array of this layer's dtype, building the layer on first use
        (chapter 1, "The matrix form"): finite numbers, a batch axis, the shape it was built for."""
        arr = as_float_array(x, self.dtype, f"Input to {type(self).__name__} {self.name!r}")
        if arr.ndim == 0:
            raise ValueError(
                f"Input to layer {self.name!r} must have a batch axis, got a scalar {arr!r}")
        self.ensure_built(arr.shape)
        self.check_input(arr)
        return arr

    def __call__(self, x: object, training: bool = False) -> np.ndarray:
        """``layer(x)``: check ``x``, build on first use, and return ``forward(x, training)``."""
        return self.forward(self.prepare_input(x), training=training)

    def check_input(self, x: np.ndarray) -> None:
        """Raise ``ValueError`` if ``x`` does not fit the shape this layer was built for."""
        check_input_shape(x, self.input_shape, f"Layer {self.name!r}")  # type: ignore[arg-type]

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Compute the output for a checked batch ``x``; keep what ``backward`` needs."""
        raise NotImplementedError

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Given ``dL/d output``, fill the weights' gradients and return ``dL/d input``.

        With ``input_grad=False`` (the first layer of a model) the input gradient is skipped.
        """
        raise NotImplementedError

    def backward_per_sample(self, grad: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Like ``backward``, but keep each sample's weight gradients apart: returns ``dL/d input``
        and, per trainable weight, an array ``(samples, *weight.shape)`` — the rows of a Jacobian
        (chapter 3, "Levenberg–Marquardt: when the network is small"). A layer without trainable
        weights (or a frozen one) gets this from ``backward``; others implement it."""
        if self.trainable_weights:
            raise NotImplementedError(f"{type(self).__name__} has no per-sample gradients")
        return self.backward(grad), []  # type: ignore[return-value]

    def logits_activation(self) -> str | None:
        """The name of the activation this layer applies last, when ``backward_preactivation``
        can start backpropagation below it; ``None`` otherwise. A cross-entropy loss is computed
        from those logits, as Keras does (chapter 3, "Loss functions")."""
        return None

    def get_config(self) -> dict:
        """The constructor arguments, as in Keras' ``get_config``."""
        return {"name": self.name, "dtype": self.dtype.name, "trainable": self.trainable}

    def __repr__(self) -> str:
        shape = format_shape(self.output_shape) if self.built else "unbuilt"
        return f"<{type(self).__name__} name={self.name!r} output={shape}>"
