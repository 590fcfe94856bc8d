"""Tiny models and datasets on demand for test suites, cached and offline.

Without pytest (unittest, scripts):

    from tinytrio.testing import tiny_model, tiny_dataset
    path = tiny_model("llama", hidden_size=32)          # a directory from_pretrained loads
    data = tiny_dataset("corpus.jsonl", rows=20)         # a directory load_dataset loads

With pytest, installing tinytrio registers the plugin `tinytrio.pytest_plugin`, whose session
fixtures `tiny_model` and `tiny_dataset` are these functions. The first call builds into the
cache (`TINYTRIO_CACHE`, default ~/.cache/tinytrio); later calls, in any process, return the
cached directory in milliseconds.
"""

from __future__ import annotations

from pathlib import Path

from .cache import cached


def tiny_model(source: str = "llama", **options) -> Path:
    """Path to a tiny model built from `source` with `make_tiny_model` options (cached)."""

    def build(out: Path) -> None:
        from .model.build import make_tiny_model

        make_tiny_model(source, out, force=True, **options)

    return cached("model", source, options, build)


def tiny_dataset(source: str, **options) -> Path:
    """Path to a tiny dataset built from `source` with `make_tiny_dataset` options (cached)."""

    def build(out: Path) -> None:
        from .dataset import make_tiny_dataset

        make_tiny_dataset(source, out, force=True, **options)

    return cached("dataset", source, options, build)
