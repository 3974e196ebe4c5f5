"""Exercise 5 — Evaluating a classifier: writes solutions/ch05_metrics/evaluating_classifiers.ipynb.

Edit this file, never the notebook, then run `make solutions && make exercises`.
"""
from __future__ import annotations

from tools.nbtools import md, readonly, solution, tests

NOTEBOOK = "evaluating_classifiers.ipynb"

CELLS = [
    md(r"""
    # Exercise 5 — Evaluating a classifier

    This exercise goes with chapter 5 of *Neural Networks in Python*. You will write, with numpy only:

    1. a **confusion matrix** from true and predicted labels,
    2. **precision** and **recall**, and
    3. the **F1 score** of the positive class, from the counts TP, FP, FN,
    4. the same three when a ratio is **0/0**,
    5. **macro averaging** over several classes,
    6. the **threshold** that reaches a target recall.

    Write your code where it says `YOUR CODE HERE` (delete the `raise NotImplementedError()` line).
    Run each test cell after your answer: a failing test tells you what was expected, what came, and
    often what the usual mistake is. Press **Validate** in the toolbar before you submit.

    Your functions are graded by more tests than the ones you see, including comparisons with
    `sklearn.metrics` and `keras.metrics` on random labels. Calling scikit-learn's, Keras' or nnlib's own
    implementation earns no points: the point is to write it yourself.
    """, "intro"),
    readonly("setup", r'''
    # Run this cell first. It keeps TensorFlow quiet, loads numpy and the course's checks.
    from nnlib import course

    course.setup()

    import numpy as np
    from nnlib import testing as T

    np.set_printoptions(precision=4, suppress=True)
    '''),

    # --- 1. The confusion matrix ------------------------------------------------------------------
    md(r"""
    ## 1. The confusion matrix (3 points)

    Class labels are the integers $0, 1, \dots, K-1$. The confusion matrix $C$ of shape $(K, K)$ counts
    how often each true class was predicted as each class: $C_{ij}$ is the number of samples whose
    **true** class is $i$ (row) and whose **predicted** class is $j$ (column) — the layout of
    scikit-learn and TensorFlow. The diagonal holds the correct predictions. For two classes,
    with 1 the positive class,

    $$ C = \begin{pmatrix} \text{TN} & \text{FP} \\ \text{FN} & \text{TP} \end{pmatrix}. $$

    Write `confusion_matrix(y_true, y_pred, num_classes)` returning an integer array of shape
    `(num_classes, num_classes)`. A class that never occurs still gets its row and column (of zeros).
    """, "task_confusion"),
    solution("confusion_matrix", r'''
    def confusion_matrix(y_true, y_pred, num_classes):
        """Counts C[i, j] of samples with true class i predicted as class j."""
        ### BEGIN SOLUTION
        y_true = np.asarray(y_true).astype(int)
        y_pred = np.asarray(y_pred).astype(int)
        cm = np.zeros((num_classes, num_classes), dtype=int)
        np.add.at(cm, (y_true, y_pred), 1)
        return cm
        ### END SOLUTION
    '''),
    tests("test_confusion_matrix", 3, r'''
    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 0, 1, 2])
    y_pred = np.array([0, 1, 1, 1, 0, 2, 1, 0, 1, 0])
    expected = np.array([[2, 1, 0],
                         [1, 3, 0],
                         [1, 1, 1]])
    _cm_hints = {
        "rows and columns are swapped: C[i, j] counts TRUE class i (row) predicted as class j "
        "(column), so C.sum(axis=1) is the number of samples of each true class.": expected.T,
        "each sample must be counted once, in the cell (true class, predicted class); only the "
        "diagonal (the correct predictions) is filled.": np.diag(np.diag(expected)),
    }
    T.check_array(T.call(confusion_matrix, y_true, y_pred, 3), expected,
                  "confusion_matrix(y_true, y_pred, 3)", mistakes=_cm_hints,
                  shape_hint="the matrix has one row and one column per class: (num_classes, num_classes).")
    # class 3 never occurs: it still has a row and a column
    T.check_array(T.call(confusion_matrix, y_true, y_pred, 4), np.pad(expected, ((0, 1), (0, 1))),
                  "confusion_matrix(y_true, y_pred, 4)",
                  shape_hint="use num_classes for the shape, not the largest label that occurs: a class "
                             "that never occurs still gets a row and a column of zeros.")
    # the binary layout [[TN, FP], [FN, TP]]
    T.check_array(T.call(confusion_matrix, [1, 1, 1, 0, 0, 0, 0, 1], [1, 0, 1, 0, 1, 0, 0, 1], 2),
                  [[3, 1], [1, 3]], "confusion_matrix of a binary task")
    print("confusion_matrix: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import tensorflow as tf
    from sklearn.metrics import confusion_matrix as _sk_confusion_matrix

    _rng = np.random.default_rng(501)
    for _k, _n in [(2, 1), (2, 50), (5, 200), (7, 30), (10, 1000)]:
        _present = _rng.choice(_k, size=max(1, _k - 2), replace=False)   # some classes never occur
        _t = _rng.choice(_present, size=_n)
        _p = _rng.integers(0, _k, size=_n)
        _got = T.assert_own_work(confusion_matrix, _t, _p, _k, name="confusion_matrix")
        T.check_array(_got, _sk_confusion_matrix(_t, _p, labels=range(_k)),
                      f"confusion_matrix with {_k} classes and {_n} samples (scikit-learn)")
        T.check_array(_got, tf.math.confusion_matrix(_t, _p, num_classes=_k).numpy(),
                      f"confusion_matrix with {_k} classes and {_n} samples (TensorFlow)")
    ### END HIDDEN TESTS
    '''),

    # --- 2. Precision and recall ------------------------------------------------------------------
    md(r"""
    ## 2. Precision and recall (3 points)

    From here on, task 2–4 are binary: the labels are 0 and 1, and **1 is the positive class** (in
    chapter 5: malignant). With the four counts of the confusion matrix,

    $$ \text{precision} = \frac{\text{TP}}{\text{TP} + \text{FP}}, \qquad
       \text{recall} = \frac{\text{TP}}{\text{TP} + \text{FN}}. $$

    Precision: of the samples predicted positive, the share that is positive. Recall (sensitivity):
    of the positive samples, the share that was found.

    Write `precision(y_true, y_pred)` and `recall(y_true, y_pred)`, each returning one number. (What
    to do when a denominator is 0 is task 4; you can already handle it here.)
    """, "task_precision_recall"),
    solution("precision_recall", r'''
    def precision(y_true, y_pred):
        """TP / (TP + FP) for the positive class 1."""
        ### BEGIN SOLUTION
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        tp = np.sum((y_true == 1) & (y_pred == 1))
        fp = np.sum((y_true == 0) & (y_pred == 1))
        return float(tp / (tp + fp)) if tp + fp > 0 else 0.0
        ### END SOLUTION


    def recall(y_true, y_pred):
        """TP / (TP + FN) for the positive class 1."""
        ### BEGIN SOLUTION
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        tp = np.sum((y_true == 1) & (y_pred == 1))
        fn = np.sum((y_true == 1) & (y_pred == 0))
        return float(tp / (tp + fn)) if tp + fn > 0 else 0.0
        ### END SOLUTION
    '''),
    tests("test_precision_recall", 3, r'''
    # TP = 3, FP = 1, FN = 2, TN = 4
    y_true = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    y_pred = np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    _swap = "precision and recall are swapped: precision = TP / (TP + FP) (of the predicted positives), recall = TP / (TP + FN) (of the true positives)."
    _pr_hints = {
        "precision": {_swap: 3 / 5, "that is the accuracy (TP + TN) / all, not the precision.": 0.7,
                      "that is the share of false positives FP / (TP + FP): precision counts the true ones.": 1 / 4},
        "recall": {_swap: 3 / 4, "that is the accuracy (TP + TN) / all, not the recall.": 0.7,
                   "that is the miss rate FN / (TP + FN): recall counts the positives that were found.": 2 / 5},
    }
    T.check_scalar(T.call(precision, y_true, y_pred), 3 / 4, "precision(y_true, y_pred)",
                   mistakes=_pr_hints["precision"])
    T.check_scalar(T.call(recall, y_true, y_pred), 3 / 5, "recall(y_true, y_pred)",
                   mistakes=_pr_hints["recall"])
    # labels given as a list of floats, as model outputs often are
    T.check_scalar(T.call(precision, [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]), 2 / 3, "precision on float labels",
                   mistakes={_swap: 1.0})
    print("precision, recall: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras
    from sklearn.metrics import precision_score as _sk_p, recall_score as _sk_r

    _rng = np.random.default_rng(502)
    for _n, _prev in [(2, 0.5), (20, 0.3), (200, 0.05), (1000, 0.6)]:
        _t = (_rng.random(_n) < _prev).astype(int)
        _p = np.where(_rng.random(_n) < 0.7, _t, 1 - _t)
        _t[0], _p[0] = 1, 1                       # no zero denominators here (that is task 4)
        _got_p = T.assert_own_work(precision, _t, _p, name="precision")
        _got_r = T.assert_own_work(recall, _t, _p, name="recall")
        T.check_scalar(_got_p, _sk_p(_t, _p), f"precision on {_n} random labels (scikit-learn)", rtol=1e-9)
        T.check_scalar(_got_r, _sk_r(_t, _p), f"recall on {_n} random labels (scikit-learn)", rtol=1e-9)
        for _cls, _got in ((keras.metrics.Precision, _got_p), (keras.metrics.Recall, _got_r)):
            T.check_scalar(_got, T.keras_metric(_cls(), _t, _p), f"{_cls.__name__} on {_n} labels (Keras)",
                           rtol=1e-5)
    ### END HIDDEN TESTS
    '''),

    # --- 3. The F1 score --------------------------------------------------------------------------
    md(r"""
    ## 3. The F1 score (2 points)

    F1 is the harmonic mean of precision $P$ and recall $R$; in counts it needs neither ratio:

    $$ F_1 = \frac{2PR}{P + R} = \frac{2\,\text{TP}}{2\,\text{TP} + \text{FP} + \text{FN}}. $$

    Write `f1(y_true, y_pred)` for the positive class 1, returning one number.
    """, "task_f1"),
    solution("f1", r'''
    def f1(y_true, y_pred):
        """2·TP / (2·TP + FP + FN) for the positive class 1."""
        ### BEGIN SOLUTION
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        tp = np.sum((y_true == 1) & (y_pred == 1))
        fp = np.sum((y_true == 0) & (y_pred == 1))
        fn = np.sum((y_true == 1) & (y_pred == 0))
        return float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn > 0 else 0.0
        ### END SOLUTION
    '''),
    tests("test_f1", 2, r'''
    y_true = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    y_pred = np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 0])   # P = 3/4, R = 3/5
    T.check_scalar(T.call(f1, y_true, y_pred), 2 / 3, "f1(y_true, y_pred)", mistakes={
        "that is the arithmetic mean (P + R) / 2; F1 is the harmonic mean 2PR / (P + R).": 0.675,
        "that is the geometric mean sqrt(P·R); F1 is the harmonic mean 2PR / (P + R).": np.sqrt(0.45),
        "the factor 2 is missing: F1 = 2PR / (P + R).": 1 / 3,
        "that is the accuracy (TP + TN) / all, not F1.": 0.7,
    })
    T.check_scalar(T.call(f1, [1, 0, 1, 1], [1, 1, 1, 1]), 6 / 7, "f1 when everything is predicted positive")
    print("f1: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras
    from sklearn.metrics import f1_score as _sk_f1

    _rng = np.random.default_rng(503)
    for _n, _prev in [(3, 0.5), (40, 0.2), (500, 0.5)]:
        _t = (_rng.random(_n) < _prev).astype(int)
        _p = np.where(_rng.random(_n) < 0.75, _t, 1 - _t)
        _t[0], _p[0] = 1, 1                       # TP > 0: no 0/0 here (that is task 4)
        _got = T.assert_own_work(f1, _t, _p, name="f1")
        T.check_scalar(_got, _sk_f1(_t, _p), f"f1 on {_n} random labels (scikit-learn)", rtol=1e-9)
        _keras_f1 = T.keras_metric(keras.metrics.F1Score(average="micro", threshold=0.5),
                                   _t[:, None], _p[:, None])
        T.check_scalar(_got, _keras_f1, f"f1 on {_n} random labels (Keras F1Score)", rtol=1e-5)
    ### END HIDDEN TESTS
    '''),

    # --- 4. When a ratio is 0/0 -------------------------------------------------------------------
    md(r"""
    ## 4. When a ratio is 0/0 (2 points)

    A model that predicts nobody positive has TP + FP = 0: its precision is $0/0$. A batch without
    positive samples has TP + FN = 0. scikit-learn (with `zero_division=0`) and Keras both return
    **0** for such an undefined ratio, and so should your functions — without crashing and without
    returning `nan`. The same holds for F1 when TP = 0 (then $P = R = 0$, and $2PR/(P+R)$ is $0/0$).

    There is no new function to write: this cell tests `precision`, `recall` and `f1` on such cases.
    Make them return 0.0 there.
    """, "task_zero_division"),
    tests("test_zero_division", 2, r'''
    _zero_hints = {"ZeroDivisionError": "division by zero: when a denominator (TP + FP, TP + FN, or "
                                        "P + R) is 0 the ratio is undefined; return 0.0 in that case, "
                                        "as scikit-learn (zero_division=0) and Keras do."}


    def _check_zero_case(func, y_true, y_pred, what):
        got = T.call(func, y_true, y_pred, error_hints=_zero_hints, name=func.__name__)
        try:
            is_nan = float(got) != float(got)
        except (TypeError, ValueError):
            is_nan = False
        if is_nan:
            raise T.GradingError(f"{func.__name__} returned nan {what}. Hint: 0/0 is undefined; return "
                                 "0.0 when the denominator is 0, as scikit-learn and Keras do.")
        T.check_scalar(got, 0.0, f"{func.__name__} {what}")


    _check_zero_case(precision, [1, 1, 0, 0], [0, 0, 0, 0], "when nothing is predicted positive")
    _check_zero_case(recall, [0, 0, 0, 0], [1, 0, 1, 0], "when there is no positive sample")
    _check_zero_case(f1, [1, 1, 0, 0], [0, 0, 1, 0], "when TP = 0 (P = R = 0)")
    _check_zero_case(f1, [0, 0, 0], [0, 0, 0], "when there is no positive sample and none predicted")
    # and the defined cases still work
    T.check_scalar(T.call(recall, [1, 1, 0, 0], [0, 0, 0, 0]), 0.0, "recall when nothing is predicted positive")
    T.check_scalar(T.call(precision, [0, 0, 0, 0], [1, 0, 1, 0]), 0.0, "precision when there is no positive sample")
    print("zero division: visible tests passed")
    ### BEGIN HIDDEN TESTS
    from sklearn.metrics import precision_recall_fscore_support as _sk_prf

    for _t, _p in [([0], [0]), ([1], [0]), ([0], [1]), ([1, 1, 1], [0, 0, 0]), ([0, 0, 1], [1, 1, 0])]:
        _expected = _sk_prf(_t, _p, average="binary", zero_division=0)[:3]
        for _func, _e in zip((precision, recall, f1), _expected):
            _got = T.assert_own_work(T.call, _func, np.array(_t), np.array(_p), error_hints=_zero_hints,
                                     name=_func.__name__)
            T.check_scalar(_got, _e, f"{_func.__name__}({_t}, {_p}) (scikit-learn, zero_division=0)")
    ### END HIDDEN TESTS
    '''),

    # --- 5. Macro averaging -----------------------------------------------------------------------
    md(r"""
    ## 5. Macro averaging (3 points)

    With $K$ classes, each class $c$ has its own precision, recall and F1: treat $c$ as the positive
    class and all others as negative (TP = samples of class $c$ predicted $c$, FP = other samples
    predicted $c$, FN = samples of class $c$ predicted otherwise). The **macro** average is the plain
    mean of the $K$ per-class values: every class counts the same, however rare.

    Write `macro_average(y_true, y_pred, num_classes)` returning the tuple
    `(macro_precision, macro_recall, macro_f1)`, where `macro_f1` is the mean of the per-class F1
    scores. Every class $0, \dots, K-1$ counts, also one that never occurs; an undefined ratio (0/0)
    is 0, as in task 4.
    """, "task_macro"),
    solution("macro_average", r'''
    def macro_average(y_true, y_pred, num_classes):
        """(precision, recall, F1), each the unweighted mean over the classes 0 … num_classes − 1."""
        ### BEGIN SOLUTION
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        precisions, recalls, f1s = [], [], []
        for c in range(num_classes):
            tp = np.sum((y_true == c) & (y_pred == c))
            fp = np.sum((y_true != c) & (y_pred == c))
            fn = np.sum((y_true == c) & (y_pred != c))
            precisions.append(tp / (tp + fp) if tp + fp > 0 else 0.0)
            recalls.append(tp / (tp + fn) if tp + fn > 0 else 0.0)
            f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn > 0 else 0.0)
        return float(np.mean(precisions)), float(np.mean(recalls)), float(np.mean(f1s))
        ### END SOLUTION
    '''),
    tests("test_macro", 3, r'''
    # 4 classes; class 3 never occurs, class 2 is rare and never found
    y_true = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 2])
    y_pred = np.array([0, 0, 0, 0, 1, 1, 1, 1, 0, 0])
    per_class_p = np.array([4 / 6, 2 / 4, 0.0, 0.0])
    per_class_r = np.array([4 / 6, 2 / 3, 0.0, 0.0])
    per_class_f = np.array([2 / 3, 4 / 7, 0.0, 0.0])
    expected = [per_class_p.mean(), per_class_r.mean(), per_class_f.mean()]
    _support = np.array([6, 3, 1, 0])
    _mp, _mr = per_class_p.mean(), per_class_r.mean()
    _macro_hints = {
        "that is the micro average (all classes' counts summed first, which equals the accuracy). "
        "Macro: compute precision, recall and F1 for each class, then take their plain mean.": [0.6, 0.6, 0.6],
        "you averaged only over the classes that occur; every class 0 … num_classes − 1 counts, and "
        "one that never occurs contributes 0.": [per_class_p[:3].mean(), per_class_r[:3].mean(), per_class_f[:3].mean()],
        "that is the weighted average (by support); macro is the plain mean over classes.":
            [np.average(per_class_p, weights=_support), np.average(per_class_r, weights=_support),
             np.average(per_class_f, weights=_support)],
        "macro F1 is the mean of the per-class F1 scores, not the harmonic mean of macro precision "
        "and macro recall.": [_mp, _mr, 2 * _mp * _mr / (_mp + _mr)],
    }
    T.check_array(T.call(macro_average, y_true, y_pred, 4), expected, "macro_average(y_true, y_pred, 4)",
                  mistakes=_macro_hints,
                  shape_hint="return the three numbers (macro_precision, macro_recall, macro_f1).")
    T.check_array(T.call(macro_average, [0, 1, 2], [0, 1, 2], 3), [1.0, 1.0, 1.0], "macro_average of a perfect prediction")
    print("macro_average: visible tests passed")
    ### BEGIN HIDDEN TESTS
    import keras
    from sklearn.metrics import precision_recall_fscore_support as _sk_prf

    _rng = np.random.default_rng(505)
    for _k, _n in [(2, 30), (3, 1), (5, 100), (10, 400)]:
        _present = _rng.choice(_k, size=max(1, _k - 1), replace=False)   # one class may never occur
        _t = _rng.choice(_present, size=_n)
        _p = np.where(_rng.random(_n) < 0.6, _t, _rng.integers(0, _k, size=_n))
        _got = T.assert_own_work(macro_average, _t, _p, _k, name="macro_average")
        _expected = _sk_prf(_t, _p, labels=range(_k), average="macro", zero_division=0)[:3]
        T.check_array(_got, _expected, f"macro_average with {_k} classes, {_n} samples (scikit-learn)",
                      rtol=1e-9, atol=1e-12)
        _keras_f1 = T.keras_metric(keras.metrics.F1Score(average="macro"), np.eye(_k)[_t], np.eye(_k)[_p])
        T.check_scalar(np.asarray(_got, dtype=float)[2], _keras_f1,
                       f"macro F1 with {_k} classes (Keras F1Score)", rtol=1e-5, atol=1e-6)
    ### END HIDDEN TESTS
    '''),

    # --- 6. A threshold for a target recall -------------------------------------------------------
    md(r"""
    ## 6. A threshold for a target recall (2 points)

    A network outputs a score — the probability of the positive class — and a **threshold** $t$ turns
    it into a decision: **positive when score $\ge t$**. Lowering $t$ finds more positives (higher
    recall) at the price of more false alarms. For a screening test we want a guaranteed recall, and
    among the thresholds that reach it the **largest** one (the fewest false alarms).

    Write `threshold_for_recall(y_true, scores, target_recall)`: consider as candidates the scores
    that occur, and return the largest candidate $t$ for which the rule "positive when score $\ge t$"
    has a recall of at least `target_recall`. `y_true` holds at least one positive sample.
    """, "task_threshold"),
    solution("threshold_for_recall", r'''
    def threshold_for_recall(y_true, scores, target_recall):
        """The largest score t such that "positive when score >= t" reaches the target recall."""
        ### BEGIN SOLUTION
        y_true = np.asarray(y_true)
        scores = np.asarray(scores, dtype=float)
        positives = np.sum(y_true == 1)
        best = None
        for t in np.unique(scores):                       # increasing
            found = np.sum((scores >= t) & (y_true == 1))
            if found / positives >= target_recall:
                best = t
        return float(best)
        ### END SOLUTION
    '''),
    tests("test_threshold", 2, r'''
    y_true = np.array([0, 0, 1, 0, 1, 1, 0, 1, 1, 0])
    scores = np.array([0.05, 0.2, 0.3, 0.35, 0.5, 0.6, 0.65, 0.8, 0.9, 0.4])


    def _strict(y, s, target):       # what "score > t" gives
        cands = [t for t in np.unique(s) if np.sum((s > t) & (y == 1)) / np.sum(y == 1) >= target]
        return max(cands) if cands else None


    _t_hints = lambda y, s, target: {
        "the rule is 'positive when score >= t' (greater than OR EQUAL): with 'score > t' the sample "
        "whose score is exactly t is not counted, and your threshold ends up one score too low.":
            lambda: _strict(y, s, target),
        "return the LARGEST threshold that reaches the target recall (the fewest false alarms), not "
        "the smallest score.": float(np.min(s)),
    }
    for target, expected in [(0.8, 0.5), (1.0, 0.3), (0.6, 0.6), (0.4, 0.8)]:
        T.check_scalar(T.call(threshold_for_recall, y_true, scores, target), expected,
                       f"threshold_for_recall(y_true, scores, {target})",
                       mistakes=_t_hints(y_true, scores, target))
    print("threshold_for_recall: visible tests passed")
    ### BEGIN HIDDEN TESTS
    from sklearn.metrics import precision_recall_curve as _sk_prc

    _rng = np.random.default_rng(506)
    for _n, _decimals, _target in [(20, 1, 0.9), (200, 2, 0.95), (500, 3, 0.5), (50, 1, 1.0), (8, 2, 0.3)]:
        _y = (_rng.random(_n) < 0.4).astype(int)
        _y[0] = 1
        _s = np.round(np.clip(0.3 * _y + 0.7 * _rng.random(_n), 0, 1), _decimals)   # with ties
        _prec, _rec, _thr = _sk_prc(_y, _s)
        _expected = _thr[_rec[:-1] >= _target].max()
        _got = T.assert_own_work(threshold_for_recall, _y, _s, _target, name="threshold_for_recall")
        T.check_scalar(_got, _expected, f"threshold_for_recall on {_n} scores, target {_target} "
                       "(scikit-learn's precision_recall_curve)", mistakes=_t_hints(_y, _s, _target))
    ### END HIDDEN TESTS
    '''),
    md(r"""
    ## Before you submit

    Restart the kernel and run all cells (*Kernel → Restart Kernel and Run All Cells…*), then press
    **Validate**. Every test cell should print its "visible tests passed" line.
    """, "outro"),
]
