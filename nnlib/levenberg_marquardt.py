"""Levenberg–Marquardt: a second-order method for small regression networks
(chapter 3, "Levenberg–Marquardt: when the network is small").

Least squares minimises ``½‖r(w)‖²`` where ``r`` are the residuals ``y_pred − y`` of every sample
and output. Near ``w`` the residuals are almost linear, ``r(w + δ) ≈ r + J δ`` with the Jacobian
``J = ∂r/∂w`` (one row per residual, one column per weight). Levenberg–Marquardt steps to the
minimum of that linear model, held back by a *damping* ``μ``:

    (JᵀJ + μ I) δ = −Jᵀ r.

Small ``μ`` is a Gauss–Newton step (fast near a minimum); large ``μ`` is a short gradient-descent
step ``δ ≈ −Jᵀr / μ`` (safe far away). The *damping schedule* adapts ``μ`` after every trial step:

* ``schedule="classic"`` (Marquardt 1963; Hagan & Menhaj 1994, MATLAB's ``trainlm``): keep a step
  that lowers the loss and divide ``μ`` by 10, otherwise multiply ``μ`` by 10 and solve again.
* ``schedule="gain_ratio"`` (Nielsen 1999, the default): compare the actual decrease with the one
  the linear model predicted, ``ρ = (L(w) − L(w+δ)) / (L(w) − L_lin(δ))``. A step with ``ρ > 0`` is
  kept and ``μ ← μ·max(1/3, 1 − (2ρ − 1)³)`` (shrinks a lot when the model was right); otherwise
  ``μ ← μ·ν`` with ``ν`` doubling on every consecutive failure. Fewer wasted solves than ×10/÷10.

It needs the whole data set at once and a ``P × P`` solve per trial (``P`` weights), so it suits
networks of up to a few thousand weights, where it typically reaches a far lower loss than Adam in
a few dozen iterations.

``LevenbergMarquardt`` works on any least-squares problem through ``minimize(residuals, jacobian,
x0)``, which the tests compare with ``scipy.optimize.least_squares(method="lm")``, and as a
full-batch trainer of any nnlib model: ``model.compile(LevenbergMarquardt(), "mse")``, and each
epoch of ``fit`` is one iteration on the whole data set (``train_step``). On a model it uses only
the model's public API — its trainable weights as one vector (``get_flat_weights`` /
``set_flat_weights``) and the Jacobian of its outputs (``jacobian``), built from ordinary
backward passes — so it trains any layers nnlib has.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .losses import MeanSquaredError

Array = np.ndarray
#: Largest Jacobian (residuals × weights) ``fit`` builds; beyond it, minibatch Adam is the tool.
MAX_JACOBIAN_ENTRIES = 50_000_000


def _positive(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(float(value)) or float(value) <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


@dataclass
class LMResult:
    """What ``LevenbergMarquardt.minimize`` returns: the solution and how it got there
    (chapter 3, "Levenberg–Marquardt: when the network is small")."""

    x: Array
    cost: float  # ½‖r(x)‖², scipy's definition
    iterations: int
    converged: bool
    message: str
    costs: list[float] = field(default_factory=list)  # cost after each accepted step


class LevenbergMarquardt:
    """Levenberg–Marquardt least squares with a damping schedule
    (chapter 3, "Levenberg–Marquardt: when the network is small").

    Args:
        damping: the initial ``μ`` (MATLAB's ``mu``, 0.001).
        schedule: ``"gain_ratio"`` (Nielsen's rule, the default) or ``"classic"`` (÷10 after a
            successful step, ×10 after a failed one).
        max_damping: give up — converged, or stuck — when ``μ`` would exceed this (1e10).
    """

    full_batch = True
    needs_per_variable = False
    SCHEDULES = ("gain_ratio", "classic")

    def __init__(self, damping: float = 1e-3, schedule: str = "gain_ratio",
                 max_damping: float = 1e10, name: str | None = None) -> None:
        self.initial_damping = _positive(damping, "damping")
        if schedule not in self.SCHEDULES:
            raise ValueError(f"schedule must be one of {self.SCHEDULES}, got {schedule!r}")
        self.schedule = schedule
        self.max_damping = _positive(max_damping, "max_damping")
        if self.max_damping < self.initial_damping:
            raise ValueError(f"max_damping ({max_damping}) must be at least damping ({damping})")
        self.name = name or "levenberg_marquardt"
        self.reset()

    def reset(self) -> None:
        """Back to the initial damping, iteration count 0."""
        self.damping = self.initial_damping
        self.growth = 2.0  # Nielsen's ν
        self.iterations = 0

    # --- the algorithm ---------------------------------------------------------------------------
    def step(self, residuals: Callable[[Array], Array], w: Array, r: Array,
             J: Array) -> tuple[Array, Array, bool]:
        """One iteration from ``w`` (residuals ``r``, Jacobian ``J`` there).

        Solves ``(JᵀJ + μI) δ = −Jᵀr``, tries ``w + δ`` and adapts ``μ`` until a step lowers
        ``½‖r‖²``. Returns the new point, its residuals and ``True``; or ``w``, ``r`` and ``False``
        when ``μ`` exceeded ``max_damping`` first (no step helps: a minimum, to working precision).
        """
        J = np.asarray(J, dtype=np.float64)
        r = np.asarray(r, dtype=np.float64)
        w = np.asarray(w, dtype=np.float64)
        cost = 0.5 * float(r @ r)
        A = J.T @ J
        g = J.T @ r
        diagonal = np.arange(len(A))
        curvature = A[diagonal, diagonal].copy()
        while self.damping <= self.max_damping:
            A[diagonal, diagonal] = curvature + self.damping
            try:
                delta = np.linalg.solve(A, -g)
            except np.linalg.LinAlgError:  # singular even with this damping: damp harder
                self.rejected()
                continue
            r_new = np.asarray(residuals(w + delta), dtype=np.float64)
            cost_new = 0.5 * float(r_new @ r_new)
            # the decrease the linear model predicts
            predicted = 0.5 * float(delta @ (self.damping * delta - g))
            if np.isfinite(cost_new) and cost_new < cost and predicted > 0:
                self.accepted((cost - cost_new) / predicted)
                self.iterations += 1
                return w + delta, r_new, True
            self.rejected()
        self.damping = self.max_damping
        return w, r, False

    def accepted(self, gain_ratio: float) -> None:
        """The damping schedule after a kept step whose decrease was ``gain_ratio`` times the one
        the linear model predicted: ``μ`` shrinks."""
        if self.schedule == "classic":
            self.damping /= 10.0
        else:
            self.damping *= max(1.0 / 3.0, 1.0 - (2.0 * gain_ratio - 1.0) ** 3)
            self.growth = 2.0
        self.damping = max(self.damping, 1e-15)

    def rejected(self) -> None:
        """The damping schedule after a step that did not lower the loss: ``μ`` grows (Nielsen:
        by ``growth``, which doubles on every consecutive failure)."""
        if self.schedule == "classic":
            self.damping *= 10.0
        else:
            self.damping *= self.growth
            self.growth *= 2.0

    def minimize(self, residuals: Callable[[Array], Array], jacobian: Callable[[Array], Array],
                 x0: Array, max_iterations: int = 200, ftol: float = 1e-12,
                 gtol: float = 1e-10) -> LMResult:
        """Minimise ``½‖residuals(x)‖²`` from ``x0`` (float64), like
        ``scipy.optimize.least_squares``.

        Stops when no step lowers the cost any more, when an accepted step lowers it by less than
        ``ftol`` relatively, when ``‖Jᵀr‖∞ < gtol``, or after ``max_iterations``.
        """
        x = np.array(x0, dtype=np.float64).ravel()
        r = np.asarray(residuals(x), dtype=np.float64).ravel()
        self.reset()
        costs = [0.5 * float(r @ r)]
        for iteration in range(1, max_iterations + 1):
            J = np.asarray(jacobian(x), dtype=np.float64).reshape(r.size, x.size)
            if np.max(np.abs(J.T @ r), initial=0.0) < gtol:
                return LMResult(x, costs[-1], iteration - 1, True, "gradient below gtol", costs)
            x, r, accepted = self.step(lambda w: np.ravel(residuals(w)), x, r, J)
            if not accepted:
                return LMResult(x, costs[-1], iteration - 1, True,
                                "no step lowers the cost (damping at its maximum)", costs)
            costs.append(0.5 * float(r @ r))
            if costs[-2] - costs[-1] <= ftol * costs[-2]:
                return LMResult(x, costs[-1], iteration, True, "relative reduction below ftol", costs)
        return LMResult(x, costs[-1], max_iterations, False, "max_iterations reached", costs)

    # --- on a model --------------------------------------------------------------------------
    def train_step(self, model: Any, x: Array, y: Array) -> tuple[float, Array]:
        """One iteration on the whole of ``(x, y)``; returns the MSE before it and the predictions
        (chapter 3, "Levenberg–Marquardt: when the network is small").

        ``fit`` calls this instead of ``nnlib.training.train_step``. Sets ``model.stop_training``
        when no step lowers the loss any more (converged).
        """
        if not isinstance(model.loss, MeanSquaredError) or model.loss.reduction not in (
                "sum_over_batch_size", "mean"):
            raise ValueError(
                "Levenberg–Marquardt minimises a sum of squares: compile with loss='mse' "
                f"(got {model.loss!r})"
            )
        if model.regularization_loss():
            raise ValueError("Levenberg–Marquardt here does not handle weight regularizers; remove "
                             "them or train with Adam")
        y_pred, J = jacobian(model, x)
        t, _ = model.loss.prepare(y, y_pred)
        r = (y_pred - t.reshape(y_pred.shape)).ravel().astype(np.float64)
        loss = float(np.mean(np.square(r)))

        def residuals(w: Array) -> Array:
            set_flat_weights(model, w)
            return (model.forward(x, training=False) - t.reshape(y_pred.shape)).ravel()

        w_new, _, accepted = self.step(residuals, get_flat_weights(model), r, J)
        set_flat_weights(model, w_new)
        if not accepted:
            model.stop_training = True
        return loss, y_pred

    def get_config(self) -> dict:
        """The constructor arguments."""
        return {"name": self.name, "damping": self.initial_damping, "schedule": self.schedule,
                "max_damping": self.max_damping}

    def __repr__(self) -> str:
        return f"LevenbergMarquardt(damping={self.initial_damping})"


def get_flat_weights(model: Any) -> Array:
    """The model's trainable weights, layer by layer (kernel, then bias), as one float64 vector
    (chapter 3, "Levenberg–Marquardt: when the network is small")."""
    weights = model.trainable_weights
    if not weights:
        return np.zeros(0)
    return np.concatenate([np.asarray(v, dtype=np.float64).ravel() for v in weights])


def set_flat_weights(model: Any, w: Array) -> None:
    """Copy the vector ``w`` (in ``get_flat_weights``' order) into the model's trainable weights
    (chapter 3, "Levenberg–Marquardt: when the network is small")."""
    offset = 0
    for v in model.trainable_weights:
        v.assign(np.reshape(w[offset:offset + v.size], v.shape))
        offset += v.size
    if offset != len(w):
        raise ValueError(f"the model has {offset} trainable weights, got a vector of {len(w)}")


def jacobian(model: Any, x: Array) -> tuple[Array, Array]:
    """Predictions and the Jacobian ``∂ y_pred / ∂ w`` of a model
    (chapter 3, "Levenberg–Marquardt: when the network is small").

    Row ``i·outputs + k`` holds the derivatives of output ``k`` of sample ``i`` with respect to
    every trainable weight, in ``get_flat_weights``' order. One backward pass per output ``k``,
    from ``dL/dy = e_k`` for every sample, gives them all when the layers keep each sample's
    gradients apart (``backward_per_sample``); for layers that cannot, each row is an ordinary
    backward pass of sample ``i`` alone.
    """
    xs = model.prepare_input(x)
    y_pred = model.forward(xs, training=False)
    if y_pred.ndim != 2:
        raise ValueError(f"the Jacobian needs outputs of shape (samples, outputs), got {y_pred.shape}")
    n, k_out = y_pred.shape
    weights = model.trainable_weights
    total = sum(v.size for v in weights)
    if n * k_out * total > MAX_JACOBIAN_ENTRIES:
        raise ValueError(f"the Jacobian would have {n * k_out} × {total} entries: too big for "
                         "Levenberg–Marquardt; train this model with Adam")
    J = np.empty((n, k_out, total), dtype=np.float64)
    try:
        for k in range(k_out):
            unit = np.zeros_like(y_pred)
            unit[:, k] = 1.0
            _, per_sample = model.backward_per_sample(unit)
            J[:, k] = np.concatenate([g.reshape(n, -1) for g in per_sample], axis=1) \
                if per_sample else 0.0
        return y_pred, J.reshape(n * k_out, total)
    except NotImplementedError:
        pass
    unit = np.zeros((1, k_out), dtype=y_pred.dtype)
    for i in range(n):
        model.forward(xs[i:i + 1], training=False)
        for k in range(k_out):
            unit[0, k] = 1.0
            model.backward(unit, input_grad=False)
            unit[0, k] = 0.0
            J[i, k] = np.concatenate([v.grad.ravel() for v in weights]) if weights else 0.0
    return y_pred, J.reshape(n * k_out, total)
