"""`make_tiny_dataset`: a few rows of every split of a real dataset, media shrunk, Hub layout.

The pipeline per split: resolve the source (no rows read) → pull candidate rows in the sampling
method's priority order (`sample.py`) → shrink each row's media and texts (`media.py`), dropping
and reporting the rows that cannot be decoded and pulling replacements → keep `rows` of them in
source order → write parquet + card + rebuild script atomically (`save.py`). The cost grows with
`rows`, not with the size of the source, and nothing is written until every split has its rows.

Left out: synthesizing rows that the source does not have (see `pack_dataset` for growing a set
from hand-edited records).
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .._io import atomic_output_dir, check_output_dir
from ..errors import DatasetError, OptionError, SourceError
from .media import Options, SkipRow, output_features, shrink_row
from .sample import bar


MAX_SKIP_NOTES = 20


@dataclass
class DatasetResult:
    path: Path
    splits: dict[str, int]
    bytes: int
    seconds: float
    notes: list[str] = field(default_factory=list)
    features: dict = field(default_factory=dict)
    skipped: int = 0

    def to_json(self) -> dict:
        d = asdict(self)
        d["path"] = str(self.path)
        return d


def make_tiny_dataset(source, out, rows: int = 100, split: str | None = None,
                      config: str | None = None, sample: str = "first", image_size: int = 32,
                      audio_seconds: float = 1.0, max_chars: int | None = None, seed: int = 0,
                      force: bool = False,
                      progress: Callable[[str], None] | None = None) -> DatasetResult:
    """Write a tiny copy of SOURCE to OUT: `rows` rows per split (or of `split`).

    >>> make_tiny_dataset("corpus.jsonl", "tiny-corpus", rows=100)   # doctest: +SKIP
    """
    t0 = time.perf_counter()
    _check_options(rows, image_size, audio_seconds, max_chars, sample)
    check_output_dir(out, force)
    say = progress or (lambda msg: None)
    from .sources import resolve

    say(f"opening {source}")
    splits = resolve(source, split, config)
    notes: list[str] = []
    tables, features, total_skipped = {}, None, 0
    for name, sp in splits.items():
        say(f"sampling {rows} rows of split {name} ({sample})")
        table, feats, skipped = _subset_split(sp, rows, sample, seed, notes,
                                              Options(image_size, audio_seconds, max_chars,
                                                      sp.base_dir, notes))
        tables[name] = table
        features = features or feats
        total_skipped += skipped
    tables = _align(tables, features)
    how = [f"source: `{source}`" + (f", config `{config}`" if config else ""),
           f"sampling: `{sample}`, seed {seed}, up to {rows} rows per split",
           f"texts: {'cut to ' + str(max_chars) + ' characters' if max_chars else 'kept whole'}"]
    kinds = repr(features)
    if "Image(" in kinds:
        how.append(f"images: longest side <= {image_size} px, aspect ratio kept, re-encoded")
    if "Audio(" in kinds:
        how.append(f"audio: first {audio_seconds} s, resampled, 16-bit PCM WAV")
    how += notes
    recipe = {"source": str(source), "rows": rows, "split": split, "config": config,
              "sample": sample, "image_size": image_size, "audio_seconds": audio_seconds,
              "max_chars": max_chars, "seed": seed}
    say(f"writing {out}")
    with atomic_output_dir(out, force) as tmp:
        from .save import write_dataset

        size = write_dataset(tmp, tables, features, title=f"Tiny {Path(str(source)).name}",
                             how=how, function="make_tiny_dataset",
                             recipe={k: v for k, v in recipe.items() if v is not None},
                             command=_command(recipe))
    return DatasetResult(Path(out).expanduser().absolute(), {n: t.num_rows for n, t in
                                                             tables.items()},
                         size, time.perf_counter() - t0, notes, features.to_dict(),
                         total_skipped)


def _check_options(rows, image_size, audio_seconds, max_chars, sample) -> None:
    from .sample import METHODS

    if not isinstance(rows, int) or rows < 1:
        raise OptionError(f"--rows must be a positive integer, not {rows!r}")
    if image_size < 1:
        raise OptionError(f"--image-size must be at least 1, not {image_size}")
    if not audio_seconds > 0:
        raise OptionError(f"--audio-seconds must be positive, not {audio_seconds}")
    if max_chars is not None and max_chars < 0:
        raise OptionError(f"--max-chars must be >= 0, not {max_chars}")
    if sample not in METHODS:
        raise OptionError(f"--sample must be one of {', '.join(METHODS)}, not {sample!r}")


def _subset_split(sp, rows: int, sample: str, seed: int, notes: list[str], opts: Options):
    """(table of up to `rows` shrunk rows in source order, output features, rows skipped)."""
    import pyarrow as pa

    from .sample import candidates

    kept: list[tuple[int, dict]] = []
    schemas, skipped = [], 0
    src_features = sp.features
    pbar = None  # opened at the first candidate, after any window scan has its own bar
    try:
        for index, one in candidates(sp, rows, sample, seed, notes):
            pbar = pbar or bar(rows, f"{sp.name}: shrinking")
            row = one.to_pylist()[0]
            if src_features is None:
                schemas.append(one.schema)
            try:
                kept.append((index, shrink_row(row, src_features, opts)))
            except SkipRow as e:
                skipped += 1
                if skipped <= MAX_SKIP_NOTES:
                    notes.append(f"{sp.name} row {index} skipped: {e}")
                if skipped > 10 * rows + 100:  # a source of mostly broken media: stop looking
                    notes.append(f"{sp.name}: stopped after {skipped} undecodable rows")
                    break
                continue
            pbar.update(1)
            if len(kept) >= rows:
                break
    except (pa.ArrowException, OSError, UnicodeDecodeError) as e:
        from .readers import one_line

        raise SourceError(f"cannot read split {sp.name} of {sp.label}: "
                          f"{type(e).__name__}: {one_line(e)}") from e
    finally:
        if pbar is not None:
            pbar.close()
    if skipped > MAX_SKIP_NOTES:
        notes.append(f"{sp.name}: {skipped - MAX_SKIP_NOTES} more rows skipped, not listed")
    if not kept:
        why = f" ({skipped} undecodable)" if skipped else ""
        raise DatasetError(f"split {sp.name} of {sp.label or 'the source'} has zero usable "
                           f"rows{why}; nothing to make a dataset from")
    kept.sort(key=lambda item: item[0])
    if src_features is None:
        from .readers import features_of_schema

        schema = pa.unify_schemas([s.remove_metadata() for s in schemas],
                                  promote_options="permissive")
        feats = features_of_schema(schema)
    else:
        feats = output_features(src_features)
    from .save import build_table

    return build_table([r for _, r in kept], feats.arrow_schema), feats, skipped


def _align(tables: dict, features) -> dict:
    """Every split written with the first split's schema, so one `dataset_info` describes all."""
    from .readers import one_line

    schema = features.arrow_schema
    out = {}
    for name, t in tables.items():
        if t.schema != schema:
            try:
                t = t.select(schema.names).cast(schema)
            except Exception as e:  # pyarrow raises several kinds
                raise DatasetError(f"split {name} has other columns or types than the first "
                                   f"split ({one_line(e)}); make one split at a time with "
                                   f"--split") from e
        out[name] = t
    return out


def _command(recipe: dict) -> str:
    parts = ["tinytrio", "dataset", shlex.quote(recipe["source"]), "-o", "OUT",
             "--rows", str(recipe["rows"])]
    for key in ("split", "config", "sample", "image_size", "audio_seconds", "max_chars", "seed"):
        val = recipe.get(key)
        if val is not None:
            parts += [f"--{key.replace('_', '-')}", shlex.quote(str(val))]
    return " ".join(parts)
