import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FIXTURES = Path(__file__).parent / "fixtures"
CONFIGS = sorted((FIXTURES / "configs").glob("*.json"))


@pytest.fixture(scope="session")
def configs_dir() -> Path:
    return FIXTURES / "configs"
