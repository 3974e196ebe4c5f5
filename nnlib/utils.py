"""Seeding and small helpers: ``set_random_seed`` mirrors ``keras.utils.set_random_seed``
(chapter 1, "What layers add: a decision surface")."""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

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


def resolve(identifier: Any, names: Mapping[str, Callable[[], Any]], kinds: type | tuple[type, ...],
            what: str, described: str) -> Any:
    """What ``compile`` and the layers do with ``"adam"``, ``"mse"``, ``"he_normal"`` …: an
    instance of ``kinds`` is used as given, a name in ``names`` makes a fresh object with Keras'
    defaults, anything else is a clear error (chapter 3, "The whole workflow, in nnlib and in
    Keras").

    >>> resolve("one", {"one": lambda: 1}, int, "number", "an int")
    1
    >>> resolve("two", {"one": lambda: 1}, int, "number", "an int")
    Traceback (most recent call last):
    ...
    ValueError: Unknown number 'two'; expected one of ['one']
    """
    if isinstance(identifier, kinds):
        return identifier
    if isinstance(identifier, str):
        try:
            return names[identifier]()
        except KeyError:
            raise ValueError(f"Unknown {what} {identifier!r}; expected one of {sorted(names)}") from None
    raise TypeError(f"{what} must be a name or {described}, got {type(identifier).__name__}")
