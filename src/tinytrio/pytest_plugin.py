"""pytest plugin (entry point `pytest11`): session fixtures that build tiny artifacts on demand.

    def test_train_step(tiny_model):
        path = tiny_model("llama", hidden_size=32)
        model = AutoModelForCausalLM.from_pretrained(path)

Importing this module is cheap (no torch): it is loaded in every pytest session once tinytrio is
installed.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def tiny_model():
    """Factory: `tiny_model(source="llama", **options) -> Path` of a cached tiny model."""
    from .testing import tiny_model as factory

    return factory


@pytest.fixture(scope="session")
def tiny_dataset():
    """Factory: `tiny_dataset(source, **options) -> Path` of a cached tiny dataset."""
    from .testing import tiny_dataset as factory

    return factory
