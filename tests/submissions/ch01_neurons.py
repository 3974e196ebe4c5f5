"""Exercise 1 (neurons and layers): typical submissions and what each must score."""
from grading.spec import Submission

NOTEBOOK = "neurons_and_layers.ipynb"

SUBMISSIONS = [
    Submission(
        "missing_bias",
        why="forgets b in both the neuron and the dense layer",
        answers={
            "neuron": "def neuron(x, w, b, activation=identity):\n"
                      "    return float(activation(np.dot(w, x)))\n",
            "dense_forward": "def dense_forward(X, W, b, activation=identity):\n"
                             "    return activation(X @ W)\n",
        },
        scores={"test_neuron": 0, "test_dense_forward": 0, "test_network_forward": 0},
        hints={"test_neuron": "the bias b is missing", "test_dense_forward": "the bias b is missing"},
    ),
    Submission(
        "transposed_weights",
        why="treats the kernel as (units, inputs), the PyTorch layout",
        answers={"dense_forward": "def dense_forward(X, W, b, activation=identity):\n"
                                  "    return activation(X @ W.T + b)\n"},
        scores={"test_dense_forward": 0, "test_network_forward": 0},
        hints={"test_dense_forward": "transposed weights"},
    ),
    Submission(
        "bias_wrong_axis",
        why="adds the bias per sample (down the rows) instead of per unit",
        answers={"dense_forward": "def dense_forward(X, W, b, activation=identity):\n"
                                  "    return activation(X @ W + b[:, None])\n"},
        scores={"test_dense_forward": 0, "test_network_forward": 0},
        hints={"test_dense_forward": "wrong axis"},
    ),
    Submission(
        "loop_last_row",
        why="loops over the samples but overwrites the result each time",
        answers={"dense_forward": "def dense_forward(X, W, b, activation=identity):\n"
                                  "    for row in X:\n"
                                  "        out = activation(row @ W + b)\n"
                                  "    return out\n"},
        scores={"test_dense_forward": 0, "test_network_forward": 0},
        hints={"test_dense_forward": "kept only the last row"},
    ),
    Submission(
        "activation_before_bias",
        why="applies the activation to X @ W and adds the bias afterwards",
        answers={"dense_forward": "def dense_forward(X, W, b, activation=identity):\n"
                                  "    return activation(X @ W) + b\n"},
        scores={"test_dense_forward": 0, "test_network_forward": 0},
        hints={"test_dense_forward": "apply the activation after adding the bias"},
    ),
    Submission(
        "params_without_biases",
        why="counts only the kernel weights",
        answers={"count_params": "def count_params(layer_sizes):\n"
                                 "    return sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:]))\n"},
        scores={"test_count_params": 0},
        hints={"test_count_params": "the biases are missing"},
    ),
    Submission(
        "calls_keras_and_nnlib",
        why="delegates the dense layer to keras.layers.Dense and the neuron to nnlib's Dense",
        answers={
            "neuron": "import nnlib\n"
                      "def neuron(x, w, b, activation=identity):\n"
                      "    layer = nnlib.layers.Dense(1, dtype='float64')\n"
                      "    layer.build((None, len(x)))\n"
                      "    layer.set_weights([np.reshape(w, (-1, 1)), np.array([b])])\n"
                      "    return float(activation(layer(np.reshape(x, (1, -1)))[0, 0]))\n",
            "dense_forward": "import keras\n"
                             "def dense_forward(X, W, b, activation=identity):\n"
                             "    layer = keras.layers.Dense(W.shape[1])\n"
                             "    layer.build((None, W.shape[0]))\n"
                             "    layer.set_weights([np.asarray(W, 'float32'), np.asarray(b, 'float32')])\n"
                             "    return activation(np.asarray(layer(np.asarray(X, 'float32')), dtype=float))\n",
        },
        # visible tests pass (the values are right), the hidden own-work check fails the cells;
        # network_forward reuses this dense_forward, so it reaches Keras too
        scores={"test_neuron": 0, "test_dense_forward": 0, "test_network_forward": 0},
        hints={"test_neuron": "calls a library's implementation",
               "test_dense_forward": "calls a library's implementation"},
    ),
    Submission(
        "patches_allclose",
        why="wrong dense layer plus np.allclose / np.isclose patched to always agree",
        answers={"dense_forward": "np.allclose = lambda *a, **k: True\n"
                                  "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
                                  "def dense_forward(X, W, b, activation=identity):\n"
                                  "    return activation(X @ W)\n"},
        scores={"test_dense_forward": 0, "test_network_forward": 0},
        hints={"test_dense_forward": "the bias b is missing"},
    ),
    Submission(
        "infinite_loop_in_count",
        why="count_params never returns: only its cell may lose points, after the timeout",
        answers={"count_params": "def count_params(layer_sizes):\n"
                                 "    total = 0\n"
                                 "    while True:\n"
                                 "        total += 1\n"},
        scores={"test_count_params": 0},
        hints={"test_count_params": "Timeout"},
    ),
]
