"""Optimisers with Keras 3's exact update rules (chapter 3, "The optimisers, exactly as Keras
computes them").

``optimizer.step(variables)`` updates each ``Variable`` from its ``grad``: the last line of a
training step. ``optimizer.apply(grads, arrays)`` does the same for plain arrays (updated in place),
like Keras' ``apply``. Each ``update_step`` is the formula of the book's table, line by line; with
``nnlib.backend.fast()`` on (the default) ``update_step_in_place`` computes the same without
temporary arrays, and ``step`` updates all weights lying back to back in memory as one flat array
(``nnlib.variables.contiguous_groups``), so an Adam step is a dozen vectorised operations however
many layers there are. Per-weight arrays are used when a rule needs them (``clipnorm`` clips each
weight's gradient on its own, as in Keras).

Gradient clipping (chapter 4, "Exploding gradients and clipping"), one of: ``clipnorm`` (each
gradient's L2 norm), ``global_clipnorm`` (the norm of all gradients together), ``clipvalue``
(each entry to ``[-v, v]``). ``weight_decay`` shrinks every weight by ``w ← w − η·λ·w`` before
the update, as Keras 3 does (``AdamW``).

``LevenbergMarquardt`` (nnlib.levenberg_marquardt) is the second-order method for small regression
networks; Keras has no counterpart.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import backend
from .levenberg_marquardt import LevenbergMarquardt
from .utils import resolve
from .variables import Variable, contiguous_groups

Array = np.ndarray


def _check_rate(value: float, name: str, low: float = 0.0, high: float | None = None,
                low_inclusive: bool = True, high_inclusive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    too_low = value < low or (value == low and not low_inclusive)
    too_high = high is not None and (value > high or (value == high and not high_inclusive))
    if not np.isfinite(value) or too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        bound = f"in {left}{low}, {high}{right}" if high is not None else (
            f">= {low}" if low_inclusive else f"> {low}")
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def _optional_positive(value: float | None, name: str) -> float | None:
    return None if value is None else _check_rate(value, name, 0.0, None, False)


class Optimizer:
    """Base class: clipping, weight decay, the step counter ``iterations`` and per-variable state
    (chapter 3, "The optimisers, exactly as Keras computes them"). Subclasses name their state in
    ``_slot_names`` and implement ``update_step``."""

    #: False for minibatch gradient methods; True for methods that need the whole data set at once.
    full_batch = False

    def __init__(self, learning_rate: float = 0.001, weight_decay: float | None = None,
                 clipnorm: float | None = None, clipvalue: float | None = None,
                 global_clipnorm: float | None = None, name: str | None = None) -> None:
        self.learning_rate = _check_rate(learning_rate, "learning_rate", low_inclusive=False)
        given = [n for n, v in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                                ("global_clipnorm", global_clipnorm)) if v is not None]
        if len(given) > 1:
            raise ValueError(f"Only one of clipnorm, clipvalue and global_clipnorm can be set, "
                             f"got {given}")
        self.weight_decay = None if weight_decay is None else _check_rate(weight_decay,
                                                                          "weight_decay")
        self.clipnorm = _optional_positive(clipnorm, "clipnorm")
        self.clipvalue = _optional_positive(clipvalue, "clipvalue")
        self.global_clipnorm = _optional_positive(global_clipnorm, "global_clipnorm")
        self.name = name or type(self).__name__.lower()
        self.iterations = 0
        self._slots: list[dict[str, Array]] | None = None
        self._scratch: list[Array] = []  # one work array per variable, for the in-place updates
        self._shapes: list[tuple[int, ...]] | None = None
        self._grouped: tuple[list[Variable], list[tuple[Array, Array]]] = ([], [])

    @property
    def needs_per_variable(self) -> bool:
        """True when the update treats each weight separately (``clipnorm``)."""
        return self.clipnorm is not None

    def _slot_names(self) -> tuple[str, ...]:
        return ()

    def build(self, variables: Sequence[Array]) -> None:
        """Create the zero-initialised state (momentum, moments …) for ``variables``.

        It is built again, from zero, when ``apply`` gets arrays of other shapes — e.g. after
        freezing a layer changed which weights train — as recompiling does in Keras.
        """
        self._shapes = [v.shape for v in variables]
        self._slots = [{s: np.zeros_like(v) for s in self._slot_names()} for v in variables]
        self._scratch = [np.empty_like(v) for v in variables]
        self.iterations = 0

    @property
    def variables(self) -> list[Array]:
        """The optimiser's state arrays (momenta, moments), like Keras' ``optimizer.variables``."""
        return [a for slots in (self._slots or []) for a in slots.values()]

    def count_params(self) -> int:
        """The scalars ``model.summary()`` lists as "Optimizer params", counted as Keras does:
        the step counter, the learning rate and the state arrays (0 before the first step)."""
        return 2 + sum(a.size for a in self.variables) if self._slots is not None else 0

    def nbytes(self) -> int:
        """Bytes of those: an int64 step counter, a float32 learning rate and the state."""
        return 12 + sum(a.nbytes for a in self.variables) if self._slots is not None else 0

    def clip_gradients(self, grads: Sequence[Array]) -> list[Array]:
        """Apply ``clipnorm`` / ``global_clipnorm`` / ``clipvalue`` with Keras' formulas
        (chapter 4, "Exploding gradients and clipping")."""
        if self.clipnorm is not None:
            c = self.clipnorm  # Keras: g · c / max(‖g‖, c)
            return [g * (c / max(float(np.sqrt(np.sum(np.square(g, dtype=np.float64)))), c))
                    for g in grads]
        if self.global_clipnorm is not None:
            norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
            scale = self.global_clipnorm * min(1.0 / norm if norm else np.inf,
                                               1.0 / self.global_clipnorm)
            return list(grads) if scale == 1.0 else [g * scale for g in grads]
        if self.clipvalue is not None:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return list(grads)

    def step(self, variables: Sequence[Variable]) -> None:
        """Update every ``Variable`` from its ``grad``: ``model.optimizer.step(
        model.trainable_weights)`` ends a training step (chapter 3, "The optimisers, exactly as
        Keras computes them")."""
        variables = list(variables)
        if not backend.fast() or self.needs_per_variable:
            self.apply([v.grad for v in variables], [v.value for v in variables])  # type: ignore[misc]
            return
        known, groups = self._grouped
        if known != variables:  # Variables compare by identity
            groups = contiguous_groups(variables)
            self._grouped = (variables, groups)
        self.apply([g for _, g in groups], [w for w, _ in groups])

    def apply(self, grads: Sequence[Array], variables: Sequence[Any]) -> None:
        """One optimisation step: update every array of ``variables`` in place from its gradient,
        as Keras' ``optimizer.apply(grads, variables)`` (chapter 3, "The optimisers, exactly as
        Keras computes them")."""
        variables = [np.asarray(v) for v in variables]  # a Variable gives its live array
        if len(grads) != len(variables):
            raise ValueError(f"got {len(grads)} gradients for {len(variables)} variables")
        for g, v in zip(grads, variables):
            if g.shape != v.shape:
                raise ValueError(f"gradient shape {g.shape} does not match variable shape {v.shape}")
        if self._slots is None or self._shapes != [v.shape for v in variables]:
            self.build(variables)
        grads = self.clip_gradients(grads)
        if self.weight_decay:
            for v in variables:
                v -= v * (self.weight_decay * self.learning_rate)
        self.iterations += 1
        fast = backend.fast()
        for g, v, slots, tmp in zip(grads, variables, self._slots, self._scratch):  # type: ignore[arg-type]
            if fast:
                self.update_step_in_place(g, v, slots, tmp)
            else:
                self.update_step(g, v, slots)

    def apply_gradients(self, grads_and_vars: Sequence[tuple[Array, Array]]) -> None:
        """Keras' ``apply_gradients(zip(grads, variables))``."""
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def update_step(self, grad: Array, variable: Array, slots: dict[str, Array]) -> None:
        """Update ``variable`` in place from ``grad`` by the book's formula; ``iterations``
        already counts this step."""
        raise NotImplementedError

    def update_step_in_place(self, grad: Array, variable: Array, slots: dict[str, Array],
                             tmp: Array) -> None:
        """``update_step`` computed without temporaries, in the work array ``tmp`` (speed
        machinery, ``nnlib.backend.fast()``); the same formula by default."""
        self.update_step(grad, variable, slots)

    def get_config(self) -> dict:
        """The constructor arguments, as Keras' ``get_config``."""
        return {"name": self.name, "learning_rate": self.learning_rate,
                "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
                "clipvalue": self.clipvalue, "global_clipnorm": self.global_clipnorm}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate})"


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum, Keras' ``SGD``
    (chapter 3, "Gradient descent"); its exact update rules are in
    (chapter 3, "The optimisers, exactly as Keras computes them").

    ``m ← μ m − η g``; then ``w ← w + m`` or, with Nesterov, ``w ← w + μ m − η g``.
    Without momentum simply ``w ← w − η g``.
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 **kwargs: object) -> None:
        super().__init__(learning_rate, **kwargs)  # type: ignore[arg-type]
        self.momentum = _check_rate(momentum, "momentum", 0.0, 1.0, high_inclusive=True)
        self.nesterov = bool(nesterov)

    def _slot_names(self) -> tuple[str, ...]:
        return ("momentum",) if self.momentum > 0 else ()

    def update_step(self, grad: Array, variable: Array, slots: dict[str, Array]) -> None:
        if self.momentum == 0:
            variable -= self.learning_rate * grad
            return
        m = slots["momentum"]
        m[...] = self.momentum * m - self.learning_rate * grad
        if self.nesterov:
            variable += self.momentum * m - self.learning_rate * grad
        else:
            variable += m

    def update_step_in_place(self, grad: Array, variable: Array, slots: dict[str, Array],
                             tmp: Array) -> None:
        step = np.multiply(grad, self.learning_rate, out=tmp)  # η g
        if self.momentum == 0:
            variable -= step
            return
        m = slots["momentum"]
        m *= self.momentum
        m -= step
        if self.nesterov:
            variable -= step
            variable += self.momentum * m
        else:
            variable += m

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class RMSprop(Optimizer):
    """Keras' ``RMSprop``: divide by a running RMS of gradients, ε inside the root
    (chapter 3, "The optimisers, exactly as Keras computes them").

    ``v ← ρ v + (1 − ρ) g²``, ``w ← w − η g / √(v + ε)`` (centred: ``v − ḡ²`` under the root;
    with momentum the increments are accumulated like SGD's).
    """

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-7, centered: bool = False, **kwargs: object) -> None:
        super().__init__(learning_rate, **kwargs)  # type: ignore[arg-type]
        self.rho = _check_rate(rho, "rho", 0.0, 1.0)
        self.momentum = _check_rate(momentum, "momentum", 0.0, 1.0)
        self.epsilon = _check_rate(epsilon, "epsilon")
        self.centered = bool(centered)

    def _slot_names(self) -> tuple[str, ...]:
        return ("velocity",) + (("momentum",) if self.momentum > 0 else ()) + (
            ("average_gradient",) if self.centered else ())

    def update_step(self, grad: Array, variable: Array, slots: dict[str, Array]) -> None:
        v = slots["velocity"]
        v[...] = self.rho * v + (1 - self.rho) * np.square(grad)
        denominator = v
        if self.centered:
            a = slots["average_gradient"]
            a[...] = self.rho * a + (1 - self.rho) * grad
            denominator = v - np.square(a)
        increment = self.learning_rate * grad / np.sqrt(denominator + self.epsilon)
        if self.momentum > 0:
            m = slots["momentum"]
            m[...] = self.momentum * m + increment
            variable -= m
        else:
            variable -= increment

    def update_step_in_place(self, grad: Array, variable: Array, slots: dict[str, Array],
                             tmp: Array) -> None:
        v = slots["velocity"]
        v *= self.rho
        v += np.multiply(np.square(grad, out=tmp), 1 - self.rho, out=tmp)
        if self.centered:
            a = slots["average_gradient"]
            a *= self.rho
            a += (1 - self.rho) * grad
            denominator = np.subtract(v, np.square(a), out=tmp)
            denominator += self.epsilon
        else:
            denominator = np.add(v, self.epsilon, out=tmp)
        np.sqrt(denominator, out=tmp)
        increment = np.divide(grad * self.learning_rate, tmp, out=tmp)
        if self.momentum > 0:
            m = slots["momentum"]
            m *= self.momentum
            m += increment
            variable -= m
        else:
            variable -= increment

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}


