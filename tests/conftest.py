"""Shared test set-up: quiet TensorFlow, deterministic Keras, hypothesis profile."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from nnlib import course

course.quiet_tensorflow()  # before any test imports TensorFlow

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
