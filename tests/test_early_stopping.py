"""nnlib.callbacks.EarlyStopping against keras.callbacks.EarlyStopping on the same histories
(chapter 4)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import callbacks, layers


class _FakeModel:
    """Holds weights and stop_training: all EarlyStopping touches, in nnlib and in Keras."""

    def __init__(self) -> None:
        self.stop_training = False
        self.weights = [np.zeros(1)]
        self.restored: list[np.ndarray] | None = None

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.restored = [np.array(w) for w in weights]


def replay(callback, values, monitor):
    """Feed ``values`` epoch by epoch as fit would; returns (last epoch run, restored weights)."""
    model = _FakeModel()
    callback.set_model(model)
    callback.on_train_begin()
    last = None
    for epoch, value in enumerate(values):
        model.weights = [np.array([float(epoch)])]  # the weights "of" each epoch
        callback.on_epoch_end(epoch, {monitor: value, "other": 0.0})
        last = epoch
        if model.stop_training:
            break
    callback.on_train_end()
    restored = None if model.restored is None else int(model.restored[0][0])
    return last, restored, callback.stopped_epoch, callback.best_epoch


# NaN included: a diverged epoch, which Keras treats like any value (never an improvement on a
# number, and a first NaN becomes the "best" that nothing beats)
HISTORIES = st.lists(st.one_of(st.floats(0.0, 2.0, allow_nan=False, width=32),
                               st.just(float("nan"))), min_size=1, max_size=25)


@settings(max_examples=60)
@given(values=HISTORIES, patience=st.integers(0, 5), min_delta=st.sampled_from([0.0, 0.01, 0.1]),
       mode=st.sampled_from(["min", "max"]), restore=st.booleans(),
       baseline=st.sampled_from([None, 0.5, 1.0]), start=st.sampled_from([0, 0, 2]),
       steps=st.booleans())
def test_stops_at_the_same_epoch_as_keras(keras, values, patience, min_delta, mode, restore,
                                          baseline, start, steps):
    if steps:  # plateaus: exact ties, where "improved by min_delta" matters
        values = [v if v != v else round(v, 1) for v in values]
    kwargs = dict(monitor="val_loss", patience=patience, min_delta=min_delta, mode=mode,
                  restore_best_weights=restore, baseline=baseline, start_from_epoch=start)
    ours = replay(callbacks.EarlyStopping(**kwargs), values, "val_loss")
    theirs = replay(keras.callbacks.EarlyStopping(**kwargs), values, "val_loss")
    assert ours == theirs


@pytest.mark.parametrize("monitor,values,expected_stop", [
    ("val_loss", [1.0, 0.8, 0.9, 0.85, 0.95, 0.7], 3),   # patience 2: stops at epoch index 3
    ("loss", [1.0, 0.9, 0.8, 0.7, 0.6, 0.5], None),      # always improving: never stops
])
def test_auto_mode_on_losses_like_keras(keras, monitor, values, expected_stop):
    ours = replay(callbacks.EarlyStopping(monitor=monitor, patience=2), values, monitor)
    theirs = replay(keras.callbacks.EarlyStopping(monitor=monitor, patience=2), values, monitor)
    assert ours == theirs
    assert ours[2] == (expected_stop or 0)


def test_auto_mode_maximises_accuracy():
    es = callbacks.EarlyStopping(monitor="val_accuracy", patience=1)
    assert es.mode == "max"
    last, *_ = replay(es, [0.5, 0.7, 0.6, 0.65, 0.9], "val_accuracy")
    assert last == 2  # 0.6 < 0.7: one epoch without improvement is the patience


def test_restore_best_weights_in_a_real_fit():
    """nnlib fit: stops, and the model ends with the weights of the best validation epoch."""
    nnlib.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 8)).astype(np.float32)
    y = rng.normal(size=(30, 1)).astype(np.float32)  # pure noise: validation loss soon rises
    model = nnlib.Sequential([nnlib.Input((8,)), layers.Dense(64, activation="relu"),
                              layers.Dense(1)])
    model.compile(nnlib.optimizers.Adam(0.01), "mse")
    snapshots = []

    class Snapshot(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append(model.get_weights())

    es = callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    xv, yv = x[:10] + 0.5, rng.normal(size=(10, 1)).astype(np.float32)
    history = model.fit(x, y, epochs=200, verbose=0, validation_data=(xv, yv),
                        callbacks=[Snapshot(), es])
    val = history.history["val_loss"]
    assert len(val) < 200 and es.stopped_epoch == len(val) - 1
    assert es.best_epoch == int(np.argmin(val))
    assert len(val) - 1 - es.best_epoch == 3  # patience epochs without improvement
    for a, b in zip(model.get_weights(), snapshots[es.best_epoch]):
        np.testing.assert_array_equal(a, b)
    assert model.evaluate(xv, yv) == pytest.approx(min(val), rel=1e-5)


def test_unknown_monitor_is_a_clear_error():
    es = callbacks.EarlyStopping(monitor="val_acc")
    es.set_model(_FakeModel())
    es.on_train_begin()
    with pytest.raises(ValueError, match="monitors 'val_acc', which fit did not log"):
        es.on_epoch_end(0, {"loss": 1.0})
