"""Exercise 4 (when training goes wrong): typical submissions and what each must score."""
from grading.spec import Submission

NOTEBOOK = "training_errors.ipynb"

_L2_OK = '''
def l2_penalty(W, l2):
    return float(l2 * np.sum(np.asarray(W, dtype=float) ** 2))
'''

_DROPOUT_BACKWARD_OK = '''
def dropout_backward(dout, mask, rate):
    return np.asarray(dout, dtype=float) * mask / (1.0 - rate)
'''

SUBMISSIONS = [
    Submission(
        "l2_gradient_missing_factor",
        why="differentiates l2·w² as l2·w: the gradient lacks its factor 2",
        answers={"l2": _L2_OK + '''
def l2_gradient(W, l2):
    return l2 * np.asarray(W, dtype=float)
'''},
        scores={"test_l2_gradient": 0},
        hints={"test_l2_gradient": "the factor 2 is missing"},
    ),
    Submission(
        "l2_with_half",
        why="uses the textbook ½·λ·Σw² (and so λ·w as gradient), which is not Keras' L2",
        answers={"l2": '''
def l2_penalty(W, l2):
    return 0.5 * l2 * float(np.sum(np.square(W)))


def l2_gradient(W, l2):
    return l2 * np.asarray(W, dtype=float)
'''},
        scores={"test_l2_penalty": 0, "test_l2_gradient": 0},
        hints={"test_l2_penalty": "no factor ½", "test_l2_gradient": "the factor 2 is missing"},
    ),
    Submission(
        "dropout_without_rescaling",
        why="drops entries but forgets the 1/(1 - rate) scaling, in the forward and backward pass",
        answers={"dropout": '''
def dropout_forward(X, rate, training, rng):
    X = np.asarray(X, dtype=float)
    if not training:
        return X, None
    mask = rng.random(X.shape) >= rate
    return X * mask, mask


def dropout_backward(dout, mask, rate):
    return np.asarray(dout, dtype=float) * mask
'''},
        scores={"test_dropout_forward": 0, "test_dropout_backward": 0},
        hints={"test_dropout_forward": "rescale the kept entries by 1 / (1 - rate)",
               "test_dropout_backward": "so does the gradient"},
    ),
    Submission(
        "dropout_active_at_inference",
        why="ignores the training flag: still drops (and rescales) at inference",
        answers={"dropout": '''
def dropout_forward(X, rate, training, rng):
    X = np.asarray(X, dtype=float)
    mask = rng.random(X.shape) >= rate
    return X * mask / (1 - rate), mask
''' + _DROPOUT_BACKWARD_OK},
        scores={"test_dropout_forward": 0},
        hints={"test_dropout_forward": "at inference (training=False) dropout is the identity"},
    ),
    Submission(
        "early_stopping_one_epoch_late",
        why="increments wait only after the improvement check and stops when wait > patience",
        answers={"early_stopping": '''
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = None, 0, 0
    for epoch, value in enumerate(val_losses):
        if best is None or value < best - min_delta:
            best, best_epoch, wait = value, epoch, 0
            continue
        wait += 1
        if wait > patience:
            return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
'''},
        scores={"test_early_stopping": 0},
        hints={"test_early_stopping": "wait >= patience"},
    ),
    Submission(
        "clip_each_tensor",
        why="clips every gradient by its own norm (Keras' clipnorm) instead of the global norm",
        answers={"clip_by_global_norm": '''
def clip_by_global_norm(grads, clip_norm):
    out = []
    for g in grads:
        g = np.asarray(g, dtype=float)
        norm = np.sqrt(np.sum(g * g))
        out.append(g * clip_norm / norm if norm > clip_norm else g)
    return out
'''},
        scores={"test_clip_by_global_norm": 0},
        hints={"test_clip_by_global_norm": "global norm of all gradients together"},
    ),
    Submission(
        "clip_always_rescales",
        why="scales by clip_norm / norm even when the norm is below the threshold",
        answers={"clip_by_global_norm": '''
def clip_by_global_norm(grads, clip_norm):
    norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads))
    return [np.asarray(g, dtype=float) * clip_norm / norm for g in grads]
'''},
        scores={"test_clip_by_global_norm": 0},
        hints={"test_clip_by_global_norm": "clip only when the global norm exceeds clip_norm"},
    ),
    Submission(
        "diagnose_by_gap",
        why="calls any gap between training and validation loss overfitting",
        answers={"diagnose": '''
def diagnose(train_loss, val_loss, target_loss, tolerance=0.1):
    if train_loss[-1] > target_loss:
        return "underfitting"
    if val_loss[-1] > (1 + tolerance) * train_loss[-1]:
        return "overfitting"
    return "good fit"
'''},
        scores={"test_diagnose": 0},
        hints={"test_diagnose": "a gap between training and validation loss alone is not "
                                "overfitting"},
    ),
    Submission(
        "calls_keras_tf_and_nnlib",
        why="delegates the penalty to keras.regularizers.L2, clipping to tf.clip_by_global_norm "
            "and dropout to nnlib's Dropout layer",
        answers={
            "l2": '''
import keras


def l2_penalty(W, l2):
    return float(keras.regularizers.L2(l2)(keras.ops.convert_to_tensor(np.asarray(W, "float32"))))


def l2_gradient(W, l2):
    return 2.0 * l2 * np.asarray(W, dtype=float)
''',
            "dropout": '''
import nnlib


def dropout_forward(X, rate, training, rng):
    X = np.asarray(X, dtype=float)
    if not training:
        return nnlib.layers.Dropout(rate)(X), None
    mask = rng.random(X.shape) >= rate
    return X * mask / (1.0 - rate), mask
''' + _DROPOUT_BACKWARD_OK,
            "clip_by_global_norm": '''
import tensorflow as tf


def clip_by_global_norm(grads, clip_norm):
    clipped, _ = tf.clip_by_global_norm([tf.constant(np.asarray(g, dtype=float)) for g in grads],
                                        clip_norm)
    return [c.numpy() for c in clipped]
''',
        },
        # the visible tests pass (the values are right); the hidden own-work checks fail the cells
        scores={"test_l2_penalty": 0, "test_dropout_forward": 0, "test_clip_by_global_norm": 0},
        hints={"test_l2_penalty": "calls a library's implementation",
               "test_dropout_forward": "calls a library's implementation",
               "test_clip_by_global_norm": "calls a library's implementation"},
    ),
]
