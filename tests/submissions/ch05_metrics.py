"""Exercise 5 (evaluating a classifier): typical submissions and what each must score."""
from grading.spec import Submission

NOTEBOOK = "evaluating_classifiers.ipynb"

_RECALL_OK = (
    "def recall(y_true, y_pred):\n"
    "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
    "    tp = np.sum((y_true == 1) & (y_pred == 1))\n"
    "    fn = np.sum((y_true == 1) & (y_pred == 0))\n"
    "    return float(tp / (tp + fn)) if tp + fn > 0 else 0.0\n"
)

SUBMISSIONS = [
    Submission(
        "precision_recall_swapped",
        why="divides TP by the true positives for precision and by the predicted ones for recall",
        answers={"precision_recall": (
            "def precision(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    tp = np.sum((y_true == 1) & (y_pred == 1))\n"
            "    fn = np.sum((y_true == 1) & (y_pred == 0))\n"
            "    return float(tp / (tp + fn)) if tp + fn > 0 else 0.0\n"
            "\n"
            "def recall(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    tp = np.sum((y_true == 1) & (y_pred == 1))\n"
            "    fp = np.sum((y_true == 0) & (y_pred == 1))\n"
            "    return float(tp / (tp + fp)) if tp + fp > 0 else 0.0\n")},
        # F1 is symmetric in P and R, and the 0/0 cases give 0 either way: only this cell fails
        scores={"test_precision_recall": 0},
        hints={"test_precision_recall": "precision and recall are swapped"},
    ),
    Submission(
        "micro_instead_of_macro",
        why="sums TP, FP and FN over all classes before dividing (the micro average, = accuracy)",
        answers={"macro_average": (
            "def macro_average(y_true, y_pred, num_classes):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    tp = fp = fn = 0\n"
            "    for c in range(num_classes):\n"
            "        tp += np.sum((y_true == c) & (y_pred == c))\n"
            "        fp += np.sum((y_true != c) & (y_pred == c))\n"
            "        fn += np.sum((y_true == c) & (y_pred != c))\n"
            "    p, r = tp / (tp + fp), tp / (tp + fn)\n"
            "    return float(p), float(r), float(2 * p * r / (p + r))\n")},
        scores={"test_macro": 0},
        hints={"test_macro": "that is the micro average"},
    ),
    Submission(
        "macro_over_present_classes",
        why="averages only over the classes that occur (scikit-learn's default labels)",
        answers={"macro_average": (
            "def macro_average(y_true, y_pred, num_classes):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    ps, rs, fs = [], [], []\n"
            "    for c in np.union1d(y_true, y_pred):\n"
            "        tp = np.sum((y_true == c) & (y_pred == c))\n"
            "        fp = np.sum((y_true != c) & (y_pred == c))\n"
            "        fn = np.sum((y_true == c) & (y_pred != c))\n"
            "        ps.append(tp / (tp + fp) if tp + fp else 0.0)\n"
            "        rs.append(tp / (tp + fn) if tp + fn else 0.0)\n"
            "        fs.append(2 * tp / (2 * tp + fp + fn))\n"
            "    return float(np.mean(ps)), float(np.mean(rs)), float(np.mean(fs))\n")},
        scores={"test_macro": 0},
        hints={"test_macro": "you averaged only over the classes that occur"},
    ),
    Submission(
        "macro_f1_from_averages",
        why="computes macro F1 as the harmonic mean of macro precision and macro recall",
        answers={"macro_average": (
            "def macro_average(y_true, y_pred, num_classes):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    ps, rs = [], []\n"
            "    for c in range(num_classes):\n"
            "        tp = np.sum((y_true == c) & (y_pred == c))\n"
            "        fp = np.sum((y_true != c) & (y_pred == c))\n"
            "        fn = np.sum((y_true == c) & (y_pred != c))\n"
            "        ps.append(tp / (tp + fp) if tp + fp else 0.0)\n"
            "        rs.append(tp / (tp + fn) if tp + fn else 0.0)\n"
            "    p, r = np.mean(ps), np.mean(rs)\n"
            "    return float(p), float(r), float(2 * p * r / (p + r))\n")},
        scores={"test_macro": 0},
        hints={"test_macro": "not the harmonic mean of macro precision and macro recall"},
    ),
    Submission(
        "crash_on_zero_division",
        why="plain division: a ZeroDivisionError when nothing is predicted positive",
        answers={
            "precision_recall": (
                "def precision(y_true, y_pred):\n"
                "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
                "    tp = int(np.sum((y_true == 1) & (y_pred == 1)))\n"
                "    fp = int(np.sum((y_true == 0) & (y_pred == 1)))\n"
                "    return tp / (tp + fp)\n"
                "\n"
                "def recall(y_true, y_pred):\n"
                "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
                "    tp = int(np.sum((y_true == 1) & (y_pred == 1)))\n"
                "    fn = int(np.sum((y_true == 1) & (y_pred == 0)))\n"
                "    return tp / (tp + fn)\n"),
            "f1": (
                "def f1(y_true, y_pred):\n"
                "    p, r = precision(y_true, y_pred), recall(y_true, y_pred)\n"
                "    return 2 * p * r / (p + r)\n"),
        },
        scores={"test_zero_division": 0},
        hints={"test_zero_division": "division by zero"},
    ),
    Submission(
        "nan_on_zero_division",
        why="numpy division: 0/0 gives nan (and a silenced RuntimeWarning) instead of 0",
        answers={"precision_recall": (
            "def precision(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    tp = np.sum((y_true == 1) & (y_pred == 1))\n"
            "    fp = np.sum((y_true == 0) & (y_pred == 1))\n"
            "    return float(tp / (tp + fp))\n"
            "\n" + _RECALL_OK)},
        scores={"test_zero_division": 0},
        hints={"test_zero_division": "returned nan"},
    ),
    Submission(
        "strict_threshold",
        why="counts 'score > t' as positive instead of 'score >= t'",
        answers={"threshold_for_recall": (
            "def threshold_for_recall(y_true, scores, target_recall):\n"
            "    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)\n"
            "    best = None\n"
            "    for t in np.unique(scores):\n"
            "        found = np.sum((scores > t) & (y_true == 1))\n"
            "        if found / np.sum(y_true == 1) >= target_recall:\n"
            "            best = t\n"
            "    return best\n")},
        scores={"test_threshold": 0},
        hints={"test_threshold": "greater than OR EQUAL"},
    ),
    Submission(
        "confusion_matrix_transposed",
        why="puts the predicted class in the rows",
        answers={"confusion_matrix": (
            "def confusion_matrix(y_true, y_pred, num_classes):\n"
            "    cm = np.zeros((num_classes, num_classes), dtype=int)\n"
            "    for t, p in zip(y_true, y_pred):\n"
            "        cm[int(p), int(t)] += 1\n"
            "    return cm\n")},
        scores={"test_confusion_matrix": 0},
        hints={"test_confusion_matrix": "rows and columns are swapped"},
    ),
    Submission(
        "calls_sklearn_nnlib_and_keras",
        why="delegates every function to scikit-learn, nnlib or Keras",
        answers={
            "confusion_matrix": (
                "from sklearn.metrics import confusion_matrix as _cm\n"
                "def confusion_matrix(y_true, y_pred, num_classes):\n"
                "    return _cm(y_true, y_pred, labels=range(num_classes))\n"),
            "precision_recall": (
                "import keras\n"
                "from nnlib import metrics as _nm\n"
                "def precision(y_true, y_pred):\n"
                "    return _nm.precision_score(y_true, y_pred)\n"
                "\n"
                "def recall(y_true, y_pred):\n"
                "    m = keras.metrics.Recall()\n"
                "    m.update_state(np.asarray(y_true, 'float32'), np.asarray(y_pred, 'float32'))\n"
                "    return float(m.result())\n"),
            "f1": (
                "from sklearn.metrics import f1_score as _f1\n"
                "def f1(y_true, y_pred):\n"
                "    return _f1(y_true, y_pred, zero_division=0)\n"),
            "macro_average": (
                "from nnlib import metrics as _nm\n"
                "def macro_average(y_true, y_pred, num_classes):\n"
                "    return _nm.precision_recall_fscore_support(\n"
                "        y_true, y_pred, labels=range(num_classes), average='macro')[:3]\n"),
            "threshold_for_recall": (
                "from sklearn.metrics import precision_recall_curve as _prc\n"
                "def threshold_for_recall(y_true, scores, target_recall):\n"
                "    p, r, t = _prc(y_true, scores)\n"
                "    return float(t[r[:-1] >= target_recall].max())\n"),
        },
        # the visible tests pass (the values are right); the hidden own-work checks fail them all
        scores={"test_confusion_matrix": 0, "test_precision_recall": 0, "test_f1": 0,
                "test_zero_division": 0, "test_macro": 0, "test_threshold": 0},
        hints={g: "calls a library's implementation"
               for g in ("test_confusion_matrix", "test_precision_recall", "test_f1",
                         "test_zero_division", "test_macro", "test_threshold")},
    ),
]
