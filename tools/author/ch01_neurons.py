"""Exercise 1 — Neurons and layers: writes solutions/ch01_neurons/neurons_and_layers.ipynb.

Edit this file, never the notebook, then run `make solutions && make exercises`.
"""
from __future__ import annotations

from tools.nbtools import md, readonly, solution, tests

NOTEBOOK = "neurons_and_layers.ipynb"

CELLS = [
    md(r"""
    # Exercise 1 — Neurons and layers

    This exercise goes with chapter 1 of *Neural Networks in Python*. You will write, with numpy only:

    1. the output of **one neuron**,
    2. the forward pass of a **dense layer** on a whole batch,
    3. the **number of parameters** of a stack of dense layers,
    4. the forward pass of a **small network** from the weights a Keras model returns.

    Write your code where it says `YOUR CODE HERE` (delete the `raise NotImplementedError()` line).
    Run each test cell after your answer: a failing test tells you what was expected, what came, and
    often what the usual mistake is. Press **Validate** in the toolbar before you submit.

    Your functions are graded by more tests than the ones you see, including a comparison with
    `keras.layers.Dense` on random shapes. Calling nnlib's or Keras' own implementation earns no points:
    the point is to write it yourself.
    """, "intro"),
    readonly("setup", r'''
    # Run this cell first. It keeps TensorFlow quiet, loads numpy and the course's checks.
    from nnlib import course

    course.setup()

    import numpy as np
    from nnlib import testing as T

    np.set_printoptions(precision=4, suppress=True)


    # Three activation functions you may use (chapter 2 builds them properly).
    def identity(z):
        return z


    def relu(z):
        return np.maximum(z, 0.0)


    def sigmoid(z):
        z = np.asarray(z, dtype=float)
        e = np.exp(-np.abs(z))  # never overflows
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    '''),

    # --- 1. One neuron ----------------------------------------------------------------------------
    md(r"""
    ## 1. One neuron (2 points)

    A neuron multiplies each input $x_i$ by its weight $w_i$, adds the products and a bias $b$, and
    passes the sum through an activation function $f$:

    $$ y = f\Big(\sum_{i=1}^{n} w_i x_i + b\Big) = f(\mathbf{w}\cdot\mathbf{x} + b). $$

    Write `neuron(x, w, b, activation)`: `x` and `w` are 1-D arrays of the same length, `b` is a
    number, `activation` is a function such as `identity`, `relu` or `sigmoid`. Return a single number.
    """, "task_neuron"),
    solution("neuron", r'''
    def neuron(x, w, b, activation=identity):
        """Output of one neuron: activation(w · x + b)."""
        ### BEGIN SOLUTION
        x = np.asarray(x, dtype=float)
        w = np.asarray(w, dtype=float)
        return float(activation(np.dot(w, x) + b))
        ### END SOLUTION
    '''),
    tests("test_neuron", 2, r'''
    x = np.array([1.0, 2.0, 3.0])
    w = np.array([0.5, -1.0, 0.25])
    b = 0.1
    T.check_scalar(neuron(x, w, b), -0.65, "neuron(x, w, b)", mistakes={
        "the bias b is missing: add it to the weighted sum.": -0.75,
        "multiply each input by its weight and *sum* the products (np.dot(w, x)).": w * x + b,
    })
    T.check_scalar(neuron(x, w, b, relu), 0.0, "neuron(x, w, b, relu)", mistakes={
        "apply the activation to the whole sum w·x + b, once.": -0.65,
    })
    T.check_scalar(neuron(x, w, b, sigmoid), 1 / (1 + np.exp(0.65)), "neuron(x, w, b, sigmoid)", mistakes={
        "apply the activation after adding the bias: f(w·x + b), not f(w·x) + b.": sigmoid(-0.75) + 0.1,
        "apply the activation to the weighted sum, not to the inputs.": float(np.dot(w, sigmoid(x))) + b,
    })
    print("neuron: visible tests passed")
    ### BEGIN HIDDEN TESTS
    _rng = np.random.default_rng(101)
    for _n, _act, _fn in [(1, "linear", identity), (5, "relu", relu), (7, "sigmoid", sigmoid),
                          (4, "tanh", np.tanh)]:
        _x = _rng.normal(size=_n).astype("float32")
        _w = _rng.normal(size=_n).astype("float32")
        _b = float(_rng.normal())
        _expected = float(T.keras_dense(_x[None, :], _w[:, None], [_b], _act)[0, 0])
        _got = T.assert_own_work(neuron, _x, _w, _b, _fn, name="neuron")
        T.check_scalar(_got, _expected, f"neuron with n={_n}, {_act}", rtol=1e-5, atol=1e-6)
    ### END HIDDEN TESTS
    '''),

    # --- 2. A dense layer on a batch --------------------------------------------------------------
    md(r"""
    ## 2. A dense layer on a batch (4 points)

    A dense layer is many neurons that all see the same inputs. Stack the weight vectors of its `units`
    neurons as the columns of a matrix $W$ of shape `(inputs, units)` — the layout Keras uses for a
    `Dense` kernel — and put the biases in a vector $\mathbf b$ of shape `(units,)`. For a **batch** $X$
    of shape `(batch, inputs)`, one sample per row, the whole layer is one matrix product:

    $$ Y = f(XW + \mathbf b), \qquad Y \text{ of shape } (\text{batch}, \text{units}), $$

    where $\mathbf b$ is added to every row.

    Write `dense_forward(X, W, b, activation)`. No loop over samples is needed.
    """, "task_dense"),
    solution("dense_forward", r'''
    def dense_forward(X, W, b, activation=identity):
        """Forward pass of a dense layer: activation(X @ W + b), shape (batch, units)."""
        ### BEGIN SOLUTION
        X = np.asarray(X, dtype=float)
        return activation(X @ W + b)
        ### END SOLUTION
    '''),
    tests("test_dense_forward", 4, r'''
    X = np.array([[1.0, 2.0, 0.0, -1.0],
                  [0.5, -1.0, 2.0, 1.0],
                  [0.0, 1.0, 1.0, 1.0]])          # 3 samples, 4 inputs
    W = np.array([[0.2, -0.5, 1.0],
                  [0.4, 0.1, -0.3],
                  [-0.6, 0.3, 0.2],
                  [0.1, 0.0, 0.5]])               # 4 inputs, 3 units (Keras layout)
    b = np.array([0.1, -0.2, 0.3])
    expected = X @ W + b


    def _typical(X, W, b):
        # what the usual mistakes return for these inputs, with the hint for each
        return {
            "transposed weights: Keras stores the kernel as (inputs, units), so the layer computes "
            "X @ W, not X @ W.T or (W @ X.T).T.": lambda: X @ W.T + b,
            "the bias b is missing: add it, X @ W + b.": lambda: X @ W,
            "b has one entry per unit (column): X @ W + b broadcasts it over the rows (samples); "
            "b[:, None] or a bias per sample adds it along the wrong axis.": lambda: X @ W + b[:, None],
            "your loop over samples kept only the last row. Return one row per sample, "
            "shape (batch, units): use X @ W for the whole batch.": lambda: X[-1] @ W + b,
        }


    _shape_errors = {"mismatch": "W has shape (inputs, units), as Keras stores a Dense kernel: compute "
                                 "X @ W with X of shape (batch, inputs). X @ W.T or W @ X (transposed "
                                 "weights) do not fit.",
                     "broadcast": "b has shape (units,): X @ W + b adds it to every row."}
    _rows = "the output has one row per sample and one column per unit, (batch, units)."
    S = np.array([[1.0, 2.0], [3.0, 4.0]])
    V = np.array([[1.0, -1.0], [0.5, 2.0]])      # a square kernel: transposing it raises no error
    c = np.array([0.0, 1.0])
    T.check_array(T.call(dense_forward, S, V, c, error_hints=_shape_errors), S @ V + c,
                  "dense_forward(S, V, c) with a square kernel", mistakes=_typical(S, V, c),
                  shape_hint=_rows)
    T.check_array(T.call(dense_forward, X, W, b, error_hints=_shape_errors), expected,
                  "dense_forward(X, W, b)", mistakes=_typical(X, W, b), shape_hint=_rows)
    T.check_array(T.call(dense_forward, X, W, b, relu, error_hints=_shape_errors), relu(expected),
                  "dense_forward(X, W, b, relu)",
                  mistakes={"apply the activation after adding the bias: f(X @ W + b).":
                            lambda: relu(X @ W) + b, **_typical(X, W, b)}, shape_hint=_rows)
    print("dense_forward: visible tests passed")
    ### BEGIN HIDDEN TESTS
    _rng = np.random.default_rng(202)
    for _batch, _n_in, _units, _act, _fn in [(1, 3, 2, "linear", identity), (8, 5, 5, "relu", relu),
                                             (16, 2, 7, "sigmoid", sigmoid), (5, 6, 5, "tanh", np.tanh),
                                             (7, 7, 7, "linear", identity)]:
        _X = _rng.normal(size=(_batch, _n_in)).astype("float32")
        _W = _rng.normal(size=(_n_in, _units)).astype("float32")
        _b = _rng.normal(size=_units).astype("float32")
        _expected = T.keras_dense(_X, _W, _b, _act)
        _got = T.assert_own_work(dense_forward, _X, _W, _b, _fn, name="dense_forward")
        T.check_array(_got, _expected, f"dense_forward on a ({_batch}, {_n_in}) batch, {_units} units, "
                      f"{_act}", rtol=1e-5, atol=1e-5)
    ### END HIDDEN TESTS
    '''),

    # --- 3. Counting parameters -------------------------------------------------------------------
    md(r"""
    ## 3. Counting parameters (2 points)

    A dense layer from $n_\text{in}$ inputs to $n_\text{out}$ units has a kernel of
    $n_\text{in} \times n_\text{out}$ weights and $n_\text{out}$ biases. A network is described by its
    layer sizes, input first: `[784, 128, 10]` is 784 inputs, a hidden layer of 128 units and an output
    layer of 10 units.

    Write `count_params(layer_sizes)` returning the total number of weights and biases, as an `int`
    — the number `model.summary()` prints as *Total params*.
    """, "task_count"),
    solution("count_params", r'''
    def count_params(layer_sizes):
        """Weights plus biases of a stack of dense layers with the given sizes (input first)."""
        ### BEGIN SOLUTION
        sizes = [int(s) for s in layer_sizes]
        return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        ### END SOLUTION
    '''),
    tests("test_count_params", 2, r'''
    T.check_scalar(count_params([3, 4, 2]), 26, "count_params([3, 4, 2])", mistakes={
        "the biases are missing: each layer also has one bias per unit.": 20,
        "the input layer has no weights or biases: only the layers after it do.": 30,
        "count weights between consecutive layers, n_in * n_out, not the product of all sizes.": 24,
    })
    T.check_scalar(count_params([784, 128, 10]), 101770, "count_params([784, 128, 10])")
    assert isinstance(count_params([2, 1]), (int, np.integer)), "count_params should return an int"
    print("count_params: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(303)
    for _sizes in ([1, 1], [5, 3], [2, 8, 8, 1], [10, 1, 10], list(_rng.integers(1, 40, size=6))):
        _model = keras.Sequential([keras.Input((int(_sizes[0]),))] +
                                  [keras.layers.Dense(int(_u)) for _u in _sizes[1:]])
        _got = T.assert_own_work(count_params, list(_sizes), name="count_params")
        assert isinstance(_got, (int, np.integer)), f"count_params should return an int, got {type(_got).__name__}"
        T.check_scalar(_got, _model.count_params(), f"count_params({[int(s) for s in _sizes]})")
    ### END HIDDEN TESTS
    '''),

    # --- 4. A whole network -----------------------------------------------------------------------
    md(r"""
    ## 4. A whole network (2 points)

    `model.get_weights()` of a Keras `Sequential` model of dense layers returns
    `[W1, b1, W2, b2, ...]`: a kernel and a bias per layer, in order. Write
    `network_forward(X, weights, activations)` that runs the batch `X` through all the layers, using
    `activations[i]` after layer `i`. Reuse your `dense_forward`.
    """, "task_network"),
    solution("network_forward", r'''
    def network_forward(X, weights, activations):
        """Forward pass of a stack of dense layers given [W1, b1, W2, b2, ...]."""
        ### BEGIN SOLUTION
        out = np.asarray(X, dtype=float)
        for i, activation in enumerate(activations):
            out = dense_forward(out, weights[2 * i], weights[2 * i + 1], activation)
        return out
        ### END SOLUTION
    '''),
    tests("test_network_forward", 2, r'''
    X = np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.0]])
    W1 = np.array([[1.0, -2.0, 0.5], [0.5, 1.0, -1.0]]); b1 = np.array([0.0, 0.5, -0.5])
    W2 = np.array([[1.0], [-1.0], [2.0]]); b2 = np.array([0.25])
    hidden = relu(X @ W1 + b1)
    T.check_array(network_forward(X, [W1, b1, W2, b2], [relu, identity]), hidden @ W2 + b2,
                  "network_forward(X, [W1, b1, W2, b2], [relu, identity])", mistakes={
        "the hidden layer's activation is missing: apply activations[0] after layer 0.":
            lambda: (X @ W1 + b1) @ W2 + b2,
        "each layer's input is the previous layer's output, not X.": lambda: X @ W2[:2] + b2,
    })
    print("network_forward: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras

    _rng = np.random.default_rng(404)
    _model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, activation="tanh"),
                               keras.layers.Dense(4, activation="relu"),
                               keras.layers.Dense(2, activation="sigmoid")])
    _model.set_weights([_rng.normal(size=w.shape).astype("float32") for w in _model.get_weights()])
    _X = _rng.normal(size=(9, 6)).astype("float32")
    _got = T.assert_own_work(network_forward, _X, _model.get_weights(), [np.tanh, relu, sigmoid],
                             name="network_forward")
    T.check_array(_got, np.asarray(_model(_X)), "network_forward on a 6-5-4-2 Keras model",
                  rtol=1e-5, atol=1e-5)
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ## Before you submit

    Restart the kernel and run all cells (*Kernel → Restart Kernel and Run All Cells…*), then press
    **Validate**. Every test cell should print its "visible tests passed" line.
    """, "outro"),
]
