"""Callbacks that ``fit`` calls during training: History, EarlyStopping, the progress bar.

``LambdaCallback`` and ``History`` appear in
(chapter 3, "The whole workflow, in nnlib and in Keras"), a ``Callback`` subclass in
(chapter 4, "Overfitting: a large model on few samples") and ``EarlyStopping`` in
(chapter 4, "Four fixes, side by side").

Same hook names as ``keras.callbacks.Callback``: ``on_train_begin``, ``on_epoch_begin``,
``on_train_batch_end``, ``on_epoch_end(epoch, logs)``, ``on_train_end``. A callback sets
``self.model.stop_training = True`` to end training early.
"""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .models import Sequential


class Callback:
    """Base class: override the hooks you need, as the cross-entropy log of
    (chapter 4, "Overfitting: a large model on few samples") does."""

    def __init__(self) -> None:
        self.model: Sequential | None = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: "Sequential") -> None:
        """Called by ``fit`` before training with the model it trains, kept as ``self.model``."""
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        """Called by ``fit`` before training: ``epochs``, ``steps``, ``verbose``, ``batch_size``."""
        self.params = params

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called by ``fit`` once before the first epoch, with empty ``logs``."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called by ``fit`` once after the last epoch, with that epoch's ``logs``."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called by ``fit`` as each epoch starts (``epoch`` counts from 0), with empty ``logs``."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called by ``fit`` after each epoch; ``logs`` has its loss, metrics, "val_" results."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called by ``fit`` before each batch (``batch`` counts from 0 each epoch); empty logs."""

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called by ``fit`` after each batch's update with the epoch's running loss and metrics."""


def watches_batches(callback: Callback) -> bool:
    """True if ``callback`` overrides a per-batch hook; ``fit`` skips the per-batch logs otherwise
    (chapter 3, "How fast is nnlib?")."""
    return any(getattr(getattr(callback, hook), "__func__", None) is not getattr(Callback, hook)
               for hook in ("on_train_batch_begin", "on_train_batch_end"))


