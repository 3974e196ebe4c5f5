"""Optimisers with Keras 3's exact update rules (chapter 3).

``optimizer.apply(grads, variables)`` updates each variable in place. Models hand over their weights
as one flat buffer (all kernels and biases back to back), so an Adam step is a handful of vectorised
operations however many layers there are; per-variable views are used only when a rule needs
them (``clipnorm`` clips each weight's gradient on its own, as in Keras).

Gradient clipping (chapter 4), one of: ``clipnorm`` (each gradient's L2 norm), ``global_clipnorm``
(the norm of all gradients together), ``clipvalue`` (each entry to ``[-v, v]``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

Array = np.ndarray


def _check_rate(value: float, name: str, low: float = 0.0, high: float | None = None,
                low_inclusive: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value) or value < low or (value == low and not low_inclusive) or (
            high is not None and value >= high):
        bound = f"in [{low}, {high})" if high is not None else (
            f">= {low}" if low_inclusive else f"> {low}")
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


class Optimizer:
    """Base class: clipping, the step counter ``iterations`` and per-variable state (chapter 3)."""

    def __init__(self, learning_rate: float = 0.001, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None,
                 name: str | None = None) -> None:
        self.learning_rate = _check_rate(learning_rate, "learning_rate", low_inclusive=False)
        given = [n for n, v in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                                ("global_clipnorm", global_clipnorm)) if v is not None]
        if len(given) > 1:
            raise ValueError(f"Only one of clipnorm, clipvalue and global_clipnorm can be set, "
                             f"got {given}")
        self.clipnorm = None if clipnorm is None else _check_rate(clipnorm, "clipnorm", 0, None, False)
        self.clipvalue = None if clipvalue is None else _check_rate(clipvalue, "clipvalue", 0, None, False)
        self.global_clipnorm = None if global_clipnorm is None else _check_rate(
            global_clipnorm, "global_clipnorm", 0, None, False)
        self.name = name or type(self).__name__.lower()
        self.iterations = 0
        self._slots: list[dict[str, Array]] | None = None
        self._shapes: list[tuple[int, ...]] | None = None

    @property
    def needs_per_variable(self) -> bool:
        """True when the update treats each weight separately (``clipnorm``)."""
        return self.clipnorm is not None

    def _slot_names(self) -> tuple[str, ...]:
        return ()

    def build(self, variables: Sequence[Array]) -> None:
        """Create the zero-initialised state (momentum, moments …) for ``variables``."""
        self._shapes = [v.shape for v in variables]
        self._slots = [{s: np.zeros_like(v) for s in self._slot_names()} for v in variables]
        self.iterations = 0

    def clip_gradients(self, grads: Sequence[Array]) -> list[Array]:
        """Apply ``clipnorm`` / ``global_clipnorm`` / ``clipvalue`` as Keras does."""
        if self.clipnorm is not None:
            out = []
            for g in grads:
                norm = float(np.sqrt(np.sum(np.square(g, dtype=np.float64))))
                out.append(g * (self.clipnorm / max(norm, self.clipnorm)) if norm > self.clipnorm else g)
            return out
        if self.global_clipnorm is not None:
            norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
            if norm > self.global_clipnorm:
                scale = self.global_clipnorm / norm
                return [g * scale for g in grads]
            return list(grads)
        if self.clipvalue is not None:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return list(grads)

    def apply(self, grads: Sequence[Array], variables: Sequence[Array]) -> None:
        """One optimisation step: update every variable in place from its gradient."""
        if len(grads) != len(variables):
            raise ValueError(f"got {len(grads)} gradients for {len(variables)} variables")
        if self._slots is None or self._shapes != [v.shape for v in variables]:
            self.build(variables)
        grads = self.clip_gradients(grads)
        self.iterations += 1
        for g, v, slots in zip(grads, variables, self._slots):  # type: ignore[arg-type]
            if g.shape != v.shape:
                raise ValueError(f"gradient shape {g.shape} does not match variable shape {v.shape}")
            self.update_step(g, v, slots)

    def apply_gradients(self, grads_and_vars: Sequence[tuple[Array, Array]]) -> None:
        """Keras' ``apply_gradients(zip(grads, variables))``."""
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def update_step(self, grad: Array, variable: Array, slots: dict[str, Array]) -> None:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"name": self.name, "learning_rate": self.learning_rate, "clipnorm": self.clipnorm,
                "clipvalue": self.clipvalue, "global_clipnorm": self.global_clipnorm}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate})"


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum, Keras' ``SGD`` (chapter 3).

    ``m ← μ m − η g``; then ``w ← w + m`` or, with Nesterov, ``w ← w + μ m − η g``.
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 **kwargs: object) -> None:
        super().__init__(learning_rate, **kwargs)  # type: ignore[arg-type]
        self.momentum = _check_rate(momentum, "momentum", 0.0, 1.0)
        self.nesterov = bool(nesterov)

    def _slot_names(self) -> tuple[str, ...]:
        return ("momentum",) if self.momentum > 0 else ()

    def update_step(self, grad: Array, variable: Array, slots: dict[str, Array]) -> None:
        lr = self.learning_rate
        if self.momentum == 0:
            variable -= lr * grad
            return
        m = slots["momentum"]
        m *= self.momentum
        m -= lr * grad
        if self.nesterov:
            variable += self.momentum * m - lr * grad
        else:
            variable += m

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class RMSprop(Optimizer):
    """Keras' ``RMSprop``: divide by a running RMS of gradients, ε inside the root (chapter 3)."""

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
        v *= self.rho
        v += (1 - self.rho) * np.square(grad)
        if self.centered:
            a = slots["average_gradient"]
            a *= self.rho
            a += (1 - self.rho) * grad
            denominator = v - np.square(a) + self.epsilon
        else:
            denominator = v + self.epsilon
        increment = self.learning_rate * grad / np.sqrt(denominator)
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
    """Keras 3's ``Adam`` (chapter 3).

    ``m ← m + (g − m)(1 − β₁)``, ``v ← v + (g² − v)(1 − β₂)``,
    ``w ← w − α m / (√v + ε)`` with ``α = η √(1 − β₂ᵗ) / (1 − β₁ᵗ)``: the bias correction is folded
    into the step size and ε is added to ``√v`` *outside* the correction, exactly as Keras does.
    """

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, **kwargs: object) -> None:
        super().__init__(learning_rate, **kwargs)  # type: ignore[arg-type]
        self.beta_1 = _check_rate(beta_1, "beta_1", 0.0, 1.0)
        self.beta_2 = _check_rate(beta_2, "beta_2", 0.0, 1.0)
        self.epsilon = _check_rate(epsilon, "epsilon")

    def _slot_names(self) -> tuple[str, ...]:
        return ("m", "v", "tmp")

    def update_step(self, grad: Array, variable: Array, slots: dict[str, Array]) -> None:
        t = self.iterations
        alpha = self.learning_rate * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        m, v, tmp = slots["m"], slots["v"], slots["tmp"]
        # in place on preallocated buffers: no temporaries the size of the model
        np.subtract(grad, m, out=tmp)
        tmp *= 1 - self.beta_1
        m += tmp
        np.multiply(grad, grad, out=tmp)
        tmp -= v
        tmp *= 1 - self.beta_2
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= alpha
        variable -= tmp

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}


_NAMES: dict[str, type[Optimizer]] = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}


def get(identifier: str | Optimizer) -> Optimizer:
    """Resolve ``"sgd"``, ``"rmsprop"``, ``"adam"`` (Keras defaults) or an Optimizer instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        try:
            return _NAMES[identifier.lower()]()
        except KeyError:
            raise ValueError(
                f"Unknown optimizer {identifier!r}; expected one of {sorted(_NAMES)}"
            ) from None
    raise TypeError(
        f"optimizer must be a name or an nnlib.optimizers.Optimizer, got {type(identifier).__name__}"
    )
