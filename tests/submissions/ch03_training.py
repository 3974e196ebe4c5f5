"""Exercise 3 (training): typical submissions and what each must score."""
from grading.spec import Submission

NOTEBOOK = "training.ipynb"

SUBMISSIONS = [
    Submission(
        "kernel_gradient_transposed",
        why="computes dW as dZ.T @ X, shaped (units, inputs) like a PyTorch weight",
        answers={"dense_backward": "def dense_backward(X, W, dZ):\n"
                                   "    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)\n"},
        scores={"test_dense_backward": 0},
        hints={"test_dense_backward": "transposed kernel gradient"},
    ),
    Submission(
        "bias_gradient_not_summed",
        why="returns dZ itself as the bias gradient, one row per sample",
        answers={"dense_backward": "def dense_backward(X, W, dZ):\n"
                                   "    return dZ @ W.T, X.T @ dZ, dZ\n"},
        scores={"test_dense_backward": 0},
        hints={"test_dense_backward": "summed over the batch"},
    ),
    Submission(
        "bias_gradient_averaged",
        why="averages the bias gradient over the batch instead of summing it",
        answers={"dense_backward": "def dense_backward(X, W, dZ):\n"
                                   "    return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)\n"},
        scores={"test_dense_backward": 0},
        hints={"test_dense_backward": "do not average"},
    ),
    Submission(
        "gradients_not_divided_by_batch_size",
        why="forgets the 1/N of the batch mean in both loss gradients",
        answers={
            "mse_gradient": "def mse_gradient(y_true, y_pred):\n"
                            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
                            "    return 2 * (y_pred - y_true) / y_pred.shape[-1]\n",
            "softmax_crossentropy_gradient":
                "def softmax_crossentropy_gradient(logits, labels):\n"
                "    return softmax(logits) - np.eye(np.shape(logits)[1])[labels]\n",
        },
        scores={"test_mse_gradient": 0, "test_softmax_crossentropy_gradient": 0},
        hints={"test_mse_gradient": "divide by the batch size",
               "test_softmax_crossentropy_gradient": "divide by the batch size"},
    ),
    Submission(
        "softmax_without_targets",
        why="returns softmax(logits)/N, forgetting to subtract the one-hot targets",
        answers={"softmax_crossentropy_gradient":
                 "def softmax_crossentropy_gradient(logits, labels):\n"
                 "    return softmax(logits) / len(logits)\n"},
        scores={"test_softmax_crossentropy_gradient": 0},
        hints={"test_softmax_crossentropy_gradient": "subtract the one-hot targets"},
    ),
    Submission(
        "naive_softmax_overflows",
        why="computes softmax as exp(z)/Σexp(z), which overflows for large logits",
        answers={"softmax_crossentropy_gradient":
                 "def softmax_crossentropy_gradient(logits, labels):\n"
                 "    e = np.exp(logits)\n"
                 "    p = e / e.sum(axis=1, keepdims=True)\n"
                 "    return (p - np.eye(p.shape[1])[labels]) / len(p)\n"},
        scores={"test_softmax_crossentropy_gradient": 0},
        hints={"test_softmax_crossentropy_gradient": "NaN or inf"},
    ),
    Submission(
        "momentum_wrong_sign",
        why="adds the gradient to the velocity, so the weights move uphill",
        answers={"momentum_step":
                 "def momentum_step(w, grad, velocity, learning_rate=0.01, momentum=0.9):\n"
                 "    velocity = momentum * velocity + learning_rate * grad\n"
                 "    return w + velocity, velocity\n"},
        scores={"test_momentum_step": 0},
        hints={"test_momentum_step": "wrong sign"},
    ),
    Submission(
        "momentum_in_place",
        why="updates w and the velocity in place (right values, but the caller's arrays change)",
        answers={"momentum_step":
                 "def momentum_step(w, grad, velocity, learning_rate=0.01, momentum=0.9):\n"
                 "    velocity *= momentum\n"
                 "    velocity -= learning_rate * grad\n"
                 "    w += velocity\n"
                 "    return w, velocity\n"},
        scores={"test_momentum_step": 0},
        hints={"test_momentum_step": "changed the arrays it was given"},
    ),
    Submission(
        "adam_without_bias_correction",
        why="uses the learning rate itself as the step size, without the bias correction",
        answers={"adam_step":
                 "def adam_step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999,\n"
                 "              epsilon=1e-7):\n"
                 "    m = beta_1 * m + (1 - beta_1) * grad\n"
                 "    v = beta_2 * v + (1 - beta_2) * grad**2\n"
                 "    return w - learning_rate * m / (np.sqrt(v) + epsilon), m, v\n"},
        scores={"test_adam_step": 0},
        hints={"test_adam_step": "without bias correction"},
    ),
    Submission(
        "adam_paper_epsilon",
        why="the paper's form m̂/(√v̂ + ε): right for ordinary gradients, not Keras' for tiny ones",
        answers={"adam_step":
                 "def adam_step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999,\n"
                 "              epsilon=1e-7):\n"
                 "    m = beta_1 * m + (1 - beta_1) * grad\n"
                 "    v = beta_2 * v + (1 - beta_2) * grad**2\n"
                 "    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)\n"
                 "    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v\n"},
        scores={"test_adam_step": 0},
        hints={"test_adam_step": "Keras adds epsilon"},
    ),
    Submission(
        "adam_alternative_form",
        why="Keras' update written the other common way (β m + (1 − β) g, explicit corrections "
            "folded into the step): correct, full marks",
        answers={"adam_step":
                 "def adam_step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999,\n"
                 "              epsilon=1e-7):\n"
                 "    m = beta_1 * m + (1 - beta_1) * grad\n"
                 "    v = beta_2 * v + (1 - beta_2) * np.square(grad)\n"
                 "    step = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)\n"
                 "    return w - step * m / (np.sqrt(v) + epsilon), m, v\n"},
    ),
    Submission(
        "calls_nnlib_for_the_loss_gradients",
        why="delegates both loss gradients to nnlib.losses (right values, not own work)",
        answers={
            "mse_gradient": "import nnlib\n"
                            "def mse_gradient(y_true, y_pred):\n"
                            "    return nnlib.losses.MeanSquaredError().gradient(y_true, y_pred)\n",
            "softmax_crossentropy_gradient":
                "import nnlib\n"
                "def softmax_crossentropy_gradient(logits, labels):\n"
                "    loss = nnlib.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
                "    return loss.gradient(labels, np.asarray(logits, dtype=float))\n",
        },
        scores={"test_mse_gradient": 0, "test_softmax_crossentropy_gradient": 0},
        hints={"test_mse_gradient": "calls a library's implementation",
               "test_softmax_crossentropy_gradient": "calls a library's implementation"},
    ),
]
