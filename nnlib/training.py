"""Training: one step of gradient descent, and the loops of ``fit``, ``evaluate`` and ``predict``
(chapter 3, "Minibatches").

Everything training does to a model happens in ``train_step``, four lines:

1. **forward**: ``y_pred = model.forward(x, training=True)``;
2. **loss**: the loss and its gradient with respect to ``y_pred``;
3. **backward**: ``model.backward(grad)`` fills every weight's ``.grad``, plus the gradients of
   the weight penalties (chapter 4, "Four fixes, side by side");
4. **update**: ``model.optimizer.step(model.trainable_weights)``.

``fit`` runs ``train_step`` on minibatches, epoch after epoch, with metrics, validation and
callbacks around it; ``evaluate`` and ``predict`` run the forward pass only. The model keeps its
structure (``nnlib.models.Sequential``); its Keras-named ``compile``/``fit``/``evaluate``/
``predict`` call the functions here, so ``model.fit(x, y)`` and ``training.fit(model, x, y)`` are
the same.

An optimiser may bring its own step: a full-batch method such as Levenberg–Marquardt has
``full_batch = True`` and a ``train_step(model, x, y)`` method, which ``fit`` calls instead
(chapter 3, "Levenberg–Marquardt: when the network is small").
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable, Sequence

import numpy as np

from . import backend
from . import callbacks as callbacks_module
from . import losses as losses_module
from . import metrics as metrics_module
from . import optimizers as optimizers_module
from . import regularizers
from ._checks import check_finite, check_positive_int
from .utils import make_rng


class CompiledLoss:
    """The loss a compiled model trains on, with its gradient (chapter 3, "Loss functions").

    ``value_and_gradient(y, y_pred)`` returns the batch loss and ``dL/dy_pred``. When the output
    layer ends in a softmax (sigmoid) and the loss is a cross-entropy, the loss is computed from
    the output layer's logits, as Keras does (``losses.logits_loss``): then ``from_logits`` is True
    and the gradient is ``dL/dlogits = p − y``, where ``model.backward(grad, from_logits=True)``
    starts.
    """

    def __init__(self, loss: losses_module.Loss, model: Any) -> None:
        self.loss = loss
        self.model = model
        self.output_activation = model.logits_activation()
        self.logits_loss = losses_module.logits_loss(loss, model)
        self.from_logits = self.logits_loss is not None

    def value_and_gradient(self, y: np.ndarray, y_pred: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss of one training batch and its gradient. Predictions are not checked: a diverging
        run reports inf/NaN losses, as Keras does, instead of raising."""
        if self.logits_loss is None:
            return self.loss.value_and_gradient(y, y_pred, check=False)
        logits = self.model.preactivation
        if backend.fast() and isinstance(self.logits_loss, losses_module.SparseCategoricalCrossentropy):
            return self.logits_loss.value_and_gradient_from_probabilities(y, logits, y_pred)
        return self.logits_loss.value_and_gradient(y, logits, check=False)

    def values(self, y: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        """The per-sample losses of a batch the model just predicted (for ``evaluate``)."""
        if self.logits_loss is None:
            return self.loss.call(y, y_pred, check=False)
        return self.logits_loss.call(y, self.model.preactivation, check=False)


# --- one step ------------------------------------------------------------------------------------

def compute_gradients(model: Any, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Forward, loss and backward on one batch: every trainable weight's ``.grad`` is filled, the
    weights are not changed (chapter 3, "Backpropagation"). Returns the loss, weight penalties
    included (chapter 4, "Four fixes, side by side"), and the predictions. ``x`` and ``y`` are
    arrays already checked by ``model.prepare_input`` and ``check_targets``."""
    compiled = require_compiled(model, "compute_gradients")
    y_pred = model.forward(x, training=True)                           # 1. forward
    loss, grad = compiled.value_and_gradient(y, y_pred)                # 2. loss and dL/dy_pred
    model.backward(grad, input_grad=False, from_logits=compiled.from_logits)  # 3. backward
    loss += regularizers.add_penalties(model.trainable_weights)        #    weight penalties
    return loss, y_pred


def train_step(model: Any, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """One optimiser step on one batch: forward, loss, backward, update (chapter 3, "Minibatches").

    Returns the batch loss computed before the update, and the predictions.
    """
    loss, y_pred = compute_gradients(model, x, y)      # 1–3. forward, loss, backward
    model.optimizer.step(model.trainable_weights)      # 4. update every weight from its .grad
    return loss, y_pred


def step_function(model: Any) -> Callable[[Any, np.ndarray, np.ndarray], tuple[float, np.ndarray]]:
    """``train_step`` (chapter 3, "Minibatches"), or the optimiser's own ``train_step`` for
    full-batch methods (chapter 3, "Levenberg–Marquardt: when the network is small")."""
    return getattr(model.optimizer, "train_step", train_step)


# --- compile, and checks -------------------------------------------------------------------------

def compile(model: Any, optimizer: Any = "rmsprop", loss: Any = None,
            metrics: Sequence[Any] | None = None) -> None:
    """Give ``model`` an optimiser, a loss and metrics for ``fit``/``evaluate`` (chapter 3, "The
    whole workflow, in nnlib and in Keras"). Keras' defaults and names: ``optimizer="rmsprop"``,
    ``"adam"``, ``"mse"``, ``"accuracy"`` …; instances are used as given."""
    if loss is None:
        raise ValueError("compile() needs a loss, e.g. loss='mse' or "
                         "loss='sparse_categorical_crossentropy'")
    model.optimizer = optimizers_module.get(optimizer)
    model.loss = losses_module.get(loss)
    model.compiled_loss = None  # built for the output layer at the first fit/evaluate
    if isinstance(metrics, (str, metrics_module.Metric)):
        metrics = [metrics]
    model.compiled_metrics = [metrics_module.get(m) for m in (metrics or [])]


def require_compiled(model: Any, what: str) -> CompiledLoss:
    """The model's ``CompiledLoss``, built for its output layer; a clear error before compile
    (chapter 3, "The whole workflow, in nnlib and in Keras")."""
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise RuntimeError(f"{what}: call model.compile(optimizer=..., loss=...) first")
    compiled = model.compiled_loss
    if compiled is None or compiled.loss is not model.loss or \
            compiled.output_activation != model.logits_activation():  # layers added since
        compiled = model.compiled_loss = CompiledLoss(model.loss, model)
    return compiled


def check_targets(y: object, n: int) -> np.ndarray:
    """``y`` as a numeric array with ``n`` rows and no NaN/inf (chapter 3, "Minibatches")."""
    arr = np.asarray(y)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"y must be numeric, got dtype {arr.dtype}")
    if arr.ndim == 0 or len(arr) != n:
        raise ValueError(f"x has {n} samples but y has "
                         f"{'no batch axis' if arr.ndim == 0 else len(arr)}; they must match")
    if arr.dtype.kind == "f":
        check_finite(arr, "y")
    return arr


def logs(model: Any, loss: float) -> dict[str, Any]:
    """Loss and metric results, keys sorted as Keras on TensorFlow reports them: the keys of
    ``history.history`` (chapter 3, "The whole workflow, in nnlib and in Keras")."""
    return dict(sorted({"loss": loss, **{m.name: m.result() for m in model.compiled_metrics}}.items()))


def results(model: Any, values: dict[str, Any], return_dict: bool) -> Any:
    """Keras' return convention: the dict, the loss alone, or ``[loss, *metrics]`` in order, as
    ``evaluate`` returns it (chapter 3, "The whole workflow, in nnlib and in Keras")."""
    if return_dict:
        return values
    out = [values["loss"], *(values[m.name] for m in model.compiled_metrics)]
    return out[0] if len(out) == 1 else out


# --- single batches ------------------------------------------------------------------------------

def train_on_batch(model: Any, x: object, y: object, return_dict: bool = False) -> Any:
    """One optimiser step on one batch, Keras' ``train_on_batch`` (chapter 3, "Minibatches"):
    the loss before the step and the metrics on that batch."""
    require_compiled(model, "train_on_batch")
    xb = model.prepare_input(x)
    yb = check_targets(y, len(xb))
    with np.errstate(all="ignore"), backend.BlasThreads():
        value, y_pred = step_function(model)(model, xb, yb)
    for m in model.compiled_metrics:
        m.reset_state()
        m.update_state(yb, y_pred)
    return results(model, logs(model, float(value)), return_dict)


def test_on_batch(model: Any, x: object, y: object, return_dict: bool = False) -> Any:
    """Loss (and metrics) on one batch in inference mode, without updating anything: ``evaluate``
    on a single batch (chapter 3, "The whole workflow, in nnlib and in Keras")."""
    require_compiled(model, "test_on_batch")
    xb = model.prepare_input(x)
    return results(model, evaluate_arrays(model, xb, check_targets(y, len(xb)), len(xb)),
                   return_dict)


# --- the loops -----------------------------------------------------------------------------------

def batch_size_for(model: Any, batch_size: int | None, n: int) -> int:
    """Keras' rule: ``None`` means 32 (chapter 3, "Minibatches"); a full-batch optimiser trains on
    all ``n`` rows at once."""
    if getattr(model.optimizer, "full_batch", False):
        if batch_size is not None and check_positive_int(batch_size, "batch_size") < n:
            raise ValueError(
                f"{type(model.optimizer).__name__} trains on the whole data set at once; leave "
                f"batch_size=None (got batch_size={batch_size} for {n} samples)")
        return max(n, 1)
    return 32 if batch_size is None else check_positive_int(batch_size, "batch_size")


def split_validation(xs: np.ndarray, ys: np.ndarray, validation_split: float,
                     validation_data: tuple | None, model: Any) -> tuple:
    """Training arrays and checked validation arrays: Keras holds out the *last* rows
    (chapter 3, "The whole workflow, in nnlib and in Keras")."""
    if validation_data is None and validation_split:
        if not 0 < validation_split < 1:
            raise ValueError(f"validation_split must be in (0, 1), got {validation_split}")
        split = math.floor(len(xs) * (1 - validation_split))
        if split == 0 or split == len(xs):
            raise ValueError(f"validation_split={validation_split} leaves an empty training or "
                             f"validation set with {len(xs)} samples")
        return xs[:split], ys[:split], (xs[split:], ys[split:])
    if validation_data is None:
        return xs, ys, None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise ValueError("validation_data must be a tuple (x_val, y_val)")
    xv = model.prepare_input(validation_data[0])
    return xs, ys, (xv, check_targets(validation_data[1], len(xv)))


def fit(model: Any, x: object = None, y: object = None, batch_size: int | None = None,
        epochs: int = 1, verbose: int | str = "auto",
        callbacks: Sequence[callbacks_module.Callback] | None = None,
        validation_split: float = 0.0, validation_data: tuple | None = None,
        shuffle: bool = True, initial_epoch: int = 0, seed: int | None = None
        ) -> callbacks_module.History:
    """Train for ``epochs`` passes over ``(x, y)`` in minibatches (chapter 3, "Minibatches").

    Keras' semantics: ``batch_size=None`` means 32; the epoch's ``loss`` is the mean of the batch
    losses weighted by batch size, each computed before that batch's update; ``shuffle``
    reorders the samples every epoch (nnlib's generator, or one of its own with ``seed``);
    ``validation_split`` holds out the *last* fraction of the rows, before shuffling;
    ``verbose`` 1 (or "auto") shows a progress bar, 2 one line per epoch, 0 nothing. A callback
    setting ``model.stop_training`` ends training after the current batch.
    Returns a ``History`` whose ``history`` maps "loss", each metric and their "val_" forms to
    per-epoch lists.
    """
    require_compiled(model, "fit")
    if x is None or y is None:
        raise ValueError("fit() needs the inputs x and the targets y")
    xs = model.prepare_input(x)
    ys = check_targets(y, len(xs))
    epochs = check_positive_int(epochs, "epochs")
    xs, ys, validation = split_validation(xs, ys, validation_split, validation_data, model)
    n = len(xs)
    if n == 0:
        raise ValueError("fit() got no samples (x has length 0)")
    batch_size = batch_size_for(model, batch_size, n)
    steps = math.ceil(n / batch_size)
    verbose = 1 if verbose == "auto" else int(verbose)
    model.history = callbacks_module.History()
    cbs = [*(callbacks or []), model.history]
    if verbose:
        cbs.insert(0, callbacks_module.ProgressBar(verbose))
    for cb in cbs:
        cb.set_model(model)
        cb.set_params({"epochs": epochs, "steps": steps, "verbose": verbose,
                       "batch_size": batch_size})
    model.stop_training = False
    # a diverging run logs inf/NaN losses, silently, as Keras does
    with backend.BlasThreads(steps) as threads, np.errstate(all="ignore"):
        run_epochs(model, xs, ys, batch_size, range(initial_epoch, epochs), cbs, make_rng(seed),
                   shuffle, validation, threads)
    return model.history


def run_epochs(model: Any, xs: np.ndarray, ys: np.ndarray, batch_size: int, epochs: range,
               cbs: list[callbacks_module.Callback], rng: np.random.Generator, shuffle: bool,
               validation: tuple[np.ndarray, np.ndarray] | None,
               threads: backend.BlasThreads) -> None:
    """The epochs of ``fit``: batches, steps, metrics, validation, callbacks
    (chapter 3, "Minibatches")."""
    n = len(xs)
    steps = math.ceil(n / batch_size)
    step = step_function(model)
    # Shuffled batches are gathered into one reused buffer: no dataset-sized copy per epoch.
    buffer = np.empty((min(batch_size, n), *xs.shape[1:]), xs.dtype) if shuffle and steps > 1 else None
    batch_cbs = [cb for cb in cbs if callbacks_module.watches_batches(cb)]
    epoch_logs: dict[str, Any] = {}
    for cb in cbs:
        cb.on_train_begin({})
    for epoch in epochs:
        for cb in cbs:
            cb.on_epoch_begin(epoch, {})
        order = rng.permutation(n) if buffer is not None else None
        for m in model.compiled_metrics:
            m.reset_state()
        loss_sum, seen = 0.0, 0
        for i in range(steps):
            for cb in batch_cbs:
                cb.on_train_batch_begin(i, {})
            lo, hi = i * batch_size, min((i + 1) * batch_size, n)
            if order is None:
                xb, yb = xs[lo:hi], ys[lo:hi]
            else:
                xb = np.take(xs, order[lo:hi], axis=0, out=buffer[:hi - lo], mode="clip")  # type: ignore[index]
                yb = ys[order[lo:hi]]
            threads.step_begin()
            value, y_pred = step(model, xb, yb)
            threads.step_end()
            loss_sum += value * (hi - lo)  # Keras: batch losses weighted by batch size
            seen += hi - lo
            for m in model.compiled_metrics:
                m.update_state(yb, y_pred)
            if batch_cbs:  # the running logs, for callbacks that look at every batch
                batch_logs = logs(model, loss_sum / seen)
                for cb in batch_cbs:
                    cb.on_train_batch_end(i, batch_logs)
            if model.stop_training:
                break
        epoch_logs = logs(model, loss_sum / seen)
        if validation is not None:
            val = evaluate_arrays(model, *validation, batch_size)
            epoch_logs.update({f"val_{k}": v for k, v in val.items()})
        for cb in cbs:
            cb.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    for cb in cbs:
        cb.on_train_end(epoch_logs)


def evaluate_arrays(model: Any, x: np.ndarray, y: np.ndarray, batch_size: int) -> dict[str, Any]:
    """Loss (batch-size-weighted mean, plus penalties) and metrics on checked arrays, for
    ``evaluate`` and validation (chapter 3, "The whole workflow, in nnlib and in Keras")."""
    compiled = require_compiled(model, "evaluate")
    for m in model.compiled_metrics:
        m.reset_state()
    loss_sum = 0.0
    with np.errstate(all="ignore"):
        for i in range(0, len(x), batch_size):
            xb, yb = x[i:i + batch_size], y[i:i + batch_size]
            y_pred = model.forward(xb, training=False)
            values = compiled.values(yb, y_pred)
            loss_sum += float(np.sum(values, dtype=np.float64)) / max(values.size, 1) * len(xb)
            for m in model.compiled_metrics:
                m.update_state(yb, y_pred)
    return logs(model, loss_sum / max(len(x), 1) + model.regularization_loss())


def evaluate(model: Any, x: object, y: object, batch_size: int | None = None,
             verbose: int | str = "auto", return_dict: bool = False) -> Any:
    """Loss and metrics on ``(x, y)`` in inference mode (chapter 3, "The whole workflow, in nnlib
    and in Keras").

    Returns the loss alone when no metrics were compiled, else ``[loss, *metrics]`` (or a dict
    with ``return_dict=True``), like Keras. ``batch_size=None`` means 32, as in Keras; the loss
    is the batch-size-weighted mean over the batches.
    """
    require_compiled(model, "evaluate")
    xs = model.prepare_input(x)
    ys = check_targets(y, len(xs))
    bs = 32 if batch_size is None else check_positive_int(batch_size, "batch_size")
    start = time.perf_counter()
    with backend.BlasThreads():
        values = evaluate_arrays(model, xs, ys, bs)
    verbose = 1 if verbose == "auto" else int(verbose)
    if verbose:
        print(callbacks_module.ProgressBar.final_line(math.ceil(len(xs) / bs),
                                                      time.perf_counter() - start, values, verbose))
    return results(model, values, return_dict)


def predict(model: Any, x: object, batch_size: int | None = None) -> np.ndarray:
    """Outputs for every row of ``x`` in inference mode; in chunks of ``batch_size`` rows if given
    (chapter 1, "The same network in nnlib and in Keras")."""
    arr = model.prepare_input(x)
    if batch_size is None or batch_size >= len(arr):
        return model.forward(arr, training=False)
    check_positive_int(batch_size, "batch_size")
    return np.concatenate([model.forward(arr[i:i + batch_size], training=False)
                           for i in range(0, len(arr), batch_size)])
