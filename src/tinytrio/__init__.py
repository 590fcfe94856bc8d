"""tinytrio: tiny random models, tiny tokenizers and tiny datasets, offline and deterministic.

    from tinytrio import make_tiny_model, shrink_tokenizer, check
    result = make_tiny_model("llama", "out/tiny-llama", hidden_size=64, seed=0)

Heavy libraries (torch, transformers) are imported only when a function needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import CheckFailed, TinyError  # noqa: E402

__all__ = ["make_tiny_model", "shrink_tokenizer", "make_tiny_dataset", "check", "shrink_config",
           "TinyError", "CheckFailed", "__version__"]


def __getattr__(name: str):
    if name == "make_tiny_model":
        from .model.build import make_tiny_model

        return make_tiny_model
    if name == "shrink_tokenizer":
        from .tokenizer import shrink_tokenizer

        return shrink_tokenizer
    if name == "check":
        from .check import check

        return check
    if name == "make_tiny_dataset":
        from .dataset import make_tiny_dataset

        return make_tiny_dataset
    if name == "shrink_config":
        from .model.shrink import shrink_config

        return shrink_config
    raise AttributeError(f"module 'tinytrio' has no attribute {name!r}")
