"""Figures the chapters share: network diagrams (chapter 1, "From neurons to layers"), decision
surfaces (chapter 1, "One neuron"), learning curves
(chapter 4, "Overfitting: a large model on few samples") and confusion matrices
(chapter 5, "The confusion matrix as a picture").

matplotlib is imported when a function is called, so ``import nnlib`` stays numpy-only.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np


def pyplot() -> Any:
    """``matplotlib.pyplot``, imported on first use so that ``import nnlib`` needs numpy only;
    every figure function draws with it, from the first one in (chapter 1, "One neuron")."""
    import matplotlib.pyplot as plt

    return plt


def layer_sizes(model: Any) -> list[int]:
    """``[inputs, units of each layer…]`` of a built nnlib or Keras Sequential model, what
    ``network`` draws for a model (chapter 1, "From neurons to layers")."""
    dense = [layer for layer in model.layers if hasattr(layer, "units")]
    if not dense:
        raise ValueError("the model has no Dense layers to draw")
    first = dense[0].kernel.shape[0]
    return [int(first)] + [int(layer.units) for layer in dense]


def network(sizes: Sequence[int] | Any, ax: Any = None, max_shown: int = 10,
            labels: Sequence[str] | None = None) -> Any:
    """Draw a fully connected network: one column of neurons per layer, every connection a line.

    ``sizes`` is ``[inputs, hidden…, outputs]`` or a built model. Layers wider than ``max_shown``
    are drawn with their first and last neurons and "⋮" between
    (chapter 1, "From neurons to layers").
    """
    if not isinstance(sizes, (list, tuple)):
        sizes = layer_sizes(sizes)
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(1.9 * len(sizes) + 1, 4))
    shown = [min(n, max_shown) for n in sizes]
    height = max(shown)

    def ys(k: int) -> np.ndarray:
        return (height - 1) / 2 - np.arange(k) + (k - 1) / 2 if k else np.zeros(0)

    for i in range(len(sizes) - 1):
        for y0 in ys(shown[i]):
            for y1 in ys(shown[i + 1]):
                ax.plot([i, i + 1], [y0, y1], color="0.75", lw=0.6, zorder=1)
    colors = ["#4c72b0"] + ["#55a868"] * (len(sizes) - 2) + ["#c44e52"]
    for i, (n, k) in enumerate(zip(sizes, shown)):
        y = ys(k)
        ax.scatter(np.full(k, i), y, s=260, color=colors[i], edgecolor="black", zorder=2)
        if k < n:
            ax.text(i, y[k // 2 - 1] / 2 + y[k // 2] / 2, "⋮", ha="center", va="center",
                    fontsize=16, zorder=3, bbox={"color": "white", "pad": 0})
        default = "input" if i == 0 else ("output" if i == len(sizes) - 1 else f"hidden {i}")
        name = labels[i] if labels else default
        ax.text(i, y.min() - 1.0, f"{name}\n{n} units", ha="center", va="top", fontsize=10)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-1.5 - 0.9, height + 0.2)
    ax.axis("off")
    return ax


def decision_surface(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                     y: np.ndarray | None = None, ax: Any = None, resolution: int = 200,
                     padding: float = 0.5, levels: int = 20, cmap: str = "RdBu_r") -> Any:
    """Shade ``predict`` over the plane around 2-D data ``X`` and scatter the points on top.

    For several outputs the arg-max class is shown; for one output its value
    (chapter 1, "What layers add: a decision surface"); trained networks in
    (chapter 2, "Two moons, trained in nnlib and in Keras").
    """
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_surface needs 2-D inputs of shape (n, 2), got {X.shape}")
    (x0, y0), (x1, y1) = X.min(0) - padding, X.max(0) + padding
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    out = np.asarray(predict(np.c_[gx.ravel(), gy.ravel()].astype(np.float32)))
    if out.ndim == 2 and out.shape[1] > 1:
        z = out.argmax(1).reshape(gx.shape)
        ax.contourf(gx, gy, z, levels=np.arange(out.shape[1] + 1) - 0.5, cmap=cmap, alpha=0.35)
    else:
        z = out.reshape(gx.shape)
        cs = ax.contourf(gx, gy, z, levels=levels, cmap=cmap, alpha=0.55)
        ax.figure.colorbar(cs, ax=ax, shrink=0.8)
        if z.min() < 0.5 < z.max():
            ax.contour(gx, gy, z, levels=[0.5], colors="black", linewidths=1.2)
    if y is not None:
        ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y).ravel(), cmap=cmap, edgecolor="white",
                   linewidth=0.6, s=30)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax


def learning_curves(history: Any, metrics: Sequence[str] = ("loss",), ax: Any = None,
                    title: str | None = None) -> Any:
    """Plot training and validation curves from an nnlib or Keras ``History``
    (chapter 4, "Overfitting: a large model on few samples"); also in
    (chapter 5, "One network, trained twice")."""
    plt = pyplot()
    logs = getattr(history, "history", history)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    for name in metrics:
        if name not in logs:
            raise ValueError(f"history has no {name!r}; it has {sorted(logs)}")
        epochs = np.arange(1, len(logs[name]) + 1)
        ax.plot(epochs, logs[name], label=f"training {name}")
        if f"val_{name}" in logs:
            ax.plot(epochs, logs[f"val_{name}"], "--", label=f"validation {name}")
    ax.set_xlabel("epoch")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def confusion_matrix(cm: Any, labels: Sequence[str] | None = None, ax: Any = None,
                     title: str | None = None, cmap: str = "Blues") -> Any:
    """Draw a confusion matrix as a heat map, true classes down, predictions across
    (chapter 5, "The confusion matrix as a picture").

    Each cell shows its count and, below it, its share of the true class's row (the class's
    recall on the diagonal); the colour is that share, so rare classes show as well as common ones.
    """
    plt = pyplot()
    cm = np.asarray(cm, dtype=float)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"a confusion matrix is square, got shape {cm.shape}")
    k = cm.shape[0]
    labels = [str(i) for i in range(k)] if labels is None else list(labels)
    if len(labels) != k:
        raise ValueError(f"{k} classes but {len(labels)} labels")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.1 * k + 2.2, 1.1 * k + 1.4))
    rows = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, rows, out=np.zeros_like(cm), where=rows != 0)
    ax.imshow(share, cmap=cmap, vmin=0, vmax=1)
    small = k > 4
    for i in range(k):
        for j in range(k):
            count = f"{cm[i, j]:g}"
            text = count if small else f"{count}\n{share[i, j]:.0%}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8 if small else 11,
                    color="white" if share[i, j] > 0.6 else "black")
    ax.set_xticks(range(k), labels)
    ax.set_yticks(range(k), labels)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title:
        ax.set_title(title)
    return ax
