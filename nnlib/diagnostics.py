"""Diagnosing training: per-layer gradient norms, activation statistics, their plots
(chapter 4, "Vanishing gradients: deep sigmoid networks"); the checklist that uses them is
(chapter 4, "A diagnostic checklist").

When training goes wrong, look inside. Three tools, for nnlib models:

* ``gradient_norms(model, x, y)``: the L2 norm of the loss gradient for each layer's kernel on one
  batch, without changing the weights. Norms shrinking layer after layer towards the input are
  *vanishing gradients*; huge norms are *exploding gradients*.
* ``activation_stats(model, x)``: mean, standard deviation, fraction of exact zeros, of dead units
  (zero for every sample) and of saturated outputs (sigmoid/tanh near their limits), per layer.
* ``Diagnostics``: a callback that records both during ``fit``, batch by batch and epoch by epoch,
  and ``plot_gradient_norms`` / ``plot_activation_stats`` to draw them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .callbacks import Callback
from . import training
from .plot import pyplot

if TYPE_CHECKING:  # pragma: no cover
    from .models import Sequential

STATS = ("mean", "std", "zero_fraction", "dead_fraction", "saturated_fraction")


def _norm(a: np.ndarray) -> float:
    return float(np.sqrt(np.sum(np.square(a, dtype=np.float64))))


def _layers_with(model: "Sequential", weight: str) -> list[Any]:
    return [layer for layer in model.layers if weight in layer.grads]


def _weight(layer: Any, name: str) -> Any:
    return next(v for v in layer.weights if v.name == name)


def gradient_norms(model: "Sequential", x: object, y: object, weight: str = "kernel"
                   ) -> dict[str, float]:
    """``{layer name: ‖dL/dW‖₂}`` for one batch ``(x, y)`` of a compiled model
    (chapter 4, "Vanishing gradients: deep sigmoid networks").

    The loss is the compiled loss plus regularisation, computed in training mode (dropout on), as
    in a ``fit`` step; the weights are not updated. ``weight`` picks "kernel" or "bias".
    """
    if model.loss is None:
        raise RuntimeError("gradient_norms: compile the model first (it needs the loss)")
    xb = model.prepare_input(x)
    yb = training.check_targets(y, len(xb))
    layers = _layers_with(model, weight)
    if not layers:
        raise ValueError(f"no layer of model {model.name!r} has a trainable {weight!r}")
    training.compute_gradients(model, xb, yb)
    return {layer.name: _norm(layer.grads[weight]) for layer in layers}


def _saturation(layer: Any, y: np.ndarray) -> float:
    name = getattr(getattr(layer, "activation", None), "name", None)
    if name in ("sigmoid", "softmax"):
        return float(np.mean((y < 0.01) | (y > 0.99)))
    if name == "tanh":
        return float(np.mean(np.abs(y) > 0.99))
    return float("nan")


def activation_stats(model: "Sequential", x: object) -> dict[str, dict[str, float]]:
    """Statistics of each layer's output on the batch ``x``, in inference mode
    (chapter 4, "A diagnostic checklist").

    For every layer: ``mean``, ``std``, ``zero_fraction`` (entries exactly 0), ``dead_fraction``
    (units that are 0 for every sample: "dead ReLUs") and ``saturated_fraction`` (sigmoid outputs
    below 0.01 or above 0.99, tanh beyond ±0.99, where the derivative almost vanishes; NaN for
    other activations).
    """
    out = model.prepare_input(x)
    stats: dict[str, dict[str, float]] = {}
    for layer in model.layers:
        out = layer.forward(out, training=False)
        flat = out.reshape(-1, out.shape[-1]).astype(np.float64)
        stats[layer.name] = {
            "mean": float(flat.mean()), "std": float(flat.std()),
            "zero_fraction": float(np.mean(flat == 0)),
            "dead_fraction": float(np.mean(np.all(flat == 0, axis=0))),
            "saturated_fraction": _saturation(layer, flat),
        }
    return stats


class Diagnostics(Callback):
    """Record gradient norms (every batch) and activation statistics (every epoch) in ``fit``.

    After ``model.fit(..., callbacks=[diag])``:

    * ``diag.batch_grad_norms[layer]``: the kernel-gradient norm of every step (before clipping);
    * ``diag.grad_norms[layer]``: their mean over each epoch;
    * ``diag.global_grad_norm``: the norm of all gradients together, every step — what
      ``global_clipnorm`` compares with its threshold;
    * ``diag.weight_norms[layer]``: the kernel's norm at the end of each epoch;
    * ``diag.activations[layer][stat]``: ``activation_stats`` on ``x`` at the end of each epoch
      (only when ``x`` is given; a few hundred samples are plenty).

    It watches gradients vanish in a deep sigmoid network
    (chapter 4, "Vanishing gradients: deep sigmoid networks") and explode without clipping
    (chapter 4, "Exploding gradients and clipping").
    """

    def __init__(self, x: object | None = None, weight: str = "kernel") -> None:
        super().__init__()
        self.x = None if x is None else np.asarray(x)
        self.weight = weight
        self._reset()

    def _reset(self) -> None:
        self.batch_grad_norms: dict[str, list[float]] = {}
        self.grad_norms: dict[str, list[float]] = {}
        self.global_grad_norm: list[float] = []
        self.weight_norms: dict[str, list[float]] = {}
        self.activations: dict[str, dict[str, list[float]]] = {}
        self._epoch_start = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called by ``fit`` before training: forget everything recorded so far."""
        self._reset()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of each epoch: mark where its per-batch norms begin."""
        self._epoch_start = len(self.global_grad_norm)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after each batch: record each layer's gradient norm and the global norm."""
        assert self.model is not None
        total = 0.0
        for layer in self.model.layers:
            for name, grad in layer.grads.items():
                sq = float(np.sum(np.square(grad, dtype=np.float64)))
                total += sq
                if name == self.weight:
                    self.batch_grad_norms.setdefault(layer.name, []).append(float(np.sqrt(sq)))
        self.global_grad_norm.append(float(np.sqrt(total)))

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called after each epoch: mean gradient norms, weight norms, activation statistics."""
        assert self.model is not None
        for name, norms in self.batch_grad_norms.items():
            self.grad_norms.setdefault(name, []).append(float(np.mean(norms[self._epoch_start:])))
        for layer in _layers_with(self.model, self.weight):
            self.weight_norms.setdefault(layer.name, []).append(_norm(_weight(layer, self.weight).value))
        if self.x is not None:
            for name, stats in activation_stats(self.model, self.x).items():
                for stat, value in stats.items():
                    self.activations.setdefault(name, {}).setdefault(stat, []).append(value)


# --- plots (matplotlib is imported only when one is drawn) --------------------------------------

def _depth_colors(n: int) -> list:
    """One colour per layer, dark (input side) to light (output side): depth reads at a glance."""
    from matplotlib import colormaps

    return [colormaps["viridis"](v) for v in np.linspace(0.0, 0.9, max(n, 1))]


def plot_gradient_norms(norms: Diagnostics | dict, ax: Any = None, title: str | None = None,
                        label: str | None = None, per_batch: bool = False) -> Any:
    """Draw gradient norms on a log scale (chapter 4, "Vanishing gradients: deep sigmoid networks").

    ``norms`` is a ``Diagnostics`` (one curve per layer over the epochs, or over the steps with
    ``per_batch=True``) or a ``{layer: norm}`` dict from ``gradient_norms`` (norm against the
    layer's depth, one line — call it again with another ``label`` to compare two networks).
    """
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    if isinstance(norms, Diagnostics):
        curves = norms.batch_grad_norms if per_batch else norms.grad_norms
        if not curves:
            raise ValueError("the Diagnostics callback has recorded nothing yet: pass it to fit")
        colors = _depth_colors(len(curves))
        for i, (name, values) in enumerate(curves.items()):
            ax.plot(np.arange(1, len(values) + 1), values, color=colors[i], label=f"layer {i + 1}")
        ax.set_xlabel("step" if per_batch else "epoch")
        ax.legend(fontsize=7, ncol=2 if len(curves) > 6 else 1)
    elif isinstance(norms, dict):
        if not norms:
            raise ValueError("no gradient norms to plot")
        depth = np.arange(1, len(norms) + 1)
        ax.plot(depth, list(norms.values()), "o-", label=label)
        ax.set_xticks(depth)
        ax.set_xlabel("layer (1 = next to the input)")
        if label:
            ax.legend()
    else:
        raise TypeError(f"expected a Diagnostics callback or a dict of norms, got "
                        f"{type(norms).__name__}")
    ax.set_yscale("log")
    ax.set_ylabel("‖gradient of the kernel‖")
    if title:
        ax.set_title(title)
    return ax


def plot_activation_stats(stats: Diagnostics | dict, stat: str = "std", ax: Any = None,
                          title: str | None = None, label: str | None = None) -> Any:
    """Draw one activation statistic per layer (chapter 4, "A diagnostic checklist").

    From ``activation_stats`` (a dict): the statistic against depth. From a ``Diagnostics`` that
    was given ``x``: one curve per layer over the epochs.
    """
    if stat not in STATS:
        raise ValueError(f"stat must be one of {STATS}, got {stat!r}")
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    if isinstance(stats, Diagnostics):
        if not stats.activations:
            raise ValueError("no activation statistics recorded: give Diagnostics(x=...) and fit")
        colors = _depth_colors(len(stats.activations))
        for i, (name, values) in enumerate(stats.activations.items()):
            ax.plot(np.arange(1, len(values[stat]) + 1), values[stat], color=colors[i],
                    label=f"layer {i + 1}")
        ax.set_xlabel("epoch")
        ax.legend(fontsize=7, ncol=2 if len(stats.activations) > 6 else 1)
    elif isinstance(stats, dict):
        depth = np.arange(1, len(stats) + 1)
        ax.plot(depth, [s[stat] for s in stats.values()], "o-", label=label)
        ax.set_xticks(depth)
        ax.set_xlabel("layer (1 = next to the input)")
        if label:
            ax.legend()
    else:
        raise TypeError(f"expected a Diagnostics callback or a dict, got {type(stats).__name__}")
    ax.set_ylabel(stat.replace("_", " "))
    if title:
        ax.set_title(title)
    return ax