class LambdaCallback(Callback):
    """A callback from plain functions, like ``keras.callbacks.LambdaCallback``
    (chapter 3, "The whole workflow, in nnlib and in Keras"):
    ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    def __init__(self, on_epoch_begin: Any = None, on_epoch_end: Any = None,
                 on_train_begin: Any = None, on_train_end: Any = None,
                 on_train_batch_begin: Any = None, on_train_batch_end: Any = None) -> None:
        super().__init__()
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                 "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end}
        for name, fn in hooks.items():
            if fn is not None:
                if not callable(fn):
                    raise TypeError(f"{name} must be a function, got {fn!r}")
                setattr(self, name, fn)


class History(Callback):
    """Records the logs of every epoch: ``history.history["loss"]`` is a list, one per epoch
    (chapter 3, "The whole workflow, in nnlib and in Keras")."""

    def __init__(self) -> None:
        super().__init__()
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called by ``fit`` before training: start an empty list of epoch numbers."""
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called by ``fit`` after each epoch: append ``epoch`` and every value of ``logs``."""
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs
    (chapter 4, "Four fixes, side by side"); compared with Keras' in
    (chapter 4, "The same numbers in Keras").

    Same semantics as ``keras.callbacks.EarlyStopping``: ``mode="auto"`` maximises metrics whose
    name contains "acc" (or "auc", "precision", "recall", "f1") and minimises everything else;
    ``restore_best_weights`` puts back the weights of the best epoch when it stops; ``baseline``
    must be beaten within the first ``patience`` epochs; ``start_from_epoch`` waits before watching.
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline: float | None = None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0) -> None:
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping mode must be 'auto', 'min' or 'max', got {mode!r}")
        if patience < 0:
            raise ValueError(f"patience must be >= 0, got {patience}")
        self.monitor, self.patience, self.verbose = monitor, int(patience), verbose
        self.baseline, self.restore_best_weights = baseline, restore_best_weights
        self.start_from_epoch = int(start_from_epoch)
        if mode == "auto":
            maximise = any(k in monitor for k in ("acc", "auc", "precision", "recall", "f1"))
            mode = "max" if maximise else "min"
        self.mode = mode
        self.min_delta = abs(min_delta) * (1 if mode == "max" else -1)
        self.stopped_epoch = 0
        self.best_epoch = 0

    def _improved(self, value: float, reference: float | None) -> bool:
        if reference is None:  # Keras: the first watched value is always an improvement
            return True
        if self.mode == "max":
            return value - self.min_delta > reference
        return value - self.min_delta < reference

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called by ``fit`` before training: reset the wait, the best value and best weights."""
        self.wait = 0
        self.stopped_epoch = 0
        self.best: float | None = None
        self.best_weights: list[np.ndarray] | None = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called after each epoch: track the best ``logs[monitor]``; stop after ``patience``."""
        logs = logs or {}
        if self.monitor not in logs:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, which fit did not log; available: "
                f"{sorted(logs)}. Pass validation data to monitor 'val_…' values."
            )
        if epoch < self.start_from_epoch:
            return
        value = float(logs[self.monitor])
        assert self.model is not None
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()  # the first epoch is the first "best"
            self.best_epoch = epoch
        self.wait += 1
        if self._improved(value, self.best):
            self.best = value
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improved(value, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called by ``fit`` after training: restore the best weights if asked (and say so)."""
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None and self.model is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class TerminateOnNaN(Callback):
    """Stop training as soon as a batch loss is NaN or infinite, like Keras': the end of a run
    whose gradients explode (chapter 4, "Exploding gradients and clipping")."""

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch: stop training if the running ``logs["loss"]`` is not finite."""
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            assert self.model is not None
            self.model.stop_training = True


def _format_value(value: float | np.ndarray) -> str:
    if np.ndim(value) > 0:  # per-class metrics, e.g. F1Score(average=None), are arrays
        return np.array2string(np.asarray(value), precision=4)
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"  # Keras' Progbar rule


def _format_step_time(seconds: float) -> str:
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


class ProgressBar(Callback):
    """Keras' progress display (chapter 3, "The whole workflow, in nnlib and in Keras"): with
    ``verbose=1`` a bar that fills during the epoch, with ``verbose=2`` one line when the epoch
    ends; elapsed time, time per step, and the running loss and metrics in Keras' format, e.g.
    ``469/469 ━━━━━━━━━━━━━━━━━━━━ 1s 2ms/step - accuracy: 0.9143 - loss: 0.2980``.
    """

    def __init__(self, verbose: int = 1, width: int = 20, stream: TextIO | None = None,
                 min_interval: float = 0.05) -> None:
        super().__init__()
        self.verbose, self.width, self.min_interval = verbose, width, min_interval
        self.stream = stream

    def _out(self) -> TextIO:
        return self.stream or sys.stdout

    @staticmethod
    def format_logs(logs: dict | None) -> str:
        """`` - name: value`` for every entry, values formatted as Keras does."""
        return "".join(f" - {k}: {_format_value(v)}" for k, v in (logs or {}).items())

    @classmethod
    def final_line(cls, steps: int, elapsed: float, logs: dict | None, verbose: int = 1,
                   width: int = 20) -> str:
        """The line Keras prints when an epoch (or ``evaluate``) ends."""
        per_step = _format_step_time(elapsed / max(steps, 1))
        if verbose == 2:
            return f"{steps}/{steps} - {elapsed:.0f}s - {per_step}{cls.format_logs(logs)}"
        return f"{steps}/{steps} {'━' * width} {elapsed:.0f}s {per_step}{cls.format_logs(logs)}"

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called by ``fit`` at the start of each epoch: start the clock, print "Epoch n/N"."""
        self._start = self._last = time.perf_counter()
        self._width_shown = 0
        if self.verbose:
            self._out().write(f"Epoch {epoch + 1}/{self.params.get('epochs', '?')}\n")

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch: with ``verbose=1``, redraw the bar with the running logs."""
        if self.verbose != 1:
            return
        now = time.perf_counter()
        steps = self.params.get("steps", 0)
        if now - self._last < self.min_interval or batch + 1 >= steps:
            return  # the last batch is shown by on_epoch_end, with the validation results
        self._last = now
        done = int(self.width * (batch + 1) / max(steps, 1))
        eta = (now - self._start) / (batch + 1) * (steps - batch - 1)
        line = (f"{batch + 1:>{len(str(steps))}}/{steps} {'━' * done}{'─' * (self.width - done)} "
                f"{eta:.0f}s {_format_step_time((now - self._start) / (batch + 1))}"
                f"{self.format_logs(logs)}")
        self._out().write("\r" + line.ljust(self._width_shown))
        self._width_shown = len(line)
        self._out().flush()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called after each epoch: print its final line, validation results included."""
        if not self.verbose:
            return
        line = self.final_line(self.params.get("steps", 0), time.perf_counter() - self._start,
                               logs, self.verbose, self.width)
        prefix = "\r" if self.verbose == 1 and self._width_shown else ""
        self._out().write(prefix + line.ljust(self._width_shown) + "\n")
        self._out().flush()
