"""Seeding and small helpers: ``set_random_seed`` mirrors ``keras.utils.set_random_seed``
(chapter 1, "What layers add: a decision surface")."""
from __future__ import annotations

import re

import numpy as np

_rng = np.random.default_rng()


def set_random_seed(seed: int) -> None:
    """Seed nnlib's global random generator (weight initialisation, shuffling, dropout).

    Chapter 1 uses it so that every run of a notebook draws the same initial weights
    (chapter 1, "What layers add: a decision surface").
    """
    global _rng
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    _rng = np.random.default_rng(int(seed))


def global_rng() -> np.random.Generator:
    """Return the generator that unseeded initialisers, shuffles and dropout draw from, the one
    ``set_random_seed`` seeds (chapter 1, "What layers add: a decision surface")."""
    return _rng


def make_rng(seed: int | None) -> np.random.Generator:
    """A generator of its own for an explicit ``seed``, else the global one: how
    ``fit(..., seed=0)`` shuffles (chapter 3, "Minibatches")."""
    return global_rng() if seed is None else np.random.default_rng(seed)


def to_snake_case(name: str) -> str:
    """``"LeakyReLU"`` → ``"leaky_re_lu"``, the way Keras derives default layer names, as
    ``model.summary()`` shows them (chapter 1, "The same network in nnlib and in Keras")."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
