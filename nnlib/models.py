"""``Sequential``: a stack of layers with Keras' API — summary, weights, compile/fit/evaluate/predict.

Chapter 1 uses building, ``predict``, ``summary`` and the weights; chapter 3 trains with
``compile``/``fit``. Training is plain minibatch backpropagation: forward through the layers, the
loss gradient, backward through the layers in reverse, one optimiser step.

All trainable weights live in one flat buffer (each layer's kernel and bias are views into it), and
so do their gradients: an optimiser step is a few vectorised operations on the whole model.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import numpy as np

from . import callbacks as callbacks_module
from . import losses as losses_module
from . import metrics as metrics_module
from . import optimizers as optimizers_module
from ._checks import as_float_array, check_positive_int, format_shape
from .layers.base import Layer, Shape
from .layers.core import InputLayer
from .utils import make_rng, to_snake_case

_model_counter: dict[str, int] = {}


def _unique_model_name(base: str) -> str:
    n = _model_counter.get(base, 0)
    _model_counter[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


class Sequential:
    """A linear stack of layers, like ``keras.Sequential`` (chapter 1).

    >>> model = Sequential([Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    >>> model.predict(np.zeros((2, 4))).shape
    (2, 3)
    """

    def __init__(self, layers: Iterable[Layer] | None = None, name: str | None = None) -> None:
        self.name = name or _unique_model_name(to_snake_case(type(self).__name__))
        self._input: InputLayer | None = None
        self._layers: list[Layer] = []
        self.built = False
        self.stop_training = False
        self.optimizer: optimizers_module.Optimizer | None = None
        self.loss: losses_module.Loss | None = None
        self.compiled_metrics: list[metrics_module.Metric] = []
        self.history: callbacks_module.History | None = None
        self._flat: tuple[np.ndarray, np.ndarray] | None = None
        self._packed_signature: tuple | None = None
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
        if any(layer is existing for existing in self._layers):
            raise ValueError(f"Layer {layer.name!r} is already in this model")
        self._layers.append(layer)
        self.built = False
        if self._input is not None:
            self.build((None, *self._input.shape))

    @property
    def layers(self) -> list[Layer]:
        """The layers in order (without the ``Input``), as in Keras."""
        return list(self._layers)

    def build(self, input_shape: Shape | None = None) -> None:
        """Create every layer's weights for inputs of ``input_shape`` (batch axis ``None``)."""
        if input_shape is None:
            if self._input is None:
                raise ValueError("build() needs an input_shape, or start the model with Input(shape)")
            input_shape = (None, *self._input.shape)
        shape: Shape = (None, *tuple(input_shape)[1:])
        for layer in self._layers:
            if layer.built and layer.input_shape is not None and \
                    tuple(layer.input_shape[1:]) != tuple(shape[1:]):
                layer_in = format_shape(layer.input_shape)
                raise ValueError(
                    f"Layer {layer.name!r} was built for inputs {layer_in}, but the previous "
                    f"layer gives {format_shape(shape)}"
                )
            layer.ensure_built(shape)
            shape = layer.compute_output_shape(shape)
        self.input_shape = (None, *tuple(input_shape)[1:])
        self.built = bool(self._layers)
        self._flat = None

    @property
    def output_shape(self) -> Shape:
        """Shape of the model's output, e.g. ``(None, 10)``."""
        self._require_built("output_shape")
        return self._layers[-1].output_shape

    def _require_built(self, what: str) -> None:
        if not self.built:
            raise ValueError(
                f"{what}: model {self.name!r} is not built yet. Start it with nnlib.Input(shape=...),"
                " call model.build((None, n_features)) or call it on data first."
            )

    # --- weights ---------------------------------------------------------------------------------
    @property
    def weights(self) -> list[np.ndarray]:
        """Every weight of every layer, in Keras order (live arrays)."""
        return [w for layer in self._layers for w in layer.weights]

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        """The weights the optimiser updates."""
        return [w for layer in self._layers for w in layer.trainable_weights]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of all weights, layer by layer, in Keras order: ``model.get_weights()``."""
        return [w for layer in self._layers for w in layer.get_weights()]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Set all weights from a list in ``get_weights()`` order (e.g. from a Keras twin)."""
        self._require_built("set_weights")
        weights = list(weights)
        expected = sum(len(layer.weights) for layer in self._layers)
        if len(weights) != expected:
            shapes = [w.shape for w in self.weights]
            raise ValueError(
                f"Model {self.name!r} expects {expected} weight arrays with shapes {shapes}, "
                f"got {len(weights)}"
            )
        i = 0
        for layer in self._layers:
            n = len(layer.weights)
            layer.set_weights(weights[i:i + n])
            i += n

    def count_params(self) -> int:
        """Total number of weights (scalars) in the model."""
        self._require_built("count_params")
        return sum(layer.count_params() for layer in self._layers)

    def _flat_buffers(self) -> tuple[np.ndarray, np.ndarray]:
        """Pack trainable weights and their gradients into two flat arrays (views per layer)."""
        entries = [(layer, name) for layer in self._layers if layer.trainable
                   for name in layer._trainable_names]
        signature = tuple((id(layer), name) for layer, name in entries)
        if self._flat is not None and signature == self._packed_signature:
            return self._flat
        dtypes = {layer.dtype for layer, _ in entries}
        if len(dtypes) > 1:
            raise TypeError(f"all trainable layers of a model must share one dtype, got "
                            f"{sorted(d.name for d in dtypes)}")
        dtype = dtypes.pop() if dtypes else np.dtype("float32")
        total = sum(layer._params[name].size for layer, name in entries)
        flat_w = np.empty(total, dtype=dtype)
        flat_g = np.zeros(total, dtype=dtype)
        offset = 0
        for layer, name in entries:
            param = layer._params[name]
            w_view = flat_w[offset:offset + param.size].reshape(param.shape)
            w_view[...] = param
            layer._params[name] = w_view
            layer.grads[name] = flat_g[offset:offset + param.size].reshape(param.shape)
            offset += param.size
        self._flat = (flat_w, flat_g)
        self._packed_signature = signature
        return self._flat

    def _variables_and_grads(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        flat_w, flat_g = self._flat_buffers()
        if self.optimizer is not None and self.optimizer.needs_per_variable:
            trainable = [l for l in self._layers if l.trainable]
            return ([l._params[n] for l in trainable for n in l._trainable_names],
                    [l.grads[n] for l in trainable for n in l._trainable_names])
        return [flat_w], [flat_g]

    # --- forward and backward --------------------------------------------------------------------
    def _check_x(self, x: object) -> np.ndarray:
        dtype = self._layers[0].dtype if self._layers else np.dtype("float32")
        arr = as_float_array(x, dtype, f"Input to model {self.name!r}")
        if arr.ndim == 0:
            raise ValueError("Model input must have a batch axis, got a scalar")
        if not self.built:
            self.build(arr.shape)
        self._layers[0].check_input(arr)
        return arr

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Run the (already checked) batch ``x`` through every layer."""
        for layer in self._layers:
            x = layer.forward(x, training=training)
        return x

    def backward(self, grad: np.ndarray) -> None:
        """Backpropagate ``dL/d output`` through the layers, filling every layer's ``grads``."""
        for i in range(len(self._layers) - 1, -1, -1):
            grad = self._layers[i].backward(grad, input_grad=i > 0)

    def __call__(self, x: object, training: bool = False) -> np.ndarray:
        """``model(x)``: check ``x``, build if needed, and run the forward pass."""
        if not self._layers:
            raise ValueError(f"Model {self.name!r} has no layers")
        return self.forward(self._check_x(x), training=training)

    def predict(self, x: object, batch_size: int | None = None, verbose: int | str = 0) -> np.ndarray:
        """Outputs for every row of ``x``; in chunks of ``batch_size`` rows if given."""
        arr = self._check_x(x)
        if batch_size is None or batch_size >= len(arr):
            return self.forward(arr, training=False)
        check_positive_int(batch_size, "batch_size")
        return np.concatenate([self.forward(arr[i:i + batch_size], training=False)
                               for i in range(0, len(arr), batch_size)])

    # --- summary ---------------------------------------------------------------------------------
    def summary(self, print_fn: Any = print) -> None:
        """Print the layers, their output shapes and parameter counts, laid out like Keras'."""
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
        total = self.count_params()
        trainable = sum(w.size for w in self.trainable_weights)
        itemsize = self._layers[0].dtype.itemsize

        def size(n: int) -> str:
            nbytes = float(n * itemsize)
            for unit in ("B", "KB", "MB", "GB"):
                if nbytes < 1024 or unit == "GB":
                    return f"{nbytes:.2f} {unit}"
                nbytes /= 1024
            return ""  # unreachable

        out += [f" Total params: {total:,} ({size(total)})",
                f" Trainable params: {trainable:,} ({size(trainable)})",
                f" Non-trainable params: {total - trainable:,} ({size(total - trainable)})"]
        print_fn("\n".join(out))

    # --- training --------------------------------------------------------------------------------
    def compile(self, optimizer: str | optimizers_module.Optimizer = "rmsprop",
                loss: str | losses_module.Loss | None = None,
                metrics: Sequence[str | metrics_module.Metric] | None = None) -> None:
        """Choose the optimiser, the loss and the metrics for ``fit``/``evaluate`` (chapter 3)."""
        if loss is None:
            raise ValueError("compile() needs a loss, e.g. loss='mse' or "
                             "loss='sparse_categorical_crossentropy'")
        self.optimizer = optimizers_module.get(optimizer)
        self.loss = losses_module.get(loss)
        if isinstance(metrics, (str, metrics_module.Metric)):
            metrics = [metrics]
        self.compiled_metrics = [metrics_module.get(m) for m in (metrics or [])]

    def _require_compiled(self, what: str) -> tuple[optimizers_module.Optimizer, losses_module.Loss]:
        if self.optimizer is None or self.loss is None:
            raise RuntimeError(f"{what}: call model.compile(optimizer=..., loss=...) first")
        return self.optimizer, self.loss

    def _logits_loss(self) -> losses_module.Loss | None:
        """The loss on logits when the output layer's softmax/sigmoid can be folded into it.

        Keras does this too: a cross-entropy after a softmax (sigmoid) output is computed from the
        logits, which is exact, stable, and gives the gradient ``p − y``.
        """
        assert self.loss is not None
        last = self._layers[-1]
        activation = getattr(last, "activation", None)
        if activation is None or not hasattr(last, "backward_preactivation"):
            return None
        fits = {"softmax": (losses_module.CategoricalCrossentropy,
                            losses_module.SparseCategoricalCrossentropy),
                "sigmoid": (losses_module.BinaryCrossentropy,)}.get(activation.name, ())
        return self.loss.logits_version() if isinstance(self.loss, fits) else None

    def _loss_and_backward(self, xb: np.ndarray, yb: np.ndarray) -> tuple[float, np.ndarray]:
        """Forward in training mode, loss value, backward: fills the flat gradient buffer."""
        y_pred = self.forward(xb, training=True)
        logits_loss = self._logits_loss()
        last = self._layers[-1]
        if logits_loss is not None:
            logits = last.preactivation  # type: ignore[attr-defined]
            value = logits_loss(yb, logits)
            grad = logits_loss.gradient(yb, logits)
            g = last.backward_preactivation(grad, input_grad=len(self._layers) > 1)  # type: ignore[attr-defined]
            for i in range(len(self._layers) - 2, -1, -1):
                g = self._layers[i].backward(g, input_grad=i > 0)
        else:
            assert self.loss is not None
            value = self.loss(yb, y_pred)
            self.backward(self.loss.gradient(yb, y_pred))
        value += sum(layer.regularization_loss() for layer in self._layers)
        return value, y_pred

    def train_on_batch(self, x: object, y: object) -> float:
        """One optimiser step on one batch; returns the batch loss (before the step)."""
        optimizer, _ = self._require_compiled("train_on_batch")
        xb = self._check_x(x)
        yb = self._check_y(y, len(xb))
        value, _ = self._loss_and_backward(xb, yb)
        variables, grads = self._variables_and_grads()
        optimizer.apply(grads, variables)
        return value

    def _check_y(self, y: object, n: int) -> np.ndarray:
        arr = np.asarray(y)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"y must be numeric, got dtype {arr.dtype}")
        if arr.ndim == 0 or len(arr) != n:
            raise ValueError(f"x has {n} samples but y has "
                             f"{'no batch axis' if arr.ndim == 0 else len(arr)}; they must match")
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            raise ValueError("y contains NaN or inf values")
        return arr

    def fit(self, x: object, y: object, batch_size: int | None = 32, epochs: int = 1,
            verbose: int | str = "auto", callbacks: Sequence[callbacks_module.Callback] | None = None,
            validation_split: float = 0.0, validation_data: tuple | None = None,
            shuffle: bool = True, initial_epoch: int = 0, seed: int | None = None
            ) -> callbacks_module.History:
        """Train for ``epochs`` passes over ``(x, y)`` in minibatches (chapter 3).

        Returns a ``History`` whose ``history`` maps "loss", each metric and their "val_" forms to
        per-epoch lists. ``verbose`` 1 shows a progress bar, 2 one line per epoch, 0 nothing.
        ``shuffle`` reorders the data every epoch with nnlib's generator (``seed`` for a generator
        of its own). As in Keras, ``validation_split`` takes the *last* fraction of the data.
        """
        optimizer, _ = self._require_compiled("fit")
        xs = self._check_x(x)
        ys = self._check_y(y, len(xs))
        epochs = check_positive_int(epochs, "epochs")
        batch_size = len(xs) if batch_size is None else check_positive_int(batch_size, "batch_size")
        if validation_data is None and validation_split:
            if not 0 < validation_split < 1:
                raise ValueError(f"validation_split must be in (0, 1), got {validation_split}")
            split = int(math.floor(len(xs) * (1 - validation_split)))
            if split == 0 or split == len(xs):
                raise ValueError(f"validation_split={validation_split} leaves an empty set")
            validation_data = (xs[split:], ys[split:])
            xs, ys = xs[:split], ys[:split]
        if validation_data is not None:
            if len(validation_data) != 2:
                raise ValueError("validation_data must be a tuple (x_val, y_val)")
            xv = self._check_x(validation_data[0])
            yv = self._check_y(validation_data[1], len(xv))
        n = len(xs)
        steps = math.ceil(n / batch_size)
        verbose = 1 if verbose == "auto" else int(verbose)
        self.history = callbacks_module.History()
        cbs = [*(callbacks or []), self.history]
        if verbose:
            cbs.insert(0, callbacks_module.ProgressBar(verbose))
        params = {"epochs": epochs, "steps": steps, "verbose": verbose, "batch_size": batch_size}
        for cb in cbs:
            cb.set_model(self)
            cb.set_params(params)
        rng = make_rng(seed)
        variables, grads = self._variables_and_grads()
        self.stop_training = False
        for cb in cbs:
            cb.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            for cb in cbs:
                cb.on_epoch_begin(epoch)
            if shuffle:
                order = rng.permutation(n)
                xe, ye = xs[order], ys[order]  # the one copy an epoch makes
            else:
                xe, ye = xs, ys
            for m in self.compiled_metrics:
                m.reset_state()
            loss_sum, seen = 0.0, 0
            for step in range(steps):
                for cb in cbs:
                    cb.on_train_batch_begin(step)
                xb = xe[step * batch_size:(step + 1) * batch_size]
                yb = ye[step * batch_size:(step + 1) * batch_size]
                value, y_pred = self._loss_and_backward(xb, yb)
                optimizer.apply(grads, variables)
                loss_sum += value * len(xb)  # Keras averages the batch losses weighted by size
                seen += len(xb)
                for m in self.compiled_metrics:
                    m.update_state(yb, y_pred)
                logs = {"loss": loss_sum / seen, **{m.name: m.result() for m in self.compiled_metrics}}
                for cb in cbs:
                    cb.on_train_batch_end(step, logs)
            if not math.isfinite(logs["loss"]):
                raise FloatingPointError(
                    f"The loss became {logs['loss']} in epoch {epoch + 1}: training diverged. "
                    "Lower the learning rate, scale the inputs, or clip gradients (chapter 4)."
                )
            if validation_data is not None:
                val = self._evaluate_arrays(xv, yv, batch_size)
                logs.update({f"val_{k}": v for k, v in val.items()})
            for cb in cbs:
                cb.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        for cb in cbs:
            cb.on_train_end()
        return self.history

    def _evaluate_arrays(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> dict[str, float]:
        assert self.loss is not None
        logits_loss = self._logits_loss()
        for m in self.compiled_metrics:
            m.reset_state()
        loss_sum = 0.0
        for i in range(0, len(x), batch_size):
            xb, yb = x[i:i + batch_size], y[i:i + batch_size]
            y_pred = self.forward(xb, training=False)
            if logits_loss is not None:
                value = logits_loss(yb, self._layers[-1].preactivation)  # type: ignore[attr-defined]
            else:
                value = self.loss(yb, y_pred)
            loss_sum += value * len(xb)
            for m in self.compiled_metrics:
                m.update_state(yb, y_pred)
        reg = sum(layer.regularization_loss() for layer in self._layers)
        return {"loss": loss_sum / len(x) + reg, **{m.name: m.result() for m in self.compiled_metrics}}

    def evaluate(self, x: object, y: object, batch_size: int | None = 32, verbose: int | str = 0,
                 return_dict: bool = False) -> float | list[float] | dict[str, float]:
        """Loss and metrics on ``(x, y)`` in inference mode (chapter 3).

        Returns the loss alone when no metrics were compiled, else ``[loss, *metrics]`` (or a dict
        with ``return_dict=True``), like Keras.
        """
        self._require_compiled("evaluate")
        xs = self._check_x(x)
        ys = self._check_y(y, len(xs))
        bs = len(xs) if batch_size is None else check_positive_int(batch_size, "batch_size")
        logs = self._evaluate_arrays(xs, ys, bs)
        if verbose:
            print(callbacks_module.ProgressBar._format_logs(logs))
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

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
        return f"<Sequential name={self.name!r} layers={[l.name for l in self._layers]}>"
