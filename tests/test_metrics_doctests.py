"""The examples in nnlib.metrics' docstrings run and show the numbers they print.

Every module of the package is run on its own (a new module is picked up, not skipped), must
hold examples — so the test cannot pass with nothing run — and every public name it exports
(``__all__``) must carry at least one example of its own.
"""
from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import numpy as np
import pytest

import nnlib.metrics
from nnlib.metrics import registry

MODULES = sorted(f"nnlib.metrics.{m.name}" for m in pkgutil.iter_modules(nnlib.metrics.__path__))


def run_doctests(module) -> tuple[doctest.TestResults, set[str], str]:
    """Run ``module``'s doctests; return the results, the names of the objects whose docstrings
    hold examples, and the report of any failure."""
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, module.__name__)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    with np.printoptions(precision=8, threshold=1000, linewidth=75, suppress=False,
                         floatmode="maxprec", sign="-", legacy=False):
        for test in tests:
            runner.run(test, out=out.write)
    with_examples = {t.name.removeprefix(module.__name__ + ".") for t in tests if t.examples}
    return runner.summarize(verbose=False), with_examples, out.getvalue()


def test_every_module_is_listed():
    assert set(MODULES) == {"nnlib.metrics.functional", "nnlib.metrics.curves",
                            "nnlib.metrics.stateful", "nnlib.metrics.confusion",
                            "nnlib.metrics.registry"}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, monkeypatch):
    module = importlib.import_module(name)
    # register()'s example adds a name: keep it out of the registry the other tests see
    monkeypatch.setattr(registry, "_NAMES", dict(registry._NAMES))
    results, with_examples, report = run_doctests(module)
    assert results.attempted > 0, f"{name} has no doctests"
    assert results.failed == 0, report
    missing = sorted(set(module.__all__) - with_examples)
    assert not missing, f"{name}: public names without a >>> example: {missing}"


def test_package_exports_the_modules_public_names():
    """``nnlib.metrics.X`` is the same object as ``nnlib.metrics.<module>.X`` for every public name
    of the modules, except the input checks that only the modules share."""
    shared_checks = {"as_arrays", "class_labels", "sample_weights", "ratio"}
    for name in MODULES:
        module = importlib.import_module(name)
        for public in set(module.__all__) - shared_checks - {"ResolvedByShape"}:
            assert getattr(nnlib.metrics, public) is getattr(module, public), public
            assert public in nnlib.metrics.__all__, public
