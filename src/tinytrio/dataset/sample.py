"""Choose which rows of a split to keep: `first`, `random` or `diverse`.

Each method yields candidate rows — `(source index, one-row Arrow table)` — in priority order:
first the picks, then backups, lazily, so that the caller can replace a row it has to drop (an
undecodable image) and stop pulling as soon as it has enough.

- `first`: the stream's order; reads only the rows kept.
- `random`: with a known row count and random access (parquet) a seeded uniform draw over the
  whole source, reading only the row groups hit; otherwise a seeded reservoir over a window of the
  stream (`window(rows)` rows), so that cost stays bounded by rows, not by source size.
- `diverse`: over the same window, first the edge cases — for every column its first null, for
  texts and lists the empty one, the shortest and the longest, for labels and other
  low-cardinality columns the first row of every value — then fills with the window's rows in
  order.

Left out: diversity of media content (image sizes, audio lengths) beyond missing values.
"""

from __future__ import annotations

import os
import random as _random
import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import OptionError
from .readers import Split

METHODS = ("first", "random", "diverse")
LOW_CARDINALITY = 32
WINDOW_BYTES = 256 * 2**20


def bar(total: int | None, desc: str):
    """A progress bar on a terminal (or with TINYTRIO_PROGRESS set), silent otherwise."""
    from tqdm.auto import tqdm

    show = sys.stderr.isatty() or bool(os.environ.get("TINYTRIO_PROGRESS"))
    return tqdm(total=total, desc=desc, unit="row", disable=not show, leave=False,
                file=sys.stderr, mininterval=0.5)


def window(rows: int) -> int:
    """How many rows `random` and `diverse` look at when the source cannot be sampled directly."""
    return max(100 * rows, 10_000)


def candidates(split: Split, rows: int, method: str, seed: int,
               notes: list[str]) -> Iterator[tuple[int, pa.Table]]:
    if method not in METHODS:
        raise OptionError(f"--sample must be one of {', '.join(METHODS)}, not {method!r}")
    if method == "first":
        yield from _rows(split.open(rows), 0)
    elif method == "random" and split.take is not None and split.num_rows is not None:
        yield from _random_take(split, rows, seed)
    else:
        win, rest, complete = _window(split, window(rows))
        if not complete:
            notes.append(f"{split.name}: {method} sample drawn from the first {win.num_rows:,} "
                         f"rows of the stream")
        picks = (_reservoir(win.num_rows, rows, seed) if method == "random"
                 else edge_cases(win, split.features, rows))
        chosen = set(picks)
        for i in picks:
            yield i, win.slice(i, 1)
        for i in range(win.num_rows):
            if i not in chosen:
                yield i, win.slice(i, 1)
        yield from _rows(rest, win.num_rows)


def _rows(tables: Iterator[pa.Table], start: int) -> Iterator[tuple[int, pa.Table]]:
    i = start
    for t in tables:
        for k in range(t.num_rows):
            yield i, t.slice(k, 1)
            i += 1


def _window(split: Split, limit: int) -> tuple[pa.Table, Iterator[pa.Table], bool]:
    """Read up to `limit` rows (and WINDOW_BYTES); return them, the rest of the stream, and
    whether the stream ended inside the window."""
    it = split.open(limit)
    parts, n, size = [], 0, 0
    with bar(limit, f"{split.name}: scanning") as pbar:
        for t in it:
            if n + t.num_rows > limit:
                parts.append(t.slice(0, limit - n))
                return _concat(parts), _chain([t.slice(limit - n)], it), False
            parts.append(t)
            n += t.num_rows
            size += t.nbytes
            pbar.update(t.num_rows)
            if n == limit or size > WINDOW_BYTES:
                return _concat(parts), it, False
    return _concat(parts), iter(()), True


def _chain(first: list[pa.Table], it: Iterator[pa.Table]) -> Iterator[pa.Table]:
    yield from first
    yield from it


def _concat(parts: list[pa.Table]) -> pa.Table:
    if not parts:
        return pa.table({})
    return pa.concat_tables(parts, promote_options="permissive")


def _reservoir(n: int, k: int, seed: int) -> list[int]:
    """Algorithm R over indices 0..n-1 with a seeded generator: the same seed, the same rows."""
    rng = _random.Random(seed)
    res = list(range(min(k, n)))
    for i in range(k, n):
        j = rng.randrange(i + 1)
        if j < k:
            res[j] = i
    return sorted(res)


def _random_take(split: Split, rows: int, seed: int) -> Iterator[tuple[int, pa.Table]]:
    import numpy as np

    total = split.num_rows
    k = min(total, 2 * rows + 8)  # picks, then backups for rows that have to be dropped
    order = np.random.default_rng(seed).choice(total, size=k, replace=False).tolist()
    for lo in range(0, k, rows):
        batch = order[lo:lo + rows]
        table = split.take(sorted(batch))
        for pos, i in enumerate(sorted(batch)):
            yield i, table.slice(pos, 1)


def edge_cases(table: pa.Table, features, limit: int) -> list[int]:
    """Indices of the rows worth keeping first, most telling first, at most `limit`."""
    empties, extremes, values = [], [], []
    for name in table.column_names:
        col = table.column(name)
        if col.null_count:
            empties.append(_first(pc.is_null(col)))
        kind = col.type
        lengths = None
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            lengths = pc.utf8_length(col)
        elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
            lengths = pc.list_value_length(col)
        if lengths is not None and len(lengths) - lengths.null_count:
            zero = pc.equal(lengths, 0)
            if pc.any(zero).as_py():
                empties.append(_first(zero))
            mm = pc.min_max(lengths)
            extremes.append(_first(pc.equal(lengths, mm["min"])))
            extremes.append(_first(pc.equal(lengths, mm["max"])))
        if _categorical(name, col, features):
            for v in pc.unique(col.drop_null()).to_pylist():
                values.append(_first(pc.equal(col, pa.scalar(v, kind))))
    out: list[int] = []
    for i in empties + extremes + sorted(values):
        if i is not None and i not in out:
            out.append(i)
    return out[:limit]


def _first(mask) -> int | None:
    idx = pc.index(mask, True).as_py()
    return None if idx < 0 else idx


def _categorical(name: str, col, features) -> bool:
    kind = col.type
    feat = features.get(name) if features is not None else None
    if type(feat).__name__ == "ClassLabel":
        return True
    if not (pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_string(kind)
            or pa.types.is_large_string(kind)):
        return False
    if len(col) < 4:
        return False
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        if (pc.max(pc.utf8_length(col)).as_py() or 0) > 64:  # texts, not labels
            return False
    n = pc.count_distinct(col).as_py()
    return n <= LOW_CARDINALITY and n <= len(col) // 2
