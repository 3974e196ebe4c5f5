"""Exercise 2 — Activation functions: writes solutions/ch02_activations/activations.ipynb.

Edit this file, never the notebook, then run `make solutions && make exercises`.
"""
from __future__ import annotations

from tools.nbtools import md, readonly, solution, tests

NOTEBOOK = "activations.ipynb"

CELLS = [
    md(r"""
    # Exercise 2 — Activation functions

    This exercise goes with chapter 2 of *Neural Networks in Python*. You will write, with numpy only,
    activation functions and the derivatives that backpropagation multiplies together:

    1. the derivative of **ReLU**,
    2. the derivative of **tanh**, and the derivative of the **sigmoid** computed from its *output*,
    3. **leaky ReLU** and its derivative,
    4. **ELU** and its derivative,
    5. a numerically **stable softmax** along any axis.

    Every function takes a numpy array of any shape and works element by element (softmax works along
    one axis), without Python loops. A derivative function returns $f'(x)$ for every entry of `x`, an
    array of the same shape.

    **At a kink** (ReLU and leaky ReLU at $x = 0$, ELU's joint at 0) the derivative is not defined; use
    the value of the **left piece** ($x \le 0$), as TensorFlow does: `relu'(0) = 0`.

    Write your code where it says `YOUR CODE HERE` (delete the `raise NotImplementedError()` line). Run
    each test cell after your answer: a failing test tells you what was expected, what came, and often
    what the usual mistake is. Press **Validate** in the toolbar before you submit.

    Your functions are graded by more tests than the ones you see: random shapes, batched axes and
    extreme inputs such as $\pm 10^4$, compared with `keras.activations` and with derivatives
    computed by TensorFlow. Calling nnlib's, Keras' or TensorFlow's own implementation earns no points.
    """, "intro"),
    readonly("setup", r'''
    # Run this cell first. It keeps TensorFlow quiet, loads numpy and the course's checks.
    from nnlib import course

    course.setup()

    import math

    import numpy as np
    from nnlib import testing as T

    np.set_printoptions(precision=4, suppress=True)


    def sigmoid(x):
        """The logistic sigmoid 1 / (1 + e^-x), without overflow for any |x| (see chapter 2)."""
        x = np.asarray(x, dtype=float)
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


    def numerical_derivative(f, x, h=1e-6):
        """(f(x + h) - f(x - h)) / 2h for every entry of x: use it to check your derivatives."""
        x = np.asarray(x, dtype=float)
        return (f(x + h) - f(x - h)) / (2 * h)
    '''),

    # --- 1. The derivative of ReLU ----------------------------------------------------------------
    md(r"""
    ## 1. The derivative of ReLU (2 points)

    $$\operatorname{relu}(x) = \max(x, 0), \qquad
    \operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}$$

    Write `relu_derivative(x)`. Remember the rule for the kink: at $x = 0$ the derivative is 0.
    """, "task_relu"),
    solution("relu_derivative", r'''
    def relu_derivative(x):
        """1 where x > 0, else 0 (also at x = 0), with the shape of x."""
        ### BEGIN SOLUTION
        x = np.asarray(x, dtype=float)
        return (x > 0).astype(float)
        ### END SOLUTION
    '''),
    tests("test_relu_derivative", 2, r'''
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    _relu_mistakes = {
        "at x = 0 the derivative is taken as 0, the left piece's slope (TensorFlow's convention): "
        "test x > 0, not x >= 0.": [0.0, 0.0, 1.0, 1.0, 1.0],
        "below zero ReLU is flat, so its derivative there is 0, not -1 (np.sign gives -1).":
            [-1.0, -1.0, 0.0, 1.0, 1.0],
        "that is ReLU itself, max(x, 0). The derivative is its slope: 1 for x > 0, else 0.":
            [0.0, 0.0, 0.0, 0.5, 3.0],
    }
    T.check_array(T.call(relu_derivative, x), [0.0, 0.0, 0.0, 1.0, 1.0],
                  "relu_derivative([-2, -0.5, 0, 0.5, 3])", mistakes=_relu_mistakes,
                  shape_hint="return one derivative per entry of x, an array of the same shape.")
    X = np.array([[-1.0, 2.0], [0.0, -3.0], [4.0, 0.0]])
    T.check_array(T.call(relu_derivative, X), [[0.0, 1.0], [0.0, 0.0], [1.0, 0.0]],
                  "relu_derivative on a (3, 2) batch",
                  shape_hint="return one derivative per entry of x, an array of the same shape.")
    print("relu_derivative: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(201)
    for _shape, _scale in [((7,), 1.0), ((4, 5), 3.0), ((2, 3, 4), 1e4), ((1,), 1e-3)]:
        _x = (_scale * _rng.normal(size=_shape)).astype("float32")
        _x.flat[0] = 0.0
        _got = T.assert_own_work(relu_derivative, _x, name="relu_derivative")
        T.check_array(_got, T.tensorflow_derivative(keras.activations.relu, _x),
                      f"relu_derivative on shape {_shape}, magnitude {_scale:g}")
    ### END HIDDEN TESTS
    '''),

    # --- 2. Derivatives of tanh and of the sigmoid ------------------------------------------------
    md(r"""
    ## 2. Derivatives of tanh and of the sigmoid (2 + 2 points)

    Both derivatives are most easily written with the function's own **output**. For tanh,

    $$\tanh'(x) = 1 - \tanh(x)^2 .$$

    Write `tanh_derivative(x)`, which receives the input `x` (you may use `np.tanh`).

    For the sigmoid $y = \sigma(x)$,

    $$\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr) = y\,(1 - y).$$

    Backpropagation has the output $y$ at hand from the forward pass, so there is no need to compute
    $\sigma$ again. Write `sigmoid_derivative_from_output(y)`, which receives the **output** `y` of a
    sigmoid (numbers between 0 and 1) and returns $\sigma'(x)$.
    """, "task_tanh_sigmoid"),
    solution("tanh_derivative", r'''
    def tanh_derivative(x):
        """tanh'(x) = 1 - tanh(x)**2 for every entry of x."""
        ### BEGIN SOLUTION
        t = np.tanh(np.asarray(x, dtype=float))
        return 1.0 - t * t
        ### END SOLUTION
    '''),
    tests("test_tanh_derivative", 2, r'''
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    t = np.array([math.tanh(v) for v in x])
    T.check_array(T.call(tanh_derivative, x), 1 - t**2, "tanh_derivative([-2, -0.5, 0, 0.5, 2])", mistakes={
        "1 - x**2 uses the input. The derivative of tanh is 1 - tanh(x)**2: square the output "
        "tanh(x), not x.": 1 - x**2,
        "(1 - tanh(x))**2 squares the difference; the derivative is 1 - tanh(x)**2.": (1 - t)**2,
        "y * (1 - y) is the sigmoid's rule. For tanh it is 1 - y**2 with y = tanh(x).": t * (1 - t),
        "that is tanh itself; the derivative is 1 - tanh(x)**2.": t,
    }, shape_hint="return one derivative per entry of x, an array of the same shape.")
    print("tanh_derivative: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(202)
    for _shape, _scale in [((6,), 1.0), ((3, 4), 4.0), ((2, 2, 5), 1e4)]:
        _x = (_scale * _rng.normal(size=_shape)).astype("float32")
        _got = T.assert_own_work(tanh_derivative, _x, name="tanh_derivative")
        T.check_array(_got, T.tensorflow_derivative(keras.activations.tanh, _x),
                      f"tanh_derivative on shape {_shape}, magnitude {_scale:g}", rtol=1e-5, atol=1e-6,
                      mistakes={"1 - x**2 uses the input; use 1 - tanh(x)**2.": lambda: 1 - _x.astype(float)**2})
    ### END HIDDEN TESTS
    '''),
    solution("sigmoid_derivative", r'''
    def sigmoid_derivative_from_output(y):
        """sigma'(x) from the sigmoid's output y = sigma(x): y * (1 - y)."""
        ### BEGIN SOLUTION
        y = np.asarray(y, dtype=float)
        return y * (1.0 - y)
        ### END SOLUTION
    '''),
    tests("test_sigmoid_derivative", 2, r'''
    x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    y = sigmoid(x)                                   # what the forward pass kept
    expected = numerical_derivative(sigmoid, x)      # the slope of the sigmoid at x
    s_of_y = sigmoid(y)
    T.check_array(T.call(sigmoid_derivative_from_output, y), expected,
                  "sigmoid_derivative_from_output(sigmoid(x))", rtol=1e-6, atol=1e-8, mistakes={
        "y is already the sigmoid's output: return y * (1 - y). Applying the sigmoid to y again "
        "computes the slope at sigmoid(x) instead of at x.": s_of_y * (1 - s_of_y),
        "the derivative is y * (1 - y), with a minus sign: sigma(x) * (1 - sigma(x)).": y * (1 + y),
        "1 - y**2 is tanh's derivative; the sigmoid's is y * (1 - y).": 1 - y**2,
        "that is y itself; the derivative is y * (1 - y).": y,
    }, shape_hint="return one derivative per entry of y, an array of the same shape.")
    print("sigmoid_derivative_from_output: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(203)
    for _shape, _scale in [((6,), 1.0), ((4, 3), 5.0), ((2, 3, 2), 1e4)]:
        _x = (_scale * _rng.normal(size=_shape)).astype("float32")
        _y = np.asarray(keras.activations.sigmoid(_x))
        _got = T.assert_own_work(sigmoid_derivative_from_output, _y, name="sigmoid_derivative_from_output")
        T.check_array(_got, T.tensorflow_derivative(keras.activations.sigmoid, _x),
                      f"sigmoid_derivative_from_output on shape {_shape}, magnitude {_scale:g}")
    ### END HIDDEN TESTS
    '''),

    # --- 3. Leaky ReLU ----------------------------------------------------------------------------
    md(r"""
    ## 3. Leaky ReLU (3 points)

    ReLU's derivative is 0 for every negative input, so a unit whose inputs are all negative stops
    learning ("dying ReLU"). Leaky ReLU keeps a small slope there:

    $$\operatorname{leaky\_relu}(x) = \begin{cases} x & x > 0 \\ s\,x & x \le 0 \end{cases}$$

    where the slope $s$ is the argument `negative_slope` (0.2 by default, as in Keras).

    Write `leaky_relu(x, negative_slope=0.2)` and `leaky_relu_derivative(x, negative_slope=0.2)`. At
    $x = 0$ the derivative is the left piece's slope, `negative_slope`.
    """, "task_leaky"),
    solution("leaky_relu", r'''
    def leaky_relu(x, negative_slope=0.2):
        """x where x > 0, negative_slope * x elsewhere."""
        ### BEGIN SOLUTION
        x = np.asarray(x, dtype=float)
        return np.where(x > 0, x, negative_slope * x)
        ### END SOLUTION


    def leaky_relu_derivative(x, negative_slope=0.2):
        """1 where x > 0, negative_slope elsewhere (also at x = 0)."""
        ### BEGIN SOLUTION
        x = np.asarray(x, dtype=float)
        return np.where(x > 0, 1.0, negative_slope)
        ### END SOLUTION
    '''),
    tests("test_leaky_relu", 3, r'''
    x = np.array([-10.0, -1.0, 0.0, 2.0])
    T.check_array(T.call(leaky_relu, x), [-2.0, -0.2, 0.0, 2.0], "leaky_relu([-10, -1, 0, 2])", mistakes={
        "for x <= 0 leaky ReLU is negative_slope * x, a line with a small slope, not 0 (that is ReLU).":
            [0.0, 0.0, 0.0, 2.0],
        "the slope multiplies the negative inputs only; positive inputs pass unchanged.":
            [-2.0, -0.2, 0.0, 0.4],
        "use the negative_slope argument (default 0.2), not a fixed 0.01.": [-0.1, -0.01, 0.0, 2.0],
    }, shape_hint="return an array of the same shape as x.")
    T.check_array(T.call(leaky_relu, x, negative_slope=0.5), [-5.0, -0.5, 0.0, 2.0],
                  "leaky_relu(x, negative_slope=0.5)", mistakes={
        "use the negative_slope argument instead of a fixed slope.": [-2.0, -0.2, 0.0, 2.0]})
    T.check_array(T.call(leaky_relu_derivative, x), [0.2, 0.2, 0.2, 1.0],
                  "leaky_relu_derivative([-10, -1, 0, 2])", mistakes={
        "below zero the slope is negative_slope, not 0 (0 is ReLU's derivative).": [0.0, 0.0, 0.0, 1.0],
        "at x = 0 take the left piece's slope, negative_slope (TensorFlow's convention).":
            [0.2, 0.2, 1.0, 1.0],
        "that is leaky_relu itself; its derivative is the slope: 1 for x > 0, negative_slope "
        "otherwise.": [-2.0, -0.2, 0.0, 2.0],
    }, shape_hint="return one derivative per entry of x (np.where(x > 0, 1.0, negative_slope) "
                  "has the shape of x).")
    T.check_array(T.call(leaky_relu_derivative, x, 0.05), [0.05, 0.05, 0.05, 1.0],
                  "leaky_relu_derivative(x, negative_slope=0.05)", mistakes={
        "use the negative_slope argument instead of a fixed slope.": [0.2, 0.2, 0.2, 1.0]})
    print("leaky_relu: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import functools
    import keras

    _rng = np.random.default_rng(204)
    for _shape, _scale, _slope in [((7,), 1.0, 0.2), ((3, 5), 10.0, 0.01), ((2, 3, 4), 1e4, 0.3)]:
        _x = (_scale * _rng.normal(size=_shape)).astype("float32")
        _x.flat[0] = 0.0
        _fn = functools.partial(keras.activations.leaky_relu, negative_slope=_slope)
        _got = T.assert_own_work(leaky_relu, _x, _slope, name="leaky_relu")
        T.check_array(_got, np.asarray(_fn(_x)), f"leaky_relu on shape {_shape}, slope {_slope}",
                      atol=1e-6 * _scale)
        _got = T.assert_own_work(leaky_relu_derivative, _x, _slope, name="leaky_relu_derivative")
        T.check_array(_got, T.tensorflow_derivative(_fn, _x),
                      f"leaky_relu_derivative on shape {_shape}, slope {_slope}")
    _got = T.assert_own_work(leaky_relu, -np.ones((2, 2), dtype="float32"), name="leaky_relu")
    T.check_array(_got, np.full((2, 2), -0.2), "leaky_relu with the default slope 0.2")
    ### END HIDDEN TESTS
    '''),

    # --- 4. ELU -----------------------------------------------------------------------------------
    md(r"""
    ## 4. ELU (3 points)

    The exponential linear unit is smooth for negative inputs and levels off at $-\alpha$:

    $$\operatorname{elu}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}
    \qquad
    \operatorname{elu}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}$$

    Write `elu(x, alpha=1.0)` and `elu_derivative(x, alpha=1.0)`. (`np.where` computes both branches
    for every entry; that is fine here, but see chapter 2 for why $e^{x}$ of a large positive $x$ is
    worth avoiding.)
    """, "task_elu"),
    solution("elu", r'''
    def elu(x, alpha=1.0):
        """x where x > 0, alpha * (exp(x) - 1) elsewhere."""
        ### BEGIN SOLUTION
        x = np.asarray(x, dtype=float)
        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
        ### END SOLUTION


    def elu_derivative(x, alpha=1.0):
        """1 where x > 0, alpha * exp(x) elsewhere (also at x = 0)."""
        ### BEGIN SOLUTION
        x = np.asarray(x, dtype=float)
        return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))
        ### END SOLUTION
    '''),
    tests("test_elu", 3, r'''
    x = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    e = np.array([math.exp(v) for v in x])
    pos = x > 0
    T.check_array(T.call(elu, x), np.where(pos, x, e - 1), "elu([-3, -1, 0, 0.5, 2])", mistakes={
        "wrong branch: ELU is x itself for x > 0 and alpha * (exp(x) - 1) for x <= 0.":
            np.where(pos, e - 1, x),
        "alpha * (exp(x) - 1): without the - 1, ELU jumps at 0.": np.where(pos, x, e),
        "for x > 0 ELU is x (like ReLU); for x <= 0 it is alpha * (exp(x) - 1).": e - 1,
    }, shape_hint="return an array of the same shape as x.")
    T.check_array(T.call(elu, x, alpha=0.5), np.where(pos, x, 0.5 * (e - 1)), "elu(x, alpha=0.5)",
                  mistakes={
        "multiply the negative branch by alpha: alpha * (exp(x) - 1).": np.where(pos, x, e - 1),
        "alpha scales only the negative branch; positive inputs pass unchanged.":
            np.where(pos, 0.5 * x, 0.5 * (e - 1)),
        "wrong branch: ELU is x itself for x > 0 and alpha * (exp(x) - 1) for x <= 0.":
            np.where(pos, 0.5 * (e - 1), x),
    })
    T.check_array(T.call(elu_derivative, x, alpha=0.5), np.where(pos, 1.0, 0.5 * e),
                  "elu_derivative(x, alpha=0.5)", mistakes={
        "below zero the derivative is alpha * exp(x): keep the factor alpha.": np.where(pos, 1.0, e),
        "that is elu itself; the derivative of alpha * (exp(x) - 1) is alpha * exp(x).":
            np.where(pos, x, 0.5 * (e - 1)),
        "wrong branch: the derivative is 1 for x > 0 and alpha * exp(x) for x <= 0.":
            np.where(pos, 0.5 * e, 1.0),
        "at x = 0 take the left piece: alpha * exp(0) = alpha.":
            np.where(x >= 0, 1.0, 0.5 * e),
    }, shape_hint="return one derivative per entry of x.")
    print("elu: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import functools
    import keras

    _rng = np.random.default_rng(205)
    for _shape, _scale, _alpha in [((7,), 1.0, 1.0), ((4, 3), 5.0, 0.5), ((2, 3, 4), 1e4, 1.7)]:
        _x = (_scale * _rng.normal(size=_shape)).astype("float32")
        _x.flat[0] = 0.0
        _fn = functools.partial(keras.activations.elu, alpha=_alpha)
        _got = T.assert_own_work(elu, _x, _alpha, name="elu")
        T.check_array(_got, np.asarray(_fn(_x)), f"elu on shape {_shape}, alpha {_alpha}",
                      atol=1e-6 * max(1.0, _alpha))
        _got = T.assert_own_work(elu_derivative, _x, _alpha, name="elu_derivative")
        T.check_array(_got, T.tensorflow_derivative(_fn, _x), f"elu_derivative on shape {_shape}, alpha {_alpha}")
    ### END HIDDEN TESTS
    '''),

    # --- 5. A stable softmax along any axis -------------------------------------------------------
    md(r"""
    ## 5. A stable softmax along any axis (4 points)

    Softmax turns a vector of scores $z$ into probabilities:
    $\operatorname{softmax}(z)_i = e^{z_i} / \sum_j e^{z_j}$. For a batch, `axis` says which axis
    holds the scores of one sample: with the default `axis=-1` every row of a `(batch, classes)`
    matrix sums to 1; with `axis=0` every column does. For a 3-D array, `axis=1` makes every
    `x[i, :, k]` sum to 1.

    Two things to get right:

    - **the axis**: sum over `axis` only, and keep that axis (`keepdims=True`) so the division
      broadcasts back over it;
    - **overflow**: $e^{1000}$ is `inf` in floating point. Since
      $\operatorname{softmax}(z) = \operatorname{softmax}(z - c)$ for any constant $c$, subtract the
      **maximum along the axis** first: the largest exponent is then $e^0 = 1$.

    Write `softmax(x, axis=-1)`.
    """, "task_softmax"),
    solution("softmax", r'''
    def softmax(x, axis=-1):
        """exp(x) / sum(exp(x)) along axis, computed without overflow."""
        ### BEGIN SOLUTION
        x = np.asarray(x, dtype=float)
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)
        ### END SOLUTION
    '''),
    tests("test_softmax", 4, r'''
    z = np.array([[1.0, 2.0, 3.0],
                  [1.0, 1.0, 1.0]])
    _e = [[math.exp(v) for v in row] for row in z]
    rows = np.array([[v / sum(r) for v in r] for r in _e])                 # every row sums to 1
    _c = [sum(col) for col in zip(*_e)]
    cols = np.array([[v / _c[j] for j, v in enumerate(r)] for r in _e])   # every column sums to 1
    _overflow = ("exp of a large number overflows to inf (inf / inf = NaN), and exp of a very negative "
                 "one underflows to 0 (0 / 0 = NaN). Subtract the maximum along the axis first, "
                 "x - np.max(x, axis=axis, keepdims=True): then every slice's largest exponent is "
                 "e^0 = 1. The maximum of the whole array is not enough.")
    _keepdims = {"broadcast": "sum with keepdims=True so that the sums broadcast back over the axis.",
                 "axis": "use the axis argument in np.max and np.sum."}
    _shape = "softmax keeps the shape of its input: sum with keepdims=True and divide."
    T.check_array(T.call(softmax, z, error_hints=_keepdims), rows, "softmax(z)", mistakes={
        "softmax(z) normalised the columns (axis 0); with the default axis=-1 every row must sum "
        "to 1. Use the axis argument.": cols}, shape_hint=_shape, nonfinite_hint=_overflow)
    T.check_array(T.call(softmax, z, axis=0, error_hints=_keepdims), cols, "softmax(z, axis=0)",
                  mistakes={"softmax(z, axis=0) normalised the rows: you ignored the axis argument; "
                            "sum over the axis you are given.": rows},
                  shape_hint=_shape, nonfinite_hint=_overflow)
    S = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 1.0], [3.0, 0.0, 1.0]])
    _S = np.exp(S)
    T.check_array(T.call(softmax, S, error_hints=_keepdims), _S / _S.sum(axis=1, keepdims=True),
                  "softmax of a square matrix", mistakes={
        "without keepdims=True, e / e.sum(axis=1) divides each column by a row's sum: "
        "keep the summed axis.": _S / _S.sum(axis=1),
        "softmax(S) normalised the columns; with axis=-1 every row must sum to 1.":
            _S / _S.sum(axis=0, keepdims=True)}, nonfinite_hint=_overflow)
    big = np.array([[1000.0, 1001.0, 1002.0],
                    [-1000.0, -1001.0, -1002.0]])
    # softmax(z - c) = softmax(z): these rows have the same softmax as [1, 2, 3] and [3, 2, 1]
    T.check_array(T.call(softmax, big, error_hints=_keepdims), [rows[0], rows[0][::-1]],
                  "softmax of large logits", nonfinite_hint=_overflow)
    print("softmax: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(206)
    for _shape, _scale, _axis in [((5, 4), 1.0, -1), ((5, 4), 3.0, 0), ((2, 3, 4), 1.0, 1),
                                  ((2, 3, 4), 100.0, 0), ((3, 2, 5), 1e4, -1), ((3, 2, 5), 1e4, 1),
                                  ((6,), 50.0, 0), ((2, 3, 4), 1e4, 2)]:
        _x = (_scale * _rng.normal(size=_shape)).astype("float32")
        _got = T.assert_own_work(softmax, _x, _axis, name="softmax")
        T.check_array(_got, np.asarray(keras.activations.softmax(_x, axis=_axis)),
                      f"softmax on shape {_shape}, axis={_axis}, magnitude {_scale:g}",
                      nonfinite_hint=_overflow, mistakes={
            "you normalised along the last axis, not along the axis you were given.":
                lambda: np.asarray(keras.activations.softmax(_x, axis=-1))})
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ## Before you submit

    Restart the kernel and run all cells (*Kernel → Restart Kernel and Run All Cells…*), then press
    **Validate**. Every test cell should print its "visible tests passed" line.
    """, "outro"),
]
