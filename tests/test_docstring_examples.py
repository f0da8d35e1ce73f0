"""The examples in the package's docstrings (``>>>``) still run and print what they say."""

import doctest
import importlib

import pytest

MODULES = ["relulab.activations", "relulab.data", "relulab.experiments.detector", "relulab.experiments.models",
           "relulab.widgets.core", "relulab.experiments.showdown"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
