"""``Sequential``: a stack of layers with Keras' API (chapter 1, "The same network in nnlib and in
Keras").

A ``Sequential`` is structure: its layers, building them, the forward pass through them in order
and the backward pass in reverse, its weights, ``summary()``, saving and loading. It is itself a
``Layer``, so models compose: a ``Sequential`` can hold another ``Sequential``, and two models can
share layers (a GAN trains its generator through a frozen discriminator). Training is not here:
``compile``/``fit``/``evaluate``/``predict``/``train_on_batch`` have Keras' names and call
``nnlib.training`` (chapter 3, "The whole workflow, in nnlib and in Keras").
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from . import training
from ._checks import format_shape
from .callbacks import History
from .layers.base import Layer, Shape
from .layers.core import InputLayer
from .optimizers import Optimizer
from .variables import Variable


class Sequential(Layer):
    """A linear stack of layers, like ``keras.Sequential`` (chapter 1, "The same network in
    nnlib and in Keras").

    >>> from nnlib import Input, layers
    >>> model = Sequential([Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    >>> model.predict(np.zeros((2, 4))).shape
    (2, 3)
    """

    def __init__(self, layers: Iterable[Layer] | None = None, name: str | None = None,
                 trainable: bool = True) -> None:
        self._layers: list[Layer] = []
        self._input: InputLayer | None = None
        super().__init__(name=name, trainable=trainable)
        self.optimizer: Any = None
        self.loss: Any = None
        self.compiled_loss: training.CompiledLoss | None = None
        self.compiled_metrics: list[Any] = []
        self.history: History | None = None
        self.stop_training = False
        for layer in layers or []:
            self.add(layer)

    # --- structure -------------------------------------------------------------------------------
    def add(self, layer: Layer) -> None:
        """Append a layer (an ``Input`` may only come first)."""
        if isinstance(layer, InputLayer):
            if self._input is not None or self._layers:
                raise ValueError("An Input can only be the first element of a Sequential model")
            self._input = layer
            self.build((None, *layer.shape))
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential takes nnlib layers, got {type(layer).__name__}: {layer!r}")
        if layer is self or any(layer is existing for existing in self._layers):
            raise ValueError(f"Layer {layer.name!r} is already in this model")
        self._layers.append(layer)
        self.built = False
        if self._input is not None:
            self.build((None, *self._input.shape))
        elif self._layers[0].built:  # e.g. a model that starts with an Input: its input shape
            self.build(self._layers[0].input_shape)

    @property
    def layers(self) -> list[Layer]:
        """The layers in order (without the ``Input``), as in Keras."""
        return list(self._layers)

    @property
    def dtype(self) -> np.dtype:  # type: ignore[override]
        """The first layer's float type: inputs are converted to it."""
        return self._layers[0].dtype if self._layers else self._default_dtype

    @dtype.setter
    def dtype(self, value: np.dtype) -> None:
        self._default_dtype = value

    @property
    def trainable(self) -> bool:  # type: ignore[override]
        """Setting it sets every layer's ``trainable``, as in Keras (chapter 4, "Vanishing
        gradients: deep sigmoid networks")."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = value

    def build(self, input_shape: Shape | None = None) -> None:
        """Build every layer for inputs of ``input_shape`` (batch axis ``None``)."""
        if input_shape is None:
            if self._input is None:
                raise ValueError("build() needs an input_shape, or start the model with Input(shape)")
            input_shape = (None, *self._input.shape)
        shape: Shape = (None, *tuple(input_shape)[1:])
        for layer in self._layers:
            if layer.built and layer.input_shape is not None and \
                    tuple(layer.input_shape[1:]) != tuple(shape[1:]):
                raise ValueError(
                    f"Layer {layer.name!r} was built for inputs {format_shape(layer.input_shape)}, "
                    f"but the previous layer gives {format_shape(shape)}")
            layer.ensure_built(shape)
            shape = layer.compute_output_shape(shape)
        self.input_shape = (None, *tuple(input_shape)[1:])
        self.built = bool(self._layers)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """The shape after every layer in turn, for inputs of ``input_shape``."""
        shape = tuple(input_shape)
        for layer in self._layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def check_input(self, x: np.ndarray) -> None:
        """The first layer's check: ``x`` must fit the shape the model was built for."""
        if not self._layers:
            raise ValueError(f"Model {self.name!r} has no layers")
        self._layers[0].check_input(x)

    def _require_built(self, what: str) -> None:
        if not self.built:
            raise ValueError(
                f"{what}: model {self.name!r} is not built yet. Start it with nnlib.Input(shape=...),"
                " call model.build((None, n_features)) or call it on data first.")

    # --- weights: the layers' ---------------------------------------------------------------------
    @property
    def weights(self) -> list[Variable]:
        """Every layer's weights, in Keras order; a weight shared by two layers counts once."""
        return _once([v for layer in self._layers for v in layer.weights])

    @property
    def trainable_weights(self) -> list[Variable]:
        """The weights the optimiser updates: those of the layers that are not frozen."""
        if not self.trainable:
            return []
        return _once([v for layer in self._layers for v in layer.trainable_weights])

    def count_params(self) -> int:
        """Total number of weights (scalars) in the model (chapter 1, "Counting parameters")."""
        self._require_built("count_params")
        return super().count_params()

    # --- forward and backward --------------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Run the (already checked) batch ``x`` through every layer."""
        for layer in self._layers:
            x = layer.forward(x, training=training)
        return x

    def backward(self, grad: np.ndarray, input_grad: bool = True,
                 from_logits: bool = False) -> np.ndarray | None:
        """Backpropagate ``dL/d output`` through the layers in reverse, filling every weight's
        gradient (chapter 3, "Backpropagation"); returns ``dL/d input`` if ``input_grad``.

        With ``from_logits=True``, ``grad`` is the gradient with respect to the output layer's
        logits (a cross-entropy folded into its softmax/sigmoid, ``training.CompiledLoss``), and
        backpropagation starts below that layer's activation.
        """
        last = len(self._layers) - 1
        for i in range(last, -1, -1):
            layer, needs_input = self._layers[i], input_grad or i > 0
            if i == last and from_logits:
                grad = layer.backward_preactivation(grad, input_grad=needs_input)  # type: ignore[attr-defined]
            else:
                grad = layer.backward(grad, input_grad=needs_input)
        return grad

    def backward_per_sample(self, grad: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """``backward`` keeping each sample's weight gradients apart, in ``trainable_weights``'
        order (chapter 3, "Levenberg–Marquardt: when the network is small")."""
        if not self.trainable:
            return super().backward_per_sample(grad)
        per_sample: list[np.ndarray] = []
        for layer in reversed(self._layers):
            grad, mine = layer.backward_per_sample(grad)
            per_sample = mine + per_sample
        return grad, per_sample

    def backward_preactivation(self, grad_z: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """``backward`` from the gradient with respect to the last layer's logits."""
        return self.backward(grad_z, input_grad=input_grad, from_logits=True)

    @property
    def preactivation(self) -> np.ndarray:
        """The last layer's logits from the last forward pass."""
        return self._layers[-1].preactivation  # type: ignore[attr-defined]

    def logits_activation(self) -> str | None:
        """The last layer's ``logits_activation()``; ``None`` for a model without layers."""
        return self._layers[-1].logits_activation() if self._layers else None

    # --- training, in nnlib.training -------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None,
                metrics: Sequence[Any] | None = None) -> None:
        """Choose the optimiser, the loss and the metrics (``nnlib.training.compile``)."""
        training.compile(self, optimizer, loss, metrics)

    def fit(self, x: object = None, y: object = None, **kwargs: Any) -> History:
        """Train in minibatches (``nnlib.training.fit``, Keras' arguments)."""
        return training.fit(self, x, y, **kwargs)

    def evaluate(self, x: object, y: object, **kwargs: Any) -> Any:
        """Loss and metrics in inference mode (``nnlib.training.evaluate``)."""
        return training.evaluate(self, x, y, **kwargs)

    def predict(self, x: object, batch_size: int | None = None, verbose: int | str = 0) -> np.ndarray:
        """Outputs for every row of ``x`` (``nnlib.training.predict``)."""
        return training.predict(self, x, batch_size)

    def train_on_batch(self, x: object, y: object, return_dict: bool = False) -> Any:
        """One optimiser step on one batch (``nnlib.training.train_on_batch``)."""
        return training.train_on_batch(self, x, y, return_dict)

    def test_on_batch(self, x: object, y: object, return_dict: bool = False) -> Any:
        """Loss and metrics on one batch (``nnlib.training.test_on_batch``)."""
        return training.test_on_batch(self, x, y, return_dict)

    # --- summary ---------------------------------------------------------------------------------
    def summary(self, print_fn: Any = print) -> None:
        """Print the layers, their output shapes and parameter counts, laid out like Keras'
        (chapter 1, "Counting parameters")."""
        self._require_built("summary")
        rows = [(f"{layer.name} ({type(layer).__name__})", format_shape(layer.output_shape),
                 f"{layer.count_params():,}") for layer in self._layers]
        heads = ("Layer (type)", "Output Shape", "Param #")
        widths = [max(w, *(len(r[i]) + 2 for r in rows)) for i, w in enumerate((33, 24, 15))]

        def line(left: str, fill: str, mid: str, right: str) -> str:
            return left + mid.join(fill * w for w in widths) + right

        def cells(row: tuple[str, str, str], bar: str) -> str:
            return (f"{bar} {row[0]:<{widths[0] - 2}} {bar} {row[1]:<{widths[1] - 2}} "
                    f"{bar} {row[2]:>{widths[2] - 2}} {bar}")

        out = [f'Model: "{self.name}"', line("┏", "━", "┳", "┓"), cells(heads, "┃"),
               line("┡", "━", "╇", "┩")]
        for i, row in enumerate(rows):
            if i:
                out.append(line("├", "─", "┼", "┤"))
            out.append(cells(row, "│"))
        out.append(line("└", "─", "┴", "┘"))
        weights = self.count_params()
        trainable = sum(v.size for v in self.trainable_weights)
        itemsize = self.dtype.itemsize
        # Keras counts the optimiser's variables too once it has them (the step counter is int64)
        built = isinstance(self.optimizer, Optimizer) and self.optimizer.variables
        extra, extra_bytes = (self.optimizer.count_params(), self.optimizer.nbytes()) if built else (0, 0)

        def size(nbytes: float) -> str:
            for unit in ("B", "KB", "MB"):
                if nbytes < 1024:
                    return f"{nbytes:.2f} {unit}"
                nbytes /= 1024
            return f"{nbytes:.2f} GB"

        out += [f" Total params: {weights + extra:,} ({size(weights * itemsize + extra_bytes)})",
                f" Trainable params: {trainable:,} ({size(trainable * itemsize)})",
                f" Non-trainable params: {weights - trainable:,} "
                f"({size((weights - trainable) * itemsize)})"]
        if built:
            out.append(f" Optimizer params: {extra:,} ({size(extra_bytes)})")
        print_fn("\n".join(out))

    # --- saving ----------------------------------------------------------------------------------
    def save_weights(self, path: str) -> None:
        """Save all weights to a ``.npz`` file (Keras uses ``.weights.h5``; same order)."""
        self._require_built("save_weights")
        if not str(path).endswith(".npz"):
            raise ValueError(f"nnlib saves weights as .npz; the file name must end in .npz, got {path!r}")
        np.savez(path, *self.get_weights())

    def load_weights(self, path: str) -> None:
        """Load weights saved by ``save_weights`` into this (same-shaped) model."""
        with np.load(path) as data:
            self.set_weights([data[f"arr_{i}"] for i in range(len(data.files))])

    def __repr__(self) -> str:
        return f"<Sequential name={self.name!r} layers={[layer.name for layer in self._layers]}>"


def _once(variables: list[Variable]) -> list[Variable]:
    """``variables`` without repeats (layers shared inside nested models), order kept."""
    if len(set(map(id, variables))) == len(variables):
        return variables
    seen: set[int] = set()
    return [v for v in variables if not (id(v) in seen or seen.add(id(v)))]  # type: ignore[func-returns-value]
