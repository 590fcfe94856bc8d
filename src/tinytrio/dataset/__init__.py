"""Tiny datasets: a few real rows of every split, media shrunk, written in the Hub's layout.

    from tinytrio.dataset import make_tiny_dataset, unpack_dataset, pack_dataset
    make_tiny_dataset("./big-corpus", "tiny-corpus", rows=100, sample="diverse")
    unpack_dataset("tiny-corpus", "records")            # one editable folder per record
    pack_dataset("records", "tiny-1k", rows=1000)       # grow those records to any size

Modules: `sources` (SOURCE → splits), `readers` (lazy Arrow streams), `sample` (first / random /
diverse), `media` (images, audio, video, texts), `save` (parquet + card + script), `subset`
(`make_tiny_dataset`), `unpack` (`unpack_dataset`, `pack_dataset`), `cli` (the typer group).
Imports are lazy: importing this package loads neither `datasets` nor `pyarrow`.
"""

from __future__ import annotations

__all__ = ["DatasetResult", "make_tiny_dataset", "pack_dataset", "unpack_dataset"]


def __getattr__(name: str):
    if name in ("make_tiny_dataset", "DatasetResult"):
        from . import subset

        return getattr(subset, name)
    if name in ("unpack_dataset", "pack_dataset"):
        from . import unpack

        return getattr(unpack, name)
    raise AttributeError(f"module 'tinytrio.dataset' has no attribute {name!r}")
