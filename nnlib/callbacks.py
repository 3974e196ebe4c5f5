"""Callbacks that ``fit`` calls during training: History, EarlyStopping, the progress bar (chapters 3, 4).

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
    """Base class: override the hooks you need (chapter 3)."""

    def __init__(self) -> None:
        self.model: Sequential | None = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: "Sequential") -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def on_train_begin(self, logs: dict | None = None) -> None: ...
    def on_train_end(self, logs: dict | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None: ...


class History(Callback):
    """Records the logs of every epoch: ``history.history["loss"]`` is a list, one per epoch."""

    def __init__(self) -> None:
        super().__init__()
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs (chapter 4).

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

    def _improved(self, value: float, reference: float) -> bool:
        if self.mode == "max":
            return value - self.min_delta > reference
        return value - self.min_delta < reference

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if self.mode == "min" else -np.inf
        self.best_weights: list[np.ndarray] | None = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
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
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None and self.model is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ProgressBar(Callback):
    """A Keras-style progress bar on one line per epoch (``verbose=1``) or one line per epoch only
    once it ends (``verbose=2``), with elapsed time and the running loss and metrics (chapter 3)."""

    def __init__(self, verbose: int = 1, width: int = 30, stream: TextIO | None = None,
                 min_interval: float = 0.1) -> None:
        super().__init__()
        self.verbose, self.width, self.min_interval = verbose, width, min_interval
        self.stream = stream

    def _out(self) -> TextIO:
        return self.stream or sys.stdout

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start = self._last = time.perf_counter()
        if self.verbose:
            self._out().write(f"Epoch {epoch + 1}/{self.params.get('epochs', '?')}\n")

    @staticmethod
    def _format_logs(logs: dict | None) -> str:
        def fmt(v: Any) -> str:  # per-class metrics (e.g. F1Score(average=None)) are arrays
            return f"{v:.4f}" if np.ndim(v) == 0 else np.array2string(np.asarray(v), precision=4)

        return " - ".join(f"{k}: {fmt(v)}" for k, v in (logs or {}).items())

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.verbose != 1:
            return
        now = time.perf_counter()
        steps = self.params.get("steps", 0)
        if now - self._last < self.min_interval and batch + 1 < steps:
            return
        self._last = now
        done = int(self.width * (batch + 1) / max(steps, 1))
        bar = "━" * done + "─" * (self.width - done)
        self._out().write(f"\r{batch + 1}/{steps} {bar} {now - self._start:.1f}s - "
                          f"{self._format_logs(logs)}")
        self._out().flush()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if not self.verbose:
            return
        steps = self.params.get("steps", 0)
        elapsed = time.perf_counter() - self._start
        prefix = "\r" if self.verbose == 1 else ""
        bar = "━" * self.width
        self._out().write(f"{prefix}{steps}/{steps} {bar} {elapsed:.1f}s - "
                          f"{self._format_logs(logs)}\n")
        self._out().flush()