class Adam(Optimizer):
    """Keras 3's ``Adam`` (chapter 3, "The optimisers, exactly as Keras computes them"); first met
    in (chapter 3, "Gradient descent").

    ``m ← m + (g − m)(1 − β₁)``, ``v ← v + (g² − v)(1 − β₂)``,
    ``w ← w − α m / (√v + ε)`` with ``α = η √(1 − β₂ᵗ) / (1 − β₁ᵗ)``: the bias correction is folded
    into the step size and ε is added to ``√v`` *outside* the correction, exactly as Keras does.
    ``amsgrad`` divides by the largest ``v`` seen so far instead.
    """

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, amsgrad: bool = False, **kwargs: object) -> None:
        super().__init__(learning_rate, **kwargs)  # type: ignore[arg-type]
        self.beta_1 = _check_rate(beta_1, "beta_1", 0.0, 1.0)
        self.beta_2 = _check_rate(beta_2, "beta_2", 0.0, 1.0)
        self.epsilon = _check_rate(epsilon, "epsilon")
        self.amsgrad = bool(amsgrad)

    def _slot_names(self) -> tuple[str, ...]:
        return ("m", "v") + (("v_hat",) if self.amsgrad else ())

    def _alpha(self) -> float:
        t = self.iterations
        return self.learning_rate * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)

    def update_step(self, grad: Array, variable: Array, slots: dict[str, Array]) -> None:
        m, v = slots["m"], slots["v"]
        m += (grad - m) * (1 - self.beta_1)
        v += (np.square(grad) - v) * (1 - self.beta_2)
        if self.amsgrad:
            v = np.maximum(slots["v_hat"], v, out=slots["v_hat"])
        variable -= (m * self._alpha()) / (np.sqrt(v) + self.epsilon)

    def update_step_in_place(self, grad: Array, variable: Array, slots: dict[str, Array],
                             tmp: Array) -> None:
        m, v = slots["m"], slots["v"]
        np.subtract(grad, m, out=tmp)
        tmp *= 1 - self.beta_1
        m += tmp
        np.multiply(grad, grad, out=tmp)
        tmp -= v
        tmp *= 1 - self.beta_2
        v += tmp
        if self.amsgrad:
            v = np.maximum(slots["v_hat"], v, out=slots["v_hat"])
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= self._alpha()
        variable -= tmp

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}


class AdamW(Adam):
    """Keras' ``AdamW``: Adam with decoupled weight decay, ``weight_decay=0.004``; it shrinks the
    weights directly instead of through an L2 penalty (chapter 4, "Four fixes, side by side")."""

    def __init__(self, learning_rate: float = 0.001, weight_decay: float = 0.004,
                 beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, **kwargs: object) -> None:
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad,
                         weight_decay=weight_decay, **kwargs)


_NAMES: dict[str, type] = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW,
                           "levenberg_marquardt": LevenbergMarquardt}


def get(identifier: "str | Optimizer | LevenbergMarquardt") -> "Optimizer | LevenbergMarquardt":
    """Resolve ``"sgd"``, ``"rmsprop"``, ``"adam"``, ``"adamw"`` (Keras defaults),
    ``"levenberg_marquardt"`` or an optimizer instance, as ``compile`` does
    (chapter 3, "The whole workflow, in nnlib and in Keras")."""
    if isinstance(identifier, str):
        identifier = identifier.lower()  # Keras accepts "Adam" too
    return resolve(identifier, _NAMES, (Optimizer, LevenbergMarquardt), "optimizer",
                   "an nnlib.optimizers.Optimizer")
