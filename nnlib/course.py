"""The course environment: quiet TensorFlow, warning filters and seeds, set up in one place.

Chapters, exercise notebooks, ``nbgrader_config.py``, the test suite and the benchmark all start
with the same few settings. They live here so that none of them copies (and drifts from) another:

* TensorFlow writes C++ log lines and a oneDNN banner to stderr when it is imported, and Keras'
  ``fit`` logs an ERROR-level tf.data notice. nbgrader scores a cell 0 when anything reaches stderr,
  and the book's build fails on it, so ``TF_ENVIRONMENT`` must be in ``os.environ`` *before*
  TensorFlow is imported (level 3: level 2 still lets the tf.data line through).
* Python warnings (a Keras ``UserWarning``, a ``DeprecationWarning`` from a dependency) would reach
  stderr too.
* Every page and every grading run should show the same numbers: ``seed_all`` seeds nnlib and,
  when it is imported, Keras.

Use ``nnlib.course.setup(seed=0)`` as the first line of a notebook (chapter 1, "The same network
in nnlib and in Keras").
"""
from __future__ import annotations

import os
import sys
import warnings

from .utils import set_random_seed

#: Environment variables that keep TensorFlow quiet; they act only if set before it is imported.
TF_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def quiet_tensorflow(environ: "os._Environ[str] | dict[str, str] | None" = None) -> None:
    """Put ``TF_ENVIRONMENT`` into ``environ`` (``os.environ`` by default), keeping values already
    set; child processes, e.g. Jupyter kernels, inherit them (chapter 1, "The same network in nnlib
    and in Keras")."""
    target = os.environ if environ is None else environ
    for key, value in TF_ENVIRONMENT.items():
        target.setdefault(key, value)


def silence_warnings(category: type[Warning] = Warning) -> None:
    """Hide Python warnings of ``category`` (all by default), which would reach stderr
    (chapter 1, "The same network in nnlib and in Keras")."""
    warnings.filterwarnings("ignore", category=category)


def seed_all(value: int) -> None:
    """Seed nnlib's generator and, if Keras is already imported, Keras' (Python, numpy and
    TensorFlow) (chapter 1, "The same network in nnlib and in Keras")."""
    set_random_seed(value)
    keras = sys.modules.get("keras")
    if keras is not None:
        keras.utils.set_random_seed(value)


def setup(seed: int | None = None, ignore: type[Warning] | None = Warning) -> None:
    """The first line of every chapter and exercise: quiet TensorFlow, warnings of category
    ``ignore`` hidden (all by default; ``None`` keeps them), and with ``seed`` seeded generators
    (chapter 1, "The same network in nnlib and in Keras").

    Chapters hide only ``DeprecationWarning`` (a warning nnlib raises on purpose should show and
    fail the build); exercises and grading kernels hide all, since nbgrader scores stderr as
    failure.
    """
    quiet_tensorflow()
    if ignore is not None:
        silence_warnings(ignore)
    if seed is not None:
        seed_all(seed)
