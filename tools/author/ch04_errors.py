"""Exercise 4 — When training goes wrong: writes solutions/ch04_errors/training_errors.ipynb.

Edit this file, never the notebook, then run `make solutions && make exercises`.
"""
from __future__ import annotations

from tools.nbtools import md, readonly, solution, tests

NOTEBOOK = "training_errors.ipynb"

CELLS = [
    md(r"""
    # Exercise 4 — When training goes wrong

    This exercise goes with chapter 4 of *Neural Networks in Python*. You will write, with numpy only,
    the pieces Keras uses to fight overfitting and unstable training:

    1. the **L2 penalty** of a weight matrix and its **gradient**,
    2. **inverted dropout**, forward and backward,
    3. the **early-stopping** rule of `keras.callbacks.EarlyStopping`,
    4. **gradient clipping by the global norm** (`global_clipnorm`),
    5. a **diagnosis** of training and validation curves: underfitting, overfitting or a good fit.

    Write your code where it says `YOUR CODE HERE` (delete the `raise NotImplementedError()` line).
    Run each test cell after your answer: a failing test tells you what was expected, what came, and
    often what the usual mistake is. Press **Validate** in the toolbar before you submit.

    Your functions are graded by more tests than the ones you see, including comparisons with Keras
    and TensorFlow on random inputs. Calling nnlib's, Keras' or TensorFlow's own implementation earns
    no points: the point is to write it yourself.
    """, "intro"),
    readonly("setup", r'''
    # Run this cell first. It keeps TensorFlow quiet, loads numpy and the course's checks.
    from nnlib import course

    course.setup()

    import numpy as np
    from nnlib import testing as T

    np.set_printoptions(precision=4, suppress=True)
    '''),

    # --- 1. L2 ----------------------------------------------------------------------------------
    md(r"""
    ## 1. The L2 penalty and its gradient (1 + 2 points)

    `Dense(units, kernel_regularizer=keras.regularizers.L2(l2))` adds a penalty on the kernel $W$ to
    the loss that training minimises:

    $$ \text{penalty}(W) = \lambda \sum_{i,j} W_{ij}^2, \qquad \lambda = \texttt{l2}. $$

    Keras' formula has **no factor ½**. Write `l2_penalty(W, l2)`, returning that number, and
    `l2_gradient(W, l2)`, returning $\partial\,\text{penalty} / \partial W$, an array shaped like `W`
    that backpropagation adds to the kernel's gradient.
    """, "task_l2"),
    solution("l2", r'''
    def l2_penalty(W, l2):
        """Keras' L2 penalty: l2 times the sum of the squared weights (a number)."""
        ### BEGIN SOLUTION
        W = np.asarray(W, dtype=float)
        return float(l2 * np.sum(W * W))
        ### END SOLUTION


    def l2_gradient(W, l2):
        """Gradient of l2_penalty with respect to W (same shape as W)."""
        ### BEGIN SOLUTION
        return 2.0 * l2 * np.asarray(W, dtype=float)
        ### END SOLUTION
    '''),
    tests("test_l2_penalty", 1, r'''
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    T.check_scalar(T.call(l2_penalty, W, 0.1), 1.425, "l2_penalty(W, 0.1)", mistakes={
        "Keras' L2 has no factor ½: the penalty is l2 · Σ W², not ½ · l2 · Σ W².": 0.7125,
        "square the weights: l2 · Σ W². The sum of absolute values is the L1 penalty.": 0.65,
        "use the sum of the squares, not the norm (its square root): l2 · Σ W².": 0.1 * np.sqrt(14.25),
        "multiply by l2: the penalty is l2 · Σ W².": 14.25,
    })
    T.check_scalar(T.call(l2_penalty, np.zeros((3, 2)), 0.5), 0.0, "l2_penalty of zeros")
    print("l2_penalty: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(401)
    for _shape, _l2 in [((4, 3), 0.01), ((1, 7), 0.3), ((10, 10), 1e-4), ((5,), 2.0)]:
        _W = _rng.normal(size=_shape).astype("float32")
        _expected = float(keras.regularizers.L2(_l2)(keras.ops.convert_to_tensor(_W)))
        _got = T.assert_own_work(l2_penalty, _W, _l2, name="l2_penalty")
        T.check_scalar(_got, _expected, f"l2_penalty on a {_shape} kernel, l2={_l2}", rtol=1e-5)
    # a Keras model's regularisation loss is the sum of the penalties of its kernels
    _model = keras.Sequential([keras.Input((6,)),
                               keras.layers.Dense(5, kernel_regularizer=keras.regularizers.L2(0.02)),
                               keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.02))])
    _model.set_weights([_rng.normal(size=w.shape).astype("float32") for w in _model.get_weights()])
    _total = sum(T.assert_own_work(l2_penalty, layer.get_weights()[0], 0.02, name="l2_penalty")
                 for layer in _model.layers)
    T.check_scalar(_total, float(sum(float(l) for l in _model.losses)),
                   "the sum of l2_penalty over a Keras model's kernels", rtol=1e-5)
    ### END HIDDEN TESTS
    '''),
    tests("test_l2_gradient", 2, r'''
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    T.check_array(T.call(l2_gradient, W, 0.1), 0.2 * W, "l2_gradient(W, 0.1)", mistakes={
        "the derivative of l2 · w² is 2 · l2 · w: the factor 2 is missing.": 0.1 * W,
        "the derivative of l2 · w² is 2 · l2 · w, not l2 · sign(w) (that is L1's).": 0.1 * np.sign(W),
        "the gradient has one entry per weight (shape of W), not the penalty's value.": 1.425,
        "the derivative of l2 · w² is 2 · l2 · w (you squared the weights again?).": 0.2 * W * W,
    }, shape_hint="return an array shaped like W: one derivative per weight.")
    print("l2_gradient: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(402)
    for _shape, _l2 in [((4, 3), 0.01), ((6, 2), 0.5), ((3,), 1.0)]:
        _W = _rng.normal(size=_shape).astype("float32")
        _expected = T.tensorflow_derivative(keras.regularizers.L2(_l2), _W)
        _got = T.assert_own_work(l2_gradient, _W, _l2, name="l2_gradient")
        T.check_array(_got, _expected, f"l2_gradient on a {_shape} kernel, l2={_l2}", rtol=1e-5,
                      mistakes={"the derivative of l2 · w² is 2 · l2 · w: the factor 2 is missing.":
                                _l2 * _W})
    ### END HIDDEN TESTS
    '''),

    # --- 2. dropout -----------------------------------------------------------------------------
    md(r"""
    ## 2. Inverted dropout (3 + 2 points)

    While **training**, dropout keeps each entry of its input with probability $1 - \text{rate}$ and
    sets the others to 0. The kept entries are scaled by $1/(1-\text{rate})$, so that every entry keeps
    its expected value — this is *inverted* dropout, what `keras.layers.Dropout` does. At
    **inference** (`training=False`) the layer is the identity: no entry is dropped, nothing is scaled.

    Write `dropout_forward(X, rate, training, rng)` returning a pair `(out, mask)`:

    * in training: draw the mask **exactly** as `mask = rng.random(X.shape) >= rate` (a boolean
      array, `True` = kept; `rng` is a `np.random.Generator`), and return `X * mask / (1 - rate)` and
      the mask;
    * at inference: return `X` unchanged and `None`.

    Then write `dropout_backward(dout, mask, rate)`: given $\partial L/\partial\,\text{out}$, return
    $\partial L/\partial X$. The output of a dropped entry did not depend on its input at all, and a
    kept entry was multiplied by $1/(1-\text{rate})$. (You may assume `rate < 1`.)
    """, "task_dropout"),
    solution("dropout", r'''
    def dropout_forward(X, rate, training, rng):
        """Inverted dropout: (X * mask / (1 - rate), mask) in training, (X, None) at inference."""
        ### BEGIN SOLUTION
        X = np.asarray(X, dtype=float)
        if not training:
            return X, None
        mask = rng.random(X.shape) >= rate
        return X * mask / (1.0 - rate), mask
        ### END SOLUTION


    def dropout_backward(dout, mask, rate):
        """Gradient with respect to the input of dropout, given the mask of the forward pass."""
        ### BEGIN SOLUTION
        return np.asarray(dout, dtype=float) * mask / (1.0 - rate)
        ### END SOLUTION
    '''),
    tests("test_dropout_forward", 3, r'''
    X = np.arange(1.0, 13.0).reshape(3, 4)
    rate = 0.25
    keep = np.random.default_rng(0).random(X.shape) >= rate
    out, mask = T.call(dropout_forward, X, rate, True, np.random.default_rng(0))
    T.check_array(mask, keep, "the mask of dropout_forward(X, 0.25, True, rng)", mistakes={
        "keep an entry when rng.random(X.shape) >= rate (probability 1 - rate), not < rate.": ~keep,
    })
    T.check_array(out, X * keep / (1 - rate), "dropout_forward(X, 0.25, True, rng)", mistakes={
        "rescale the kept entries by 1 / (1 - rate) (inverted dropout), so that each entry keeps "
        "its expected value.": X * keep,
        "divide by 1 - rate, the probability of keeping an entry, not by rate.": X * keep / rate,
        "multiply by the mask, then divide by 1 - rate: X * mask / (1 - rate).": X * keep * (1 - rate),
    })
    out, mask = T.call(dropout_forward, X, rate, False, np.random.default_rng(0))
    T.check_array(out, X, "dropout_forward(X, 0.25, training=False, rng)", mistakes={
        "at inference (training=False) dropout is the identity: return X unchanged, drop nothing.":
            X * keep / (1 - rate),
        "at inference, inverted dropout returns X unchanged and drops nothing (no mask).": X * keep,
        "inverted dropout scales while training, so inference needs no scaling: return X itself.":
            X * (1 - rate),
    })
    assert mask is None, "at inference dropout_forward should return (X, None): there is no mask"
    print("dropout_forward: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(403)
    for _rate in (0.1, 0.5, 0.8):
        _X = (_rng.normal(size=(200, 150)) + 3).astype("float32")  # no zeros in X
        _keras_train = np.asarray(keras.layers.Dropout(_rate, seed=1)(_X, training=True), dtype=float)
        _keras_infer = np.asarray(keras.layers.Dropout(_rate, seed=1)(_X, training=False), dtype=float)
        _out, _ = T.assert_own_work(dropout_forward, _X, _rate, False, np.random.default_rng(2),
                                    name="dropout_forward")
        _active = _X * (np.random.default_rng(2).random(_X.shape) >= _rate) / (1 - _rate)
        T.check_array(_out, _keras_infer, f"dropout_forward at inference, rate={_rate} (Keras: "
                      "the identity)", mistakes={"at inference (training=False) dropout is the "
                      "identity: return X unchanged, drop nothing.": _active})
        _out, _mask = T.assert_own_work(dropout_forward, _X, _rate, True, np.random.default_rng(2),
                                        name="dropout_forward")
        _out = np.asarray(_out, dtype=float)
        _kept = _out != 0
        _k_kept = _keras_train != 0
        # same scaling of the kept entries as Keras: x / (1 - rate)
        T.check_array(_out[_kept], (_X.astype(float) / (1 - _rate))[_kept],
                      f"the kept entries of dropout_forward, rate={_rate}", rtol=1e-5,
                      mistakes={"rescale the kept entries by 1 / (1 - rate) (inverted dropout).":
                                _X.astype(float)[_kept]})
        T.check_array(_keras_train[_k_kept], (_X.astype(float) / (1 - _rate))[_k_kept],
                      "Keras' kept entries", rtol=1e-5)
        # the same fraction dropped and the same mean as Keras' layer (4 binomial standard errors)
        _se = 4 * np.sqrt(_rate * (1 - _rate) / _X.size)
        T.check_scalar(float(np.mean(~_kept)), float(np.mean(~_k_kept)),
                       f"the fraction dropped at rate={_rate} (Keras' layer)", rtol=0, atol=2 * _se)
        T.check_scalar(float(_out.mean()), float(_keras_train.mean()),
                       f"the mean output at rate={_rate} (Keras' layer)", rtol=0,
                       atol=3 * _se * float(_X.mean()) / (1 - _rate))
        _expected_mask = np.random.default_rng(2).random(_X.shape) >= _rate
        T.check_array(_mask, _expected_mask, f"the mask at rate={_rate}")
    ### END HIDDEN TESTS
    '''),
    tests("test_dropout_backward", 2, r'''
    dout = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    mask = np.array([[True, False, True], [False, True, True]])
    rate = 0.5
    T.check_array(T.call(dropout_backward, dout, mask, rate), dout * mask / (1 - rate),
                  "dropout_backward(dout, mask, 0.5)", mistakes={
        "the forward pass multiplied the kept entries by 1 / (1 - rate): so does the gradient.":
            dout * mask,
        "dropped entries get no gradient: multiply by the mask.": dout / (1 - rate),
        "divide by 1 - rate, the probability of keeping an entry, not multiply by it.":
            dout * mask * (1 - rate),
    })
    print("dropout_backward: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras
    import tensorflow as tf

    _rng = np.random.default_rng(404)
    for _rate in (0.2, 0.6):
        _X = tf.constant((_rng.normal(size=(8, 9)) + 5).astype("float32"))
        _up = _rng.normal(size=(8, 9)).astype("float32")
        with tf.GradientTape() as _tape:
            _tape.watch(_X)
            _Y = keras.layers.Dropout(_rate, seed=3)(_X, training=True)
            _target = tf.reduce_sum(_Y * _up)
        _expected = _tape.gradient(_target, _X).numpy()
        _keras_mask = _Y.numpy() != 0  # the entries Keras kept
        _got = T.assert_own_work(dropout_backward, _up, _keras_mask, _rate, name="dropout_backward")
        T.check_array(_got, _expected, f"dropout_backward with Keras' mask, rate={_rate} "
                      "(tf.GradientTape)", rtol=1e-5)
    ### END HIDDEN TESTS
    '''),

    # --- 3. early stopping ----------------------------------------------------------------------
    md(r"""
    ## 3. The early-stopping rule (3 points)

    `keras.callbacks.EarlyStopping(monitor="val_loss", patience=p, min_delta=d)` looks at the
    validation loss at the end of every epoch. It keeps the **best** value so far; an epoch
    *improves* when its loss is below `best - min_delta`, and then becomes the new best. A counter
    `wait` starts at 0; every epoch adds 1, and an improvement resets it to 0. When `wait` reaches
    `patience`, training stops after that epoch. (The first epoch always improves: there is no best
    yet.)

    Write `early_stopping(val_losses, patience, min_delta=0.0)` that replays this rule on a list of
    per-epoch validation losses and returns a pair `(stop_epoch, best_epoch)` of 0-based epoch
    indices: `stop_epoch` is the last epoch that runs (`len(val_losses) - 1` when the rule never
    fires), `best_epoch` the epoch of the last improvement — the one whose weights
    `restore_best_weights=True` would put back.
    """, "task_early"),
    solution("early_stopping", r'''
    def early_stopping(val_losses, patience, min_delta=0.0):
        """(stop_epoch, best_epoch) of Keras' EarlyStopping on these validation losses."""
        ### BEGIN SOLUTION
        best, best_epoch, wait = None, 0, 0
        for epoch, value in enumerate(val_losses):
            wait += 1
            if best is None or value < best - abs(min_delta):
                best, best_epoch, wait = value, epoch, 0
                continue
            if wait >= patience and epoch > 0:
                return epoch, best_epoch
        return len(val_losses) - 1, best_epoch
        ### END SOLUTION
    '''),
    tests("test_early_stopping", 3, r'''
    losses = [1.0, 0.8, 0.7, 0.72, 0.71, 0.69, 0.75, 0.8, 0.9]
    T.check_array(T.call(early_stopping, losses, 2), (4, 2), "early_stopping(losses, patience=2)",
                  mistakes={
        "stop as soon as `wait` reaches patience (wait >= patience), not one epoch later.": (8, 5),
        "compare with the best loss so far, not with the previous epoch's.": (7, 5),
        "epochs are counted from 0: return the index of the last epoch that runs.": (5, 3),
    })
    T.check_array(T.call(early_stopping, [0.5, 0.45, 0.44, 0.435, 0.43, 0.6], 2, 0.02), (3, 1),
                  "early_stopping([0.5, 0.45, 0.44, 0.435, 0.43, 0.6], patience=2, min_delta=0.02)",
                  mistakes={
        "an epoch improves only when its loss is below best - min_delta.": (5, 4),
        "stop as soon as `wait` reaches patience (wait >= patience), not one epoch later.": (4, 1),
    })
    T.check_array(T.call(early_stopping, [0.5, 0.49, 0.475, 0.47, 0.3], 3, 0.02), (4, 4),
                  "early_stopping([0.5, 0.49, 0.475, 0.47, 0.3], patience=3, min_delta=0.02)",
                  mistakes={
        "the best loss changes only on an improvement (below best - min_delta): 0.49 does not "
        "become the best after 0.5.": (3, 0),
    })
    T.check_array(T.call(early_stopping, [3.0, 2.0, 1.0], 1), (2, 2),
                  "early_stopping on a loss that always improves", mistakes={
        "when the rule never fires, training runs to the last epoch: stop_epoch = "
        "len(val_losses) - 1.": (3, 2)})
    print("early_stopping: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras


    class _Model:
        stop_training = False


    def _keras_rule(values, patience, min_delta):
        cb = keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=patience,
                                           min_delta=min_delta)
        model = _Model()
        cb.set_model(model)
        cb.on_train_begin()
        for epoch, value in enumerate(values):
            cb.on_epoch_end(epoch, {"val_loss": value})
            if model.stop_training:
                return epoch, cb.best_epoch
        return len(values) - 1, cb.best_epoch


    _rng = np.random.default_rng(405)
    for _case in range(40):
        _n = int(_rng.integers(1, 30))
        _values = np.round(np.cumsum(_rng.normal(-0.02, 0.05, size=_n)) + 1, 2).tolist()
        _patience = int(_rng.integers(0, 6))
        _delta = float(_rng.choice([0.0, 0.01, 0.05]))
        _got = T.assert_own_work(early_stopping, list(_values), _patience, _delta,
                                 name="early_stopping")
        T.check_array(_got, _keras_rule(_values, _patience, _delta),
                      f"early_stopping({_values}, patience={_patience}, min_delta={_delta}) "
                      "(Keras' EarlyStopping)")
    ### END HIDDEN TESTS
    '''),

    # --- 4. clipping ----------------------------------------------------------------------------
    md(r"""
    ## 4. Clipping by the global norm (3 points)

    When gradients explode, one step can throw the weights far away. `keras.optimizers.SGD(...,
    global_clipnorm=c)` guards against it: it computes the **global norm** of *all* the gradients
    together,

    $$ \lVert g \rVert = \sqrt{\textstyle\sum_k \sum_i g_{k,i}^2}\quad\text{over every gradient array } g_k, $$

    and, if it exceeds `c`, multiplies **every** gradient by the same factor $c / \lVert g\rVert$ —
    the direction of the step is kept, only its length shrinks to `c`. Below `c` nothing changes.

    Write `clip_by_global_norm(grads, clip_norm)` taking a list of gradient arrays of any shapes and
    returning the list of clipped arrays (same length, same shapes).
    """, "task_clip"),
    solution("clip_by_global_norm", r'''
    def clip_by_global_norm(grads, clip_norm):
        """Scale all gradients by one factor so that their global L2 norm is at most clip_norm."""
        ### BEGIN SOLUTION
        grads = [np.asarray(g, dtype=float) for g in grads]
        norm = np.sqrt(sum(np.sum(g * g) for g in grads))
        if norm <= clip_norm:
            return grads
        return [g * (clip_norm / norm) for g in grads]
        ### END SOLUTION
    '''),
    tests("test_clip_by_global_norm", 3, r'''
    g1, g2 = np.array([3.0, 4.0]), np.array([[0.0, 12.0]])  # global norm sqrt(9 + 16 + 144) = 13


    def _check_clipped(got, expected, label, mistakes):
        assert isinstance(got, (list, tuple)) and len(got) == len(expected), \
            f"{label} should return a list of {len(expected)} arrays, one per gradient"
        for i, (g, e) in enumerate(zip(got, expected)):
            T.check_array(g, e, f"{label}[{i}]",
                          mistakes={hint: wrong[i] for hint, wrong in mistakes.items()})


    per_tensor = [g1 * min(1, 6.5 / 5), g2 * min(1, 6.5 / 12)]
    _check_clipped(T.call(clip_by_global_norm, [g1, g2], 6.5), [g1 / 2, g2 / 2],
                   "clip_by_global_norm([g1, g2], 6.5)", mistakes={
        "clip by the global norm of all gradients together (13 here), with one factor for every "
        "array — not each array by its own norm (that is clipnorm).": per_tensor,
        "scale by clip_norm / global_norm, so the clipped global norm equals clip_norm.":
            [g1 * 13 / 6.5, g2 * 13 / 6.5],
        "the global norm is the square root of the sum of all squared entries (13 here).":
            [g1 * 6.5 / 169, g2 * 6.5 / 169],
    })
    _check_clipped(T.call(clip_by_global_norm, [g1, g2], 20.0), [g1, g2],
                   "clip_by_global_norm([g1, g2], 20.0)", mistakes={
        "clip only when the global norm exceeds clip_norm: smaller gradients stay unchanged.":
            [g1 * 20 / 13, g2 * 20 / 13],
    })
    print("clip_by_global_norm: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import tensorflow as tf

    _rng = np.random.default_rng(406)
    for _case in range(6):
        _grads = [(float(_rng.choice([0.01, 1.0, 50.0])) * _rng.normal(size=_rng.integers(1, 5, size=2)))
                  .astype("float32") for _ in range(int(_rng.integers(1, 5)))]
        _c = float(_rng.choice([0.5, 1.0, 5.0]))
        _expected, _ = tf.clip_by_global_norm([tf.constant(g) for g in _grads], _c)
        _per_tensor = [g * min(1.0, _c / float(np.sqrt(np.sum(g.astype(float) ** 2)))) for g in _grads]
        _got = T.assert_own_work(clip_by_global_norm, [g.copy() for g in _grads], _c,
                                 name="clip_by_global_norm")
        assert isinstance(_got, (list, tuple)) and len(_got) == len(_grads), \
            "clip_by_global_norm should return a list with one array per gradient"
        for _i, (_g, _e) in enumerate(zip(_got, _expected)):
            T.check_array(_g, _e.numpy(), f"clip_by_global_norm on random gradients, array {_i} "
                          "(tf.clip_by_global_norm)", rtol=1e-5, atol=1e-7,
                          mistakes={"clip by the global norm of all gradients together, not each "
                                    "array by its own norm.": _per_tensor[_i]})
    ### END HIDDEN TESTS
    '''),

    # --- 5. diagnosis ---------------------------------------------------------------------------
    md(r"""
    ## 5. Diagnosis from the learning curves (2 points)

    Chapter 4's checklist reads the curves in this order:

    1. **underfitting** — the model does not even fit its training data: the *final* training loss
       is above `target_loss`, the loss a good model reaches on this task;
    2. **overfitting** — otherwise, if the validation loss has turned back up: its *final* value is
       more than `tolerance` (relative) above its *lowest* value, i.e.
       `val_loss[-1] > (1 + tolerance) * min(val_loss)`;
    3. **good fit** — otherwise.

    Write `diagnose(train_loss, val_loss, target_loss, tolerance=0.1)` returning exactly one of the
    strings `"underfitting"`, `"overfitting"`, `"good fit"`.
    """, "task_diagnose"),
    solution("diagnose", r'''
    def diagnose(train_loss, val_loss, target_loss, tolerance=0.1):
        """'underfitting', 'overfitting' or 'good fit', from per-epoch loss curves."""
        ### BEGIN SOLUTION
        train_loss = np.asarray(train_loss, dtype=float)
        val_loss = np.asarray(val_loss, dtype=float)
        if train_loss[-1] > target_loss:
            return "underfitting"
        if val_loss[-1] > (1 + tolerance) * val_loss.min():
            return "overfitting"
        return "good fit"
        ### END SOLUTION
    '''),
    tests("test_diagnose", 2, r'''
    _labels = ("underfitting", "overfitting", "good fit")
    epochs = np.arange(1, 51)
    cases = {
        "a model too small: both losses stay high": (1.0 + 0.6 * np.exp(-epochs / 5),
                                                      1.05 + 0.6 * np.exp(-epochs / 5), "underfitting"),
        "validation loss turns back up": (0.4 * np.exp(-epochs / 8),
                                          0.3 + 0.4 * np.exp(-epochs / 8) + 0.004 * epochs, "overfitting"),
        "both low and flat at the end": (0.1 + 0.5 * np.exp(-epochs / 6),
                                         0.15 + 0.5 * np.exp(-epochs / 6), "good fit"),
        "a small gap that does not grow is no overfitting": (0.05 + 0.5 * np.exp(-epochs / 6),
                                                              0.2 + 0.5 * np.exp(-epochs / 6), "good fit"),
        "training loss still high, even if validation rises": (0.9 - 0.001 * epochs,
                                                                0.8 + 0.003 * epochs, "underfitting"),
    }
    for name, (train, val, expected) in cases.items():
        got = T.call(diagnose, train, val, 0.3)
        assert isinstance(got, str) and got in _labels, \
            f"diagnose should return one of {_labels}, got {got!r}"
        assert got == expected, f"{name}: diagnose returned {got!r}, expected {expected!r}" + {
            "underfitting": "\n  Hint: check underfitting first: is the final training loss above "
                            "target_loss?",
            "overfitting": "\n  Hint: overfitting means the validation loss ends more than tolerance "
                           "above its minimum: val_loss[-1] > (1 + tolerance) * min(val_loss).",
            "good fit": "\n  Hint: a gap between training and validation loss alone is not "
                        "overfitting; compare the last validation loss with its minimum.",
        }[expected]
    print("diagnose: visible tests passed")
    ### BEGIN HIDDEN TESTS
    _rng = np.random.default_rng(407)


    def _curves(kind, n):
        t = np.arange(1, n + 1)
        tau = _rng.uniform(3, 10)
        noise = lambda: 1 + 0.01 * _rng.normal(size=n)  # noqa: E731
        if kind == "underfitting":
            floor = _rng.uniform(0.5, 1.5)
            return (floor + np.exp(-t / tau)) * noise(), (floor + 0.05 + np.exp(-t / tau)) * noise()
        floor = _rng.uniform(0.02, 0.2)
        train = (floor + np.exp(-t / tau)) * noise()
        if kind == "overfitting":
            turn = _rng.uniform(0.2, 0.5) * n
            val = (floor + 0.1 + np.exp(-t / tau) + _rng.uniform(0.02, 0.05) * np.maximum(t - turn, 0)) * noise()
        else:
            val = (floor + _rng.uniform(0.0, 0.2) + np.exp(-t / tau)) * noise()
        return train, val


    for _kind in ("underfitting", "overfitting", "good fit") * 6:
        _train, _val = _curves(_kind, int(_rng.integers(30, 120)))
        _got = T.assert_own_work(diagnose, list(_train), list(_val), 0.45, name="diagnose")
        assert type(_got) is str and _got == _kind, \
            f"diagnose on generated {_kind} curves returned {_got!r}, expected {_kind!r}"
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ## Before you submit

    Restart the kernel and run all cells (*Kernel → Restart Kernel and Run All Cells…*), then press
    **Validate**. Every test cell should print its "visible tests passed" line.
    """, "outro"),
]

