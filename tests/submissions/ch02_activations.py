"""Exercise 2 (activation functions): typical submissions and what each must score."""
from grading.spec import Submission

NOTEBOOK = "activations.ipynb"

_STABLE_SOFTMAX_BODY = "    e = np.exp(x - np.max(x, axis={axis}, keepdims=True))\n" \
                       "    return e / np.sum(e, axis={axis}, keepdims=True)\n"

SUBMISSIONS = [
    Submission(
        "softmax_wrong_axis",
        why="a stable softmax, but always over axis 0 (the columns of a batch)",
        answers={"softmax": "def softmax(x, axis=-1):\n" + _STABLE_SOFTMAX_BODY.format(axis=0)},
        scores={"test_softmax": 0},
        hints={"test_softmax": "normalised the columns (axis 0)"},
    ),
    Submission(
        "softmax_ignores_axis",
        why="a stable softmax that always uses the last axis, whatever axis it is given",
        answers={"softmax": "def softmax(x, axis=-1):\n" + _STABLE_SOFTMAX_BODY.format(axis=-1)},
        scores={"test_softmax": 0},
        hints={"test_softmax": "you ignored the axis argument"},
    ),
    Submission(
        "softmax_overflows",
        why="the textbook formula exp(x) / sum(exp(x)): NaN on large logits",
        answers={"softmax": "def softmax(x, axis=-1):\n"
                            "    e = np.exp(x)\n"
                            "    return e / np.sum(e, axis=axis, keepdims=True)\n"},
        scores={"test_softmax": 0},
        hints={"test_softmax": "Subtract the maximum along the axis first"},
    ),
    Submission(
        "softmax_global_max",
        why="subtracts the maximum of the whole array: rows far below it underflow to 0 / 0",
        answers={"softmax": "def softmax(x, axis=-1):\n"
                            "    e = np.exp(x - np.max(x))\n"
                            "    return e / np.sum(e, axis=axis, keepdims=True)\n"},
        scores={"test_softmax": 0},
        hints={"test_softmax": "The maximum of the whole array is not enough"},
    ),
    Submission(
        "tanh_derivative_of_input",
        why="writes tanh' as 1 - x**2, with the input instead of the output tanh(x)",
        answers={"tanh_derivative": "def tanh_derivative(x):\n    return 1 - x ** 2\n"},
        scores={"test_tanh_derivative": 0},
        hints={"test_tanh_derivative": "1 - x**2 uses the input"},
    ),
    Submission(
        "sigmoid_derivative_applies_sigmoid_again",
        why="treats the output y as the input and computes sigmoid(y) * (1 - sigmoid(y))",
        answers={"sigmoid_derivative": "def sigmoid_derivative_from_output(y):\n"
                                       "    s = sigmoid(y)\n"
                                       "    return s * (1 - s)\n"},
        scores={"test_sigmoid_derivative": 0},
        hints={"test_sigmoid_derivative": "y is already the sigmoid's output"},
    ),
    Submission(
        "relu_derivative_one_at_zero",
        why="x >= 0: the derivative is 1 at the kink, where TensorFlow (and the task) take 0",
        answers={"relu_derivative": "def relu_derivative(x):\n"
                                    "    return (np.asarray(x) >= 0).astype(float)\n"},
        scores={"test_relu_derivative": 0},
        hints={"test_relu_derivative": "at x = 0 the derivative is taken as 0"},
    ),
    Submission(
        "relu_derivative_sign",
        why="np.sign(x): -1 below zero, where ReLU is flat",
        answers={"relu_derivative": "def relu_derivative(x):\n    return np.sign(x)\n"},
        scores={"test_relu_derivative": 0},
        hints={"test_relu_derivative": "below zero ReLU is flat"},
    ),
    Submission(
        "elu_wrong_branch",
        why="swaps ELU's branches: the exponential for x > 0, the identity below",
        answers={"elu": "def elu(x, alpha=1.0):\n"
                        "    return np.where(x > 0, alpha * (np.exp(x) - 1), x)\n"
                        "\n\n"
                        "def elu_derivative(x, alpha=1.0):\n"
                        "    return np.where(x > 0, alpha * np.exp(x), 1.0)\n"},
        scores={"test_elu": 0},
        hints={"test_elu": "wrong branch"},
    ),
    Submission(
        "elu_without_alpha",
        why="forgets alpha in the negative branch of ELU and of its derivative",
        answers={"elu": "def elu(x, alpha=1.0):\n"
                        "    return np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1)\n"
                        "\n\n"
                        "def elu_derivative(x, alpha=1.0):\n"
                        "    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))\n"},
        scores={"test_elu": 0},
        hints={"test_elu": "multiply the negative branch by alpha"},
    ),
    Submission(
        "leaky_relu_derivative_like_relu",
        why="a right leaky ReLU whose derivative is ReLU's: 0 below zero",
        answers={"leaky_relu": "def leaky_relu(x, negative_slope=0.2):\n"
                               "    return np.where(x > 0, x, negative_slope * x)\n"
                               "\n\n"
                               "def leaky_relu_derivative(x, negative_slope=0.2):\n"
                               "    return (x > 0).astype(float)\n"},
        scores={"test_leaky_relu": 0},
        hints={"test_leaky_relu": "below zero the slope is negative_slope"},
    ),
    Submission(
        "calls_nnlib_and_keras",
        why="delegates softmax to nnlib, ELU to Keras and tanh' to nnlib's backward rule",
        answers={
            "softmax": "import nnlib\n"
                       "def softmax(x, axis=-1):\n"
                       "    return nnlib.activations.softmax(np.asarray(x, dtype=float), axis=axis)\n",
            "elu": "import keras\n"
                   "def elu(x, alpha=1.0):\n"
                   "    return np.asarray(keras.activations.elu(np.asarray(x, 'float32'), alpha=alpha),\n"
                   "                      dtype=float)\n"
                   "\n\n"
                   "def elu_derivative(x, alpha=1.0):\n"
                   "    return np.where(np.asarray(x) > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))\n",
            "tanh_derivative": "import nnlib\n"
                               "def tanh_derivative(x):\n"
                               "    return nnlib.activations.get('tanh').derivative(np.asarray(x, dtype=float))\n",
        },
        # the visible tests pass (the values are right); the hidden own-work checks fail the cells
        scores={"test_softmax": 0, "test_elu": 0, "test_tanh_derivative": 0},
        hints={"test_softmax": "calls a library's implementation",
               "test_elu": "calls a library's implementation",
               "test_tanh_derivative": "calls a library's implementation"},
    ),
]
