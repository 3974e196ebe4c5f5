"""Shared test set-up: quiet TensorFlow, deterministic Keras, hypothesis profile."""
from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "course", deadline=None, max_examples=40, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("course")


@pytest.fixture(scope="session")
def keras():
    """Keras on TensorFlow, seeded and deterministic (imported only by the tests that use it)."""
    import keras as keras_module
    import tensorflow as tf

    keras_module.utils.set_random_seed(0)
    tf.config.experimental.enable_op_determinism()
    return keras_module
