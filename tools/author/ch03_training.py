"""Exercise 3 — Training: gradients and optimiser steps: writes solutions/ch03_training/training.ipynb.

Edit this file, never the notebook, then run `make solutions && make exercises`.
"""
from __future__ import annotations

from tools.nbtools import md, readonly, solution, tests

NOTEBOOK = "training.ipynb"

CELLS = [
    md(r"""
    # Exercise 3 — Training: gradients and optimiser steps

    This exercise goes with chapter 3 of *Neural Networks in Python*. You will write, with numpy only,
    the pieces that make a network learn:

    1. the **backward pass of a dense layer**: the gradients with respect to its input, kernel and bias,
    2. the gradient of the **mean squared error**,
    3. the gradient of **softmax followed by cross-entropy**, with respect to the logits,
    4. one step of **SGD with momentum**, exactly as Keras computes it,
    5. one step of **Adam**, exactly as Keras computes it.

    Write your code where it says `YOUR CODE HERE` (delete the `raise NotImplementedError()` line).
    Run each test cell after your answer: a failing test tells you what was expected, what came, and
    often what the usual mistake is. Press **Validate** in the toolbar before you submit.

    Your functions are graded by more tests than the ones you see: numerical gradient checks (central
    differences in float64) and comparisons with TensorFlow's automatic differentiation and with
    `keras.optimizers.SGD` and `keras.optimizers.Adam` on random inputs. Calling nnlib's, Keras' or
    TensorFlow's own implementation earns no points: the point is to write it yourself.
    """, "intro"),
    readonly("setup", r'''
    # Run this cell first. It keeps TensorFlow quiet, loads numpy and the course's checks.
    from nnlib import course

    course.setup()

    import numpy as np
    from nnlib import testing as T

    np.set_printoptions(precision=5, suppress=True)


    def softmax(z):
        """Row-wise softmax of a (batch, classes) array, safe for large logits."""
        z = np.asarray(z, dtype=float)
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)


    def _parts(result, names, function):
        """Check that `function` returned one array per name, as a tuple, and return them."""
        if not isinstance(result, (tuple, list)) or len(result) != len(names):
            raise T.GradingError(f"{function} should return a tuple of {len(names)} arrays "
                                 f"({', '.join(names)}), got {type(result).__name__}"
                                 + (f" of length {len(result)}" if isinstance(result, (tuple, list))
                                    else ""))
        return result
    '''),

    # --- 1. The backward pass of a dense layer ----------------------------------------------------
    md(r"""
    ## 1. The backward pass of a dense layer (4 points)

    A dense layer computes $Z = XW + \mathbf b$ for a batch $X$ of shape `(batch, inputs)`, with the
    kernel $W$ of shape `(inputs, units)` (Keras' layout) and the bias $\mathbf b$ of shape `(units,)`.
    Backpropagation hands the layer $\delta = \partial L/\partial Z$, the gradient of the loss with
    respect to its output, shape `(batch, units)`. From it the layer computes

    $$
    \frac{\partial L}{\partial X} = \delta\, W^\top, \qquad
    \frac{\partial L}{\partial W} = X^\top \delta, \qquad
    \frac{\partial L}{\partial \mathbf b} = \sum_{\text{samples}} \delta .
    $$

    Each gradient has the shape of the thing it belongs to. $\delta$ already contains the loss's
    average over the batch, so nothing more is divided by the batch size here.

    Write `dense_backward(X, W, dZ)` returning the tuple `(dX, dW, db)`.
    """, "task_dense"),
    solution("dense_backward", r'''
    def dense_backward(X, W, dZ):
        """Gradients of Z = X @ W + b given dZ = dL/dZ: returns (dX, dW, db)."""
        ### BEGIN SOLUTION
        X = np.asarray(X, dtype=float)
        dZ = np.asarray(dZ, dtype=float)
        dX = dZ @ np.asarray(W, dtype=float).T
        dW = X.T @ dZ
        db = dZ.sum(axis=0)
        return dX, dW, db
        ### END SOLUTION
    '''),
    tests("test_dense_backward", 4, r'''
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])       # 3 samples, 2 inputs
    W = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])         # 2 inputs → 3 units
    dZ = np.array([[0.1, -0.2, 0.3], [0.0, 0.5, -0.1], [-0.3, 0.1, 0.2]])


    def _dense_mistakes(X, W, dZ):
        n = len(X)
        return {
            "kernel": {
                "transposed kernel gradient: dW must have the kernel's shape (inputs, units), so it is "
                "X.T @ dZ, not dZ.T @ X.": lambda: dZ.T @ X,
                "dZ already includes the loss's 1/N: do not divide by the batch size again.":
                    lambda: X.T @ dZ / n,
            },
            "bias": {
                "the bias gradient is summed over the batch: db = dZ.sum(axis=0), one entry per unit "
                "(the same bias serves every sample).": lambda: dZ,
                "sum over the batch (axis 0), do not average: dZ already includes the 1/N.":
                    lambda: dZ.mean(axis=0),
                "sum over the samples (axis 0), not over the units (axis 1).": lambda: dZ.sum(axis=1),
            },
            "input": {
                "the input gradient goes back through the kernel transposed: dX = dZ @ W.T.":
                    lambda: dZ @ W,
            },
        }


    _shape_errors = {"matmul": "check the shapes: X is (batch, inputs), W is (inputs, units), dZ is "
                               "(batch, units). dW = X.T @ dZ, dX = dZ @ W.T."}
    _Xs = np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.5], [0.0, 3.0, 1.0]])   # 3 inputs
    _Ws = np.array([[0.2, -0.4, 1.0], [0.3, 0.6, -0.2], [-1.0, 0.1, 0.5]])   # 3 inputs → 3 units
    for _X, _W, _dZ, _what in [(X, W, dZ, "dense_backward(X, W, dZ)"),
                               (_Xs, _Ws, dZ, "dense_backward with a square kernel")]:
        _dX, _dW, _db = _parts(T.call(dense_backward, _X, _W, _dZ, error_hints=_shape_errors),
                               ("dX", "dW", "db"), "dense_backward")
        _m = _dense_mistakes(_X, _W, _dZ)
        T.check_array(_dW, _X.T @ _dZ, f"dW of {_what}", mistakes=_m["kernel"],
                      shape_hint="dW has the kernel's shape (inputs, units): X.T @ dZ.")
        T.check_array(_db, _dZ.sum(axis=0), f"db of {_what}", mistakes=_m["bias"],
                      shape_hint="db has the bias's shape (units,): sum dZ over the samples.")
        T.check_array(_dX, _dZ @ _W.T, f"dX of {_what}", mistakes=_m["input"],
                      shape_hint="dX has the input's shape (batch, inputs): dZ @ W.T.")
    print("dense_backward: visible tests passed")
    ### BEGIN HIDDEN TESTS
    from nnlib import gradcheck as _gc

    _rng = np.random.default_rng(301)
    for _batch, _n_in, _units in [(1, 1, 1), (5, 3, 4), (8, 6, 2), (4, 4, 4), (16, 2, 7)]:
        _X = _rng.normal(size=(_batch, _n_in))
        _W = _rng.normal(size=(_n_in, _units))
        _b = _rng.normal(size=_units)
        _U = _rng.normal(size=(_batch, _units))          # L = Σ Z ⊙ U, so dL/dZ = U


        def _loss():
            return float(np.sum((_X @ _W + _b) * _U))


        _dX, _dW, _db = _parts(T.assert_own_work(dense_backward, _X, _W, _U, name="dense_backward"),
                               ("dX", "dW", "db"), "dense_backward")
        _what = f"on a ({_batch}, {_n_in}) batch with {_units} units"
        for _got, _param, _name in [(_dW, _W, "dW"), (_db, _b, "db"), (_dX, _X, "dX")]:
            _numeric = _gc.numerical_gradient(_loss, _param)
            T.check_array(_got, _numeric, f"{_name} {_what} (numerical gradient check)",
                          rtol=1e-5, atol=1e-6)
    ### END HIDDEN TESTS
    '''),

    # --- 2. The gradient of the mean squared error ------------------------------------------------
    md(r"""
    ## 2. The gradient of the mean squared error (2 points)

    Keras' mean squared error of a batch of $N$ samples with $K$ outputs each averages over the outputs
    of a sample and then over the samples — that is, over all $NK$ entries:

    $$
    L = \frac{1}{NK} \sum_{i=1}^{N}\sum_{k=1}^{K} (\hat y_{ik} - y_{ik})^2 .
    $$

    Write `mse_gradient(y_true, y_pred)` returning $\partial L / \partial \hat Y$, an array shaped like
    `y_pred`. This is where backpropagation starts for a regression network.
    """, "task_mse"),
    solution("mse_gradient", r'''
    def mse_gradient(y_true, y_pred):
        """dL/dy_pred of L = mean((y_pred - y_true)**2) over all entries."""
        ### BEGIN SOLUTION
        y_true = np.asarray(y_true, dtype=float)
        y_pred = np.asarray(y_pred, dtype=float)
        return 2.0 * (y_pred - y_true) / y_pred.size
        ### END SOLUTION
    '''),
    tests("test_mse_gradient", 2, r'''
    y_true = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
    y_pred = np.array([[1.5, 1.0], [0.5, -1.0], [2.0, 1.5]])
    N, K = y_pred.shape


    def _mse_mistakes(t, p):
        n, k = p.shape
        return {
            "divide by the batch size: the loss is a mean over the N samples as well as the K "
            "outputs, so the gradient is 2(ŷ − y)/(N·K).": lambda: 2 * (p - t) / k,
            "the loss also averages over the K outputs of a sample: divide by N·K, not only N.":
                lambda: 2 * (p - t) / n,
            "the derivative of (ŷ − y)² with respect to ŷ is 2(ŷ − y): check the sign.":
                lambda: 2 * (t - p) / p.size,
            "the factor 2 from the square is missing.": lambda: (p - t) / p.size,
        }


    T.check_array(T.call(mse_gradient, y_true, y_pred), 2 * (y_pred - y_true) / (N * K),
                  "mse_gradient(y_true, y_pred)", mistakes=_mse_mistakes(y_true, y_pred),
                  shape_hint="the gradient has the shape of y_pred.")
    _t1, _p1 = np.array([[1.0], [2.0], [4.0], [0.0]]), np.array([[2.0], [2.0], [1.0], [0.5]])
    T.check_array(T.call(mse_gradient, _t1, _p1), 2 * (_p1 - _t1) / 4, "mse_gradient with one output",
                  mistakes=_mse_mistakes(_t1, _p1))
    print("mse_gradient: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(302)
    for _shape in [(1, 1), (7, 1), (5, 3), (12, 4)]:
        _t = _rng.normal(size=_shape).astype("float32")
        _p = _rng.normal(size=_shape).astype("float32")
        _expected = T.tensorflow_derivative(lambda p: keras.losses.MeanSquaredError()(_t, p), _p)
        _got = T.assert_own_work(mse_gradient, _t, _p, name="mse_gradient")
        T.check_array(_got, _expected, f"mse_gradient on a {_shape} batch (against tf.GradientTape)",
                      rtol=1e-4, atol=1e-7)
    ### END HIDDEN TESTS
    '''),

    # --- 3. Softmax with cross-entropy ------------------------------------------------------------
    md(r"""
    ## 3. Softmax with cross-entropy (3 points)

    A classifier's output layer turns logits $Z$ (shape `(batch, classes)`) into probabilities
    $P = \operatorname{softmax}(Z)$ row by row, and the sparse categorical cross-entropy of integer
    labels $y_i$ averages $-\log P_{i, y_i}$ over the $N$ samples. Differentiating softmax and
    cross-entropy together gives a famously simple result:

    $$
    \frac{\partial L}{\partial Z} = \frac{1}{N}\,\big(P - Y\big),
    $$

    where $Y$ is the one-hot encoding of the labels ($Y_{i, y_i} = 1$, every other entry 0).

    Write `softmax_crossentropy_gradient(logits, labels)` returning $\partial L/\partial Z$, shaped like
    `logits`. The `softmax` function from the setup cell is yours to use.
    """, "task_softmax"),
    solution("softmax_crossentropy_gradient", r'''
    def softmax_crossentropy_gradient(logits, labels):
        """dL/dlogits of the mean sparse categorical cross-entropy of softmax(logits)."""
        ### BEGIN SOLUTION
        logits = np.asarray(logits, dtype=float)
        labels = np.asarray(labels).astype(int)
        n = len(logits)
        grad = softmax(logits)
        grad[np.arange(n), labels] -= 1.0
        return grad / n
        ### END SOLUTION
    '''),
    tests("test_softmax_crossentropy_gradient", 3, r'''
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, 0.0, 0.0], [1.0, -2.0, 3.0]])
    labels = np.array([0, 1, 2, 0])
    P = softmax(logits)
    Y = np.eye(3)[labels]
    N = len(logits)


    def _ce_mistakes(z, labels):
        p, y, n = softmax(z), np.eye(z.shape[1])[labels], len(z)
        return {
            "divide by the batch size N: the loss is the mean over the samples.": lambda: p - y,
            "subtract the one-hot targets: the gradient is (P − Y)/N.": lambda: p / n,
            "the sign is reversed: the gradient is (P − Y)/N, not (Y − P)/N.": lambda: (y - p) / n,
            "the gradient with respect to the logits is (P − Y)/N; −Y/P is the gradient with "
            "respect to the probabilities.": lambda: -y / p / n,
        }


    T.check_array(T.call(softmax_crossentropy_gradient, logits, labels), (P - Y) / N,
                  "softmax_crossentropy_gradient(logits, labels)", mistakes=_ce_mistakes(logits, labels),
                  shape_hint="the gradient has the shape of the logits, (batch, classes).")
    _big = np.array([[1000.0, 0.0], [0.0, -1000.0]])
    T.check_array(T.call(softmax_crossentropy_gradient, _big, np.array([1, 0])),
                  np.array([[0.5, -0.5], [0.0, 0.0]]), "the gradient for logits of ±1000 (labels 1, 0)",
                  mistakes=_ce_mistakes(_big, np.array([1, 0])))
    print("softmax_crossentropy_gradient: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(303)
    _ce_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    for _batch, _classes, _scale in [(1, 2, 1.0), (6, 3, 1.0), (10, 10, 3.0), (5, 4, 30.0)]:
        _z = (_scale * _rng.normal(size=(_batch, _classes))).astype("float32")
        _y = _rng.integers(0, _classes, size=_batch)
        _expected = T.tensorflow_derivative(lambda z: _ce_loss(_y, z), _z)
        _got = T.assert_own_work(softmax_crossentropy_gradient, _z, _y,
                                 name="softmax_crossentropy_gradient")
        T.check_array(_got, _expected, f"the gradient for a ({_batch}, {_classes}) batch of logits "
                      "(against tf.GradientTape)", rtol=1e-4, atol=1e-6)
    ### END HIDDEN TESTS
    '''),

    # --- 4. One step of SGD with momentum ---------------------------------------------------------
    md(r"""
    ## 4. One step of SGD with momentum (2 points)

    Keras' `SGD(learning_rate=η, momentum=μ)` keeps a *velocity* $\mathbf v$ per weight, starting at
    zero. Each step, with the gradient $\mathbf g$,

    $$
    \mathbf v \leftarrow \mu\,\mathbf v - \eta\,\mathbf g, \qquad \mathbf w \leftarrow \mathbf w + \mathbf v .
    $$

    Write `momentum_step(w, grad, velocity, learning_rate=0.01, momentum=0.9)` returning the tuple
    `(new_w, new_velocity)`. Do not change the arrays you are given; return new ones.
    """, "task_momentum"),
    solution("momentum_step", r'''
    def momentum_step(w, grad, velocity, learning_rate=0.01, momentum=0.9):
        """One step of Keras' SGD with momentum: returns (new_w, new_velocity)."""
        ### BEGIN SOLUTION
        velocity = momentum * np.asarray(velocity, dtype=float) - learning_rate * np.asarray(grad, dtype=float)
        return np.asarray(w, dtype=float) + velocity, velocity
        ### END SOLUTION
    '''),
    tests("test_momentum_step", 2, r'''
    w = np.array([1.0, -2.0, 0.5])
    g = np.array([0.5, 1.0, -2.0])
    v = np.array([0.1, -0.1, 0.0])


    def _momentum_mistakes(w, g, v, lr, mu):
        return {
            "momentum with the wrong sign: the velocity is μv − ηg (it points downhill), and w ← w + v.":
                lambda: w + (mu * v + lr * g),
            "the velocity must remember the previous steps: v ← μv − ηg, not just −ηg.":
                lambda: w - lr * g,
            "multiply the gradient by the learning rate: v ← μv − ηg.": lambda: w + mu * v - g,
            "update the velocity first, then add the new velocity: w ← w + (μv − ηg).":
                lambda: w + v,
        }


    _given = (w.copy(), g.copy(), v.copy())
    _new_w, _new_v = _parts(T.call(momentum_step, *_given, 0.1, 0.9), ("new_w", "new_velocity"),
                            "momentum_step")
    if not (T.is_close(_given[0], w) and T.is_close(_given[2], v)):
        raise T.GradingError("momentum_step changed the arrays it was given: return new arrays "
                             "instead of updating w or velocity in place.")
    T.check_array(_new_v, 0.9 * v - 0.1 * g, "new_velocity of momentum_step(w, g, v, 0.1, 0.9)",
                  mistakes={"momentum with the wrong sign: v ← μv − ηg.": lambda: 0.9 * v + 0.1 * g})
    T.check_array(_new_w, w + 0.9 * v - 0.1 * g, "new_w of momentum_step(w, g, v, 0.1, 0.9)",
                  mistakes=_momentum_mistakes(w, g, v, 0.1, 0.9))
    print("momentum_step: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(304)
    for _shape, _lr, _mu in [((3,), 0.1, 0.9), ((4, 2), 0.01, 0.5), ((2, 5), 0.05, 0.99)]:
        _w0 = _rng.normal(size=_shape).astype("float32")
        _grads = [_rng.normal(size=_shape).astype("float32") for _step in range(5)]
        _keras_w = T.keras_optimizer_steps(keras.optimizers.SGD(learning_rate=_lr, momentum=_mu),
                                           _w0, _grads)
        _w, _v = _w0.astype(float), np.zeros(_shape)
        for _step, (_g, _expected) in enumerate(zip(_grads, _keras_w)):
            _w, _v = _parts(T.assert_own_work(momentum_step, _w, _g.astype(float), _v, _lr, _mu,
                                              name="momentum_step"), ("new_w", "new_velocity"),
                            "momentum_step")
            T.check_array(_w, _expected, f"w after {_step + 1} steps of SGD(learning_rate={_lr}, "
                          f"momentum={_mu}) (against keras.optimizers.SGD)", rtol=1e-5, atol=1e-6)
    ### END HIDDEN TESTS
    '''),

    # --- 5. One step of Adam ----------------------------------------------------------------------
    md(r"""
    ## 5. One step of Adam (3 points)

    Keras' `Adam(learning_rate=η, beta_1=β₁, beta_2=β₂, epsilon=ε)` keeps two running averages per
    weight, both starting at zero: $\mathbf m$ of the gradients and $\mathbf v$ of their squares. Step
    number $t$ (counting from $t = 1$) does

    $$
    \mathbf m \leftarrow \mathbf m + (1-\beta_1)(\mathbf g - \mathbf m), \qquad
    \mathbf v \leftarrow \mathbf v + (1-\beta_2)(\mathbf g^2 - \mathbf v),
    $$

    $$
    \alpha_t = \eta\,\frac{\sqrt{1-\beta_2^{\,t}}}{1-\beta_1^{\,t}}, \qquad
    \mathbf w \leftarrow \mathbf w - \alpha_t\,\frac{\mathbf m}{\sqrt{\mathbf v} + \epsilon} .
    $$

    The factor in $\alpha_t$ is the **bias correction**: $\mathbf m$ and $\mathbf v$ start at zero, so
    in the first steps they underestimate the averages; dividing by $1-\beta^t$ undoes that.

    Write `adam_step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)`
    returning the tuple `(new_w, new_m, new_v)`. Do not change the arrays you are given.
    """, "task_adam"),
    solution("adam_step", r'''
    def adam_step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        """Step t (1, 2, ...) of Keras' Adam: returns (new_w, new_m, new_v)."""
        ### BEGIN SOLUTION
        grad = np.asarray(grad, dtype=float)
        m = np.asarray(m, dtype=float) + (1 - beta_1) * (grad - m)
        v = np.asarray(v, dtype=float) + (1 - beta_2) * (grad**2 - v)
        alpha = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        return np.asarray(w, dtype=float) - alpha * m / (np.sqrt(v) + epsilon), m, v
        ### END SOLUTION
    '''),
    tests("test_adam_step", 3, r'''
    def _adam_reference(w, g, m, v, t, lr=0.001, b1=0.9, b2=0.999, eps=1e-7, corrected=True):
        m = m + (1 - b1) * (g - m)
        v = v + (1 - b2) * (g**2 - v)
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t) if corrected else lr
        return w - alpha * m / (np.sqrt(v) + eps), m, v


    def _adam_mistakes(w, g, m, v, t, lr):
        return {
            "Adam without bias correction: the step size is α_t = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ), not η.":
                lambda: _adam_reference(w, g, m, v, t, lr, corrected=False)[0],
            "t counts the steps from 1: the first step uses β₁¹ and β₂¹ in the bias correction.":
                lambda: _adam_reference(w, g, m, v, t + 1, lr)[0],
            "subtract the step: w ← w − α_t·m/(√v + ε).":
                lambda: 2 * w - _adam_reference(w, g, m, v, t, lr)[0],
            "this is the paper's form, m̂/(√v̂ + ε); Keras adds epsilon to √v *before* the bias "
            "correction: w ← w − α_t·m/(√v + ε). It matters for tiny gradients.":
                lambda: w - lr * (m + 0.1 * (g - m)) / (1 - 0.9**t)
                / (np.sqrt((v + 0.001 * (g**2 - v)) / (1 - 0.999**t)) + 1e-7),
        }


    w = np.array([1.0, -2.0, 0.5, 3.0])
    g = np.array([0.5, -4.0, 0.0, 1e-3])
    zeros = np.zeros(4)
    _given = (w.copy(), g.copy(), zeros.copy(), zeros.copy())
    _new_w, _new_m, _new_v = _parts(T.call(adam_step, *_given, 1, 0.1),
                                    ("new_w", "new_m", "new_v"), "adam_step")
    if not (T.is_close(_given[0], w) and T.is_close(_given[2], zeros) and T.is_close(_given[3], zeros)):
        raise T.GradingError("adam_step changed the arrays it was given: return new arrays instead "
                             "of updating w, m or v in place.")
    _ref = _adam_reference(w, g, zeros, zeros, 1, 0.1)
    T.check_array(_new_m, _ref[1], "new_m of the first Adam step",
                  mistakes={"m ← m + (1 − β₁)(g − m): with m = 0 that is 0.1·g.": lambda: g})
    T.check_array(_new_v, _ref[2], "new_v of the first Adam step",
                  mistakes={"v averages the squared gradients: v ← v + (1 − β₂)(g² − v).":
                            lambda: 0.001 * g})
    T.check_array(_new_w, _ref[0], "new_w of the first Adam step, adam_step(w, g, 0, 0, t=1, 0.1)",
                  mistakes=_adam_mistakes(w, g, zeros, zeros, 1, 0.1))
    # a later step, from running averages that are not zero
    _m, _v = np.array([0.2, -0.1, 0.05, 0.0]), np.array([0.04, 0.5, 0.01, 1e-4])
    _new = _parts(T.call(adam_step, w.copy(), g.copy(), _m.copy(), _v.copy(), 3, 0.01),
                  ("new_w", "new_m", "new_v"), "adam_step")
    T.check_array(_new[0], _adam_reference(w, g, _m, _v, 3, 0.01)[0],
                  "new_w of adam_step(w, g, m, v, t=3, 0.01)", mistakes=_adam_mistakes(w, g, _m, _v, 3, 0.01))
    print("adam_step: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(305)
    for _shape, _kw in [((3,), {}), ((4, 2), {"learning_rate": 0.01}),
                        ((2, 3), {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-4})]:
        _w0 = _rng.normal(size=_shape).astype("float32")
        _grads = [_rng.normal(scale=2.0, size=_shape).astype("float32") for _t in range(1, 7)]
        _keras_w = T.keras_optimizer_steps(keras.optimizers.Adam(**_kw), _w0, _grads)
        _w, _m, _v = _w0.astype(float), np.zeros(_shape), np.zeros(_shape)
        for _t, (_g, _expected) in enumerate(zip(_grads, _keras_w), start=1):
            _w, _m, _v = _parts(T.assert_own_work(adam_step, _w, _g.astype(float), _m, _v, _t,
                                                  name="adam_step", **_kw),
                                ("new_w", "new_m", "new_v"), "adam_step")
            T.check_array(_w, _expected, f"w after {_t} steps of Adam({_kw}) "
                          "(against keras.optimizers.Adam)", rtol=1e-5, atol=1e-6)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ## Before you submit

    Restart the kernel and run all cells (*Kernel → Restart Kernel and Run All Cells…*), then press
    **Validate**. Every test cell should print its "visible tests passed" line.
    """, "outro"),
]
