"""Lazy row streams over one split: each yields pyarrow Tables, reading only as far as it is pulled.

A `Split` knows its features (when the source declares them), how to open a fresh stream of
Arrow tables, and — for parquet — its row count and random access by row index, read from the
footer and row groups, never the whole file. Line formats (JSON lines, CSV, text) parse a chunk
at a time and stop when the caller stops pulling. Hub ids and folders that `datasets` loads
(imagefolder, audiofolder …) go through `datasets` streaming with decoding off, so media stay
as stored bytes.

Left out: a `.json` holding one big JSON array (or `{"data": [...]}`) is parsed whole — JSON has
no cheap way to stop early there; compressed line files are not read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import SourceError

CHUNK = 1024  # rows per table that a line reader yields


@dataclass
class Split:
    """One split of a source: `open()` gives a fresh lazy iterator of Arrow tables."""

    name: str
    open: Callable[[int], Iterator[pa.Table]]  # argument: a hint of how many rows are wanted
    features: object | None = None  # datasets.Features, or None to infer from the rows read
    num_rows: int | None = None
    take: Callable[[list[int]], pa.Table] | None = None  # random access, sorted indices
    base_dir: Path | None = None  # where relative media paths resolve
    label: str = ""
    extra: dict = field(default_factory=dict)


def one_line(e: BaseException) -> str:
    """An exception's message on one line (pyarrow's span several)."""
    return " ".join(str(e).split()) or type(e).__name__


def features_of_schema(schema: pa.Schema):
    from datasets import Features

    return Features.from_arrow_schema(schema)


# ----------------------------------------------------------------------------- parquet


def _parquet_file(path: Path) -> pq.ParquetFile:
    try:
        # a buffered stream, not the whole column chunk: the first rows of a huge row group
        # cost a few pages, not the group
        return pq.ParquetFile(path, buffer_size=1 << 20, pre_buffer=False)
    except (pa.ArrowException, OSError) as e:
        raise SourceError(f"{path} is not a readable parquet file ({one_line(e)})") from e


def parquet_split(name: str, files: list[Path]) -> Split:
    """Footers only are read here; row groups are read when the stream is pulled."""
    pfs = [_parquet_file(p) for p in files]
    schema = pfs[0].schema_arrow
    for p, pf in zip(files, pfs):
        if pf.schema_arrow.remove_metadata() != schema.remove_metadata():
            raise SourceError(f"{p} has columns {pf.schema_arrow.names}, unlike {files[0]} "
                              f"({schema.names}); give files of one dataset")
    counts = [pf.metadata.num_rows for pf in pfs]

    def open_(want: int) -> Iterator[pa.Table]:
        batch = max(16, min(want, 8192))
        for pf in pfs:
            for b in pf.iter_batches(batch_size=batch, use_threads=False):
                yield pa.Table.from_batches([b], schema=b.schema)

    def take(indices: list[int]) -> pa.Table:
        # map each global index to (file, row group, offset); read each needed row group once
        parts, starts = [], []
        acc = 0
        for pf in pfs:
            for rg in range(pf.num_row_groups):
                starts.append((acc, pf, rg))
                acc += pf.metadata.row_group(rg).num_rows
        j = 0
        for k, (start, pf, rg) in enumerate(starts):
            end = starts[k + 1][0] if k + 1 < len(starts) else acc
            local = []
            while j < len(indices) and indices[j] < end:
                local.append(indices[j] - start)
                j += 1
            if local:
                parts.append(pf.read_row_group(rg, use_threads=False).take(local))
        return pa.concat_tables(parts) if parts else schema.empty_table()

    return Split(name, open_, features_of_schema(schema), sum(counts), take,
                 base_dir=files[0].parent, label=", ".join(map(str, files)))


# ----------------------------------------------------------------------------- save_to_disk


def arrow_split(name: str, directory: Path) -> Split:
    """A `Dataset.save_to_disk` directory: Arrow IPC stream files, memory-mapped batch by batch."""
    try:
        state = json.loads((directory / "state.json").read_text())
        info = json.loads((directory / "dataset_info.json").read_text())
    except (OSError, ValueError) as e:
        raise SourceError(f"{directory} is not a readable save_to_disk directory ({e})") from e
    files = [directory / f["filename"] for f in state.get("_data_files", [])]
    from datasets import Features

    feats = Features.from_dict(info["features"]) if info.get("features") else None

    def open_(want: int) -> Iterator[pa.Table]:
        for f in files:
            try:
                with pa.memory_map(str(f)) as src:
                    reader = pa.ipc.open_stream(src)
                    for b in reader:
                        yield pa.Table.from_batches([b], schema=b.schema)
            except (pa.ArrowException, OSError) as e:
                raise SourceError(f"{f} is not a readable Arrow file ({one_line(e)})") from e

    return Split(name, open_, feats, base_dir=directory, label=str(directory))


# ----------------------------------------------------------------------------- line formats


def _tables_from_rows(rows: Iterator[dict]) -> Iterator[pa.Table]:
    chunk: list[dict] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) >= CHUNK:
            yield pa.Table.from_pylist(chunk)
            chunk = []
    if chunk:
        yield pa.Table.from_pylist(chunk)


def _json_rows(path: Path) -> Iterator[dict]:
    with open(path, "rb") as f:
        head = f.read(4096).lstrip()
    if head.startswith(b"["):  # one JSON array: no way to stop early
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as e:
            raise SourceError(f"{path} is not valid JSON ({e})") from e
        yield from data
        return
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as e:
                raise SourceError(f"{path} line {n} is not valid JSON ({e})") from e
            if not isinstance(row, dict):
                raise SourceError(f"{path} line {n} is not a JSON object")
            yield row


def _text_rows(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:  # like datasets' text loader: one row per line
        for line in f:
            yield {"text": line.rstrip("\n").rstrip("\r")}


def _csv_tables(path: Path, want: int) -> Iterator[pa.Table]:
    import pandas as pd

    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        with pd.read_csv(path, sep=sep, chunksize=max(16, min(want, 8192))) as reader:
            for df in reader:
                yield pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata()
    except (ValueError, pd.errors.ParserError) as e:
        raise SourceError(f"{path} is not a readable CSV file ({one_line(e)})") from e


LINE_FORMATS = {".jsonl": "json", ".json": "json", ".ndjson": "json", ".csv": "csv",
                ".tsv": "csv", ".txt": "text"}


def line_split(name: str, files: list[Path]) -> Split:
    kind = LINE_FORMATS[files[0].suffix.lower()]

    def open_(want: int) -> Iterator[pa.Table]:
        for f in files:
            if kind == "csv":
                yield from _csv_tables(f, want)
            else:
                rows = _json_rows(f) if kind == "json" else _text_rows(f)
                yield from _tables_from_rows(rows)

    return Split(name, open_, None, base_dir=files[0].parent, label=", ".join(map(str, files)))


# ----------------------------------------------------------------------------- datasets streaming


def streaming_split(name: str, ids, label: str, base_dir: Path | None = None) -> Split:
    """A `datasets.IterableDataset`, decoding off, formatted as Arrow tables."""
    ids = ids.decode(False)
    feats = ids.features

    def open_(want: int) -> Iterator[pa.Table]:
        yield from ids.with_format("arrow").iter(batch_size=max(16, min(want, 1000)))

    return Split(name, open_, feats, base_dir=base_dir, label=label)
