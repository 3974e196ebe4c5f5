"""``Variable``: a weight that owns its value and its gradient (chapter 1, "Counting parameters").

A layer creates its weights with ``self.add_weight(...)``, which returns a ``Variable``: the
weight's ``value`` (a numpy array), its ``grad`` (the same shape; ``backward`` fills it, the
optimiser reads it), a ``name``, whether it is ``trainable``, and an optional ``regularizer``
(chapter 4, "Four fixes, side by side"). Both arrays live for as long as the variable: assigning
to ``variable.value`` or ``variable.grad`` *copies into* them, so every reference —
``layer.kernel``, ``model.weights``, the optimiser's — keeps seeing the numbers training changes:

>>> import numpy as np
>>> w = Variable(np.zeros((2, 3), dtype=np.float32), name="kernel")
>>> view = w.value
>>> w.grad = np.ones((2, 3))          # a layer written CS231n-style assigns its gradient
>>> w.assign(np.full((2, 3), 5.0))    # and set_weights assigns values
>>> float(view[0, 0]), float(w.grad.sum())
(5.0, 6.0)
>>> w.grad = np.ones((3, 2))
Traceback (most recent call last):
...
ValueError: gradient of 'kernel' has shape (3, 2), but the weight has shape (2, 3) (transposed?)

Where the arrays live (chapter 3, "How fast is nnlib?"): trainable weights are cut from large
shared blocks of memory, one after the other, and their gradients from parallel blocks. The
weights of layers built one after another therefore lie back to back, and an optimiser can update
a whole model with a dozen vectorised operations on one flat view (``contiguous_groups``) instead
of a dozen per weight. This is only about speed: every weight is still its own array, and with
``nnlib.backend.set_fast(False)`` optimisers update them one by one.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .regularizers import Regularizer

#: Elements per shared block of weights (lazily committed by the operating system: untouched
#: memory costs nothing). A weight larger than this gets a block of its own.
BLOCK_SIZE = 1 << 20


class _Block:
    """A run of memory weights are cut from: values, and gradients at the same offsets."""

    def __init__(self, size: int, dtype: np.dtype) -> None:
        self.values = np.empty(size, dtype=dtype)
        self.grads = np.zeros(size, dtype=dtype)
        self.used = 0


_open_blocks: dict[np.dtype, _Block] = {}


def _allocate(size: int, dtype: np.dtype) -> tuple[_Block, int]:
    """A block and an offset with room for ``size`` elements of ``dtype``, right after the last
    weight allocated in that dtype whenever it fits."""
    block = _open_blocks.get(dtype)
    if block is None or block.used + size > len(block.values):
        block = _Block(max(size, BLOCK_SIZE), dtype)
        if size < BLOCK_SIZE:
            _open_blocks[dtype] = block
    start = block.used
    block.used += size
    return block, start


class Variable:
    """A weight: ``value``, ``grad``, ``name``, ``trainable``, ``regularizer`` (chapter 1,
    "Counting parameters").

    Like a Keras variable it has ``shape``, ``dtype``, ``numpy()`` (a copy) and ``assign(value)``;
    ``np.asarray(variable)`` is the live value. Non-trainable weights (``trainable=False``) have no
    gradient (``grad`` is ``None``).
    """

    def __init__(self, initial_value: Any, name: str = "variable", trainable: bool = True,
                 regularizer: Regularizer | None = None, path: str | None = None) -> None:
        initial = np.asarray(initial_value)
        if initial.dtype.kind != "f":
            raise TypeError(f"variable {name!r} must hold floats, got dtype {initial.dtype}")
        self.name = name
        self.path = path or name
        self.trainable = bool(trainable)
        self.regularizer = regularizer
        if self.trainable:
            self._block, self._start = _allocate(initial.size, initial.dtype)
            stop = self._start + initial.size
            self._value = self._block.values[self._start:stop].reshape(initial.shape)
            self._grad: np.ndarray | None = self._block.grads[self._start:stop].reshape(initial.shape)
            self._value[...] = initial
        else:
            self._block, self._start = None, 0
            self._value, self._grad = np.array(initial, copy=True), None

    # --- the two arrays ------------------------------------------------------------------------
    @property
    def value(self) -> np.ndarray:
        """The weight's array (live: the optimiser updates it in place)."""
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        self.assign(new)

    def assign(self, new: Any) -> None:
        """Copy ``new`` into the weight (same shape), as Keras' ``variable.assign``."""
        np.copyto(self._value, self._checked(new, "value"), casting="same_kind")

    @property
    def grad(self) -> np.ndarray | None:
        """``dL/dvalue`` from the last backward pass (``None`` for a non-trainable weight)."""
        return self._grad

    @grad.setter
    def grad(self, new: Any) -> None:
        if self._grad is None:
            raise AttributeError(f"weight {self.path!r} is not trainable: it has no gradient")
        np.copyto(self._grad, self._checked(new, "gradient"), casting="same_kind")

    def _checked(self, new: Any, what: str) -> np.ndarray:
        arr = np.asarray(new)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{what} of {self.name!r} must be numbers, got dtype {arr.dtype}")
        if arr.shape != self.shape:
            raise ValueError(
                f"{what} of {self.name!r} has shape {arr.shape}, but the weight has shape "
                f"{self.shape}" + (" (transposed?)" if arr.shape == self.shape[::-1] else ""))
        return arr

    # --- array-like ----------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The weight's shape, e.g. ``(inputs, units)`` for a Dense kernel."""
        return self._value.shape

    @property
    def dtype(self) -> np.dtype:
        """The weight's float type (float32 unless the layer asked for another)."""
        return self._value.dtype

    @property
    def size(self) -> int:
        """Number of scalars in the weight."""
        return self._value.size

    def numpy(self) -> np.ndarray:
        """A copy of the value, as Keras' ``variable.numpy()``."""
        return self._value.copy()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None and not copy:
            return self._value
        return np.array(self._value, dtype=dtype, copy=True)

    def __repr__(self) -> str:
        return (f"<Variable path={self.path!r} shape={self.shape} dtype={self.dtype.name}"
                f"{'' if self.trainable else ' trainable=False'}>")


def contiguous_groups(variables: Sequence[Variable]) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(values, grads)`` flat views, one per run of trainable ``variables`` that lie back to back
    in memory (chapter 3, "How fast is nnlib?").

    For the variables of a model built in one go this is a single pair covering the whole model,
    so an optimiser step is a few operations however many layers there are. Updating the groups
    is the same as updating each variable.
    """
    groups: list[tuple[np.ndarray, np.ndarray]] = []
    run: list[Variable] = []

    def close() -> None:
        if run:
            block, lo, hi = run[0]._block, run[0]._start, run[-1]._start + run[-1].size
            groups.append((block.values[lo:hi], block.grads[lo:hi]))  # type: ignore[union-attr]
            run.clear()

    for v in variables:
        if v._block is None:
            raise ValueError(f"weight {v.path!r} is not trainable; it has no gradient to apply")
        if run and not (v._block is run[-1]._block and v._start == run[-1]._start + run[-1].size):
            close()
        run.append(v)
    close()
    return groups
