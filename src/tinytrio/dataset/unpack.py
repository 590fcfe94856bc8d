"""`unpack_dataset` writes records as folders a person can edit; `pack_dataset` grows them back.

Layout of an unpacked directory::

    features.json            the datasets Features (and split names): pack restores them exactly
    <split>/<row:05d>/       one folder per record, named by its row index in the source
        <field>.txt          a string field, UTF-8, exactly its text
        <field>.png|jpg|wav  a media field (Image, Audio, Video …), the stored bytes
        <field>/00000.png    a list of media, one file per item
        <field>.bin          a binary field
        <field>.null         the field is missing (None)
        meta.json            every other field (numbers, lists, dicts; ClassLabel as its name)

To add a record, copy a folder and edit its files; to blank a field, replace its file by
`<field>.null`. `pack_dataset` cycles the records (sorted by folder name) to any number of rows,
optionally making repeated texts unique, and writes them with the same features in the Hub
layout.

Left out: media nested inside structs (refused with a clear error); dates and times go to
meta.json as text and must stay parseable.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from .._io import atomic_output_dir, check_output_dir
from ..errors import DatasetError, OptionError, SourceError
from .readers import one_line
from .sample import bar
from .subset import DatasetResult

UNPACK_MAX = 10_000
MAGIC = [(b"\x89PNG", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF8", ".gif"), (b"RIFF", ".wav"),
         (b"fLaC", ".flac"), (b"OggS", ".ogg"), (b"ID3", ".mp3"), (b"BM", ".bmp")]


def parse_rows(spec) -> list[int] | None:
    """`"1,4-10"` → [1, 4, 5, …, 10] (row indices from 0, ranges inclusive)."""
    if spec is None or isinstance(spec, list):
        return spec
    out: set[int] = set()
    try:
        for part in str(spec).replace(" ", "").split(","):
            lo, _, hi = part.partition("-")
            a, b = int(lo), int(hi) if hi else int(lo)
            if a < 0 or b < a:
                raise ValueError
            out.update(range(a, b + 1))
    except ValueError:
        raise OptionError(f"--rows {spec!r}: give row indices and ranges like 0,4-10") from None
    return sorted(out)


def _kind(feature) -> str:
    k = type(feature).__name__
    if getattr(feature, "pa_type", None) is not None and str(feature.pa_type) == \
            "struct<bytes: binary, path: string>":
        return "media"
    if k in ("List", "LargeList", "Sequence") and _kind(feature.feature) == "media":
        return "media-list"
    if k == "Value" and feature.dtype in ("string", "large_string"):
        return "text"
    if k == "Value" and feature.dtype in ("binary", "large_binary"):
        return "binary"
    return "meta"


def _nests_media(feature) -> bool:
    if _kind(feature) in ("media", "media-list"):
        return True
    if isinstance(feature, dict):
        return any(_nests_media(f) for f in feature.values())
    inner = getattr(feature, "feature", None)
    return inner is not None and _nests_media(inner)


def _ext(value: dict, data: bytes) -> str:
    suffix = Path(str(value.get("path") or "")).suffix.lower()
    if suffix and len(suffix) <= 6:
        return suffix
    return next((e for m, e in MAGIC if data.startswith(m)), ".bin")


def unpack_dataset(source, out, rows=None, force: bool = False, split: str | None = None,
                   config: str | None = None) -> DatasetResult:
    """One folder per record of SOURCE (rows like `"0,4-10"`, default all, at most 10,000)."""
    t0 = time.perf_counter()
    wanted = parse_rows(rows)
    check_output_dir(out, force)
    from .media import Options, media_bytes
    from .sources import resolve

    splits = resolve(source, split, config)
    records: dict[str, list[tuple[int, dict]]] = {}
    features = None
    for name, sp in splits.items():
        got, last = [], (wanted[-1] if wanted else UNPACK_MAX)
        want_set = set(wanted) if wanted else None
        with bar(len(wanted) if wanted else None, f"unpack {name}") as pbar:
            index = -1
            for table in sp.open(min(last + 1, UNPACK_MAX)):
                if features is None and sp.features is None:
                    from .readers import features_of_schema

                    features = features_of_schema(table.schema)
                for row in table.to_pylist():
                    index += 1
                    if index > last:
                        break
                    if want_set is None or index in want_set:
                        got.append((index, row))
                        pbar.update(1)
                if index >= last:
                    break
        if wanted is None and index >= UNPACK_MAX:
            raise OptionError(f"split {name} has more than {UNPACK_MAX:,} rows; pass --rows or "
                              f"make a tiny dataset first")
        if wanted and wanted[-1] > index:
            raise OptionError(f"--rows asks for row {wanted[-1]} but split {name} has "
                              f"{index + 1} rows")
        if not got:
            raise DatasetError(f"split {name} has zero rows; nothing to unpack")
        features = sp.features or features
        records[name] = got
    from .media import output_features

    features = output_features(features)
    opts = Options(base_dir=next(iter(splits.values())).base_dir)
    with atomic_output_dir(out, force) as tmp:
        (tmp / "features.json").write_text(json.dumps(
            {"features": features.to_dict(), "splits": list(records)}, indent=2) + "\n")
        for name, rows_ in records.items():
            for index, row in rows_:
                _write_record(tmp / name / f"{index:05d}", row, features, opts, media_bytes)
        size = sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file())
    return DatasetResult(Path(out).expanduser().absolute(),
                         {n: len(r) for n, r in records.items()}, size,
                         time.perf_counter() - t0, [], features.to_dict())


def _write_record(folder: Path, row: dict, features, opts, media_bytes) -> None:
    folder.mkdir(parents=True)
    meta = {}
    for field, value in row.items():
        if "/" in field or "\\" in field or field.startswith("."):
            raise DatasetError(f"field {field!r} cannot be a file name; rename it first")
        feature = features[field]
        kind = _kind(feature)
        if value is None and kind != "meta":
            (folder / f"{field}.null").write_bytes(b"")
        elif kind == "text":
            (folder / f"{field}.txt").write_text(value, encoding="utf-8", newline="")
        elif kind == "binary":
            (folder / f"{field}.bin").write_bytes(value)
        elif kind == "media":
            data = media_bytes(value, opts, field)
            (folder / f"{field}{_ext(value, data)}").write_bytes(data)
        elif kind == "media-list":
            sub = folder / field
            sub.mkdir()
            for i, item in enumerate(value):
                if item is None:
                    (sub / f"{i:05d}.null").write_bytes(b"")
                    continue
                data = media_bytes(item, opts, f"{field}[{i}]")
                (sub / f"{i:05d}{_ext(item, data)}").write_bytes(data)
        else:
            if _nests_media(feature):
                raise DatasetError(f"field {field!r} nests media inside a struct; unpack "
                                   f"handles media at the top level or in a list only")
            if type(feature).__name__ == "ClassLabel" and isinstance(value, int) and value >= 0:
                value = feature.int2str(value)
            meta[field] = value
    (folder / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False,
                                                 default=str) + "\n", encoding="utf-8")


def _read_record(folder: Path, features) -> dict:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        meta = {}
    except ValueError as e:
        raise DatasetError(f"{folder}/meta.json is not valid JSON ({e})") from e
    row = {}
    for field, feature in features.items():
        kind = _kind(feature)
        if (folder / f"{field}.null").exists():
            row[field] = None
        elif kind == "text":
            row[field] = _need(folder / f"{field}.txt").read_text(encoding="utf-8")
        elif kind == "binary":
            row[field] = _need(folder / f"{field}.bin").read_bytes()
        elif kind == "media":
            files = [p for p in sorted(folder.glob(f"{field}.*")) if p.stem == field]
            if len(files) != 1:
                raise DatasetError(f"{folder}: expected one {field}.<ext> file, found "
                                   f"{len(files)}; or write {field}.null")
            row[field] = {"bytes": files[0].read_bytes(), "path": files[0].name}
        elif kind == "media-list":
            items = []
            for p in sorted(_need(folder / field).iterdir()):
                items.append(None if p.suffix == ".null" else
                             {"bytes": p.read_bytes(), "path": p.name})
            row[field] = items
        else:
            if field not in meta:
                raise DatasetError(f"{folder}/meta.json lacks {field!r}; add it (null for None)")
            value = meta[field]
            if type(feature).__name__ == "ClassLabel" and isinstance(value, str):
                try:
                    value = feature.str2int(value)
                except ValueError as e:
                    raise DatasetError(f"{folder}: {field} {value!r} is not one of the label "
                                       f"names {feature.names}") from e
            row[field] = value
    return row


def _need(path: Path) -> Path:
    if not path.exists():
        raise DatasetError(f"{path.parent} lacks {path.name}; add it, or {path.stem}.null")
    return path


def pack_dataset(directory, out, rows: int, unique_text: bool = False,
                 force: bool = False) -> DatasetResult:
    """`rows` rows per split by cycling the records unpacked in DIRECTORY, same features."""
    t0 = time.perf_counter()
    if not isinstance(rows, int) or rows < 1:
        raise OptionError(f"--rows must be a positive integer, not {rows!r}")
    directory = Path(directory).expanduser()
    check_output_dir(out, force)
    try:
        spec = json.loads((directory / "features.json").read_text())
    except (OSError, ValueError) as e:
        raise SourceError(f"{directory} is not an unpacked dataset (features.json: {e}); make one "
                          f"with `tinytrio dataset unpack`") from e
    from datasets import Features

    features = Features.from_dict(spec["features"])
    tables = {}
    from .save import build_table

    for name in spec.get("splits") or []:
        folders = sorted(p for p in (directory / name).iterdir() if p.is_dir()) \
            if (directory / name).is_dir() else []
        if not folders:
            raise DatasetError(f"{directory / name} holds no record folders")
        records = [_read_record(f, features) for f in folders]
        out_rows = _cycle(records, rows, features, unique_text)
        try:
            tables[name] = build_table(out_rows, features.arrow_schema)
        except Exception as e:
            raise DatasetError(f"split {name}: a record does not match the features "
                               f"({type(e).__name__}: {one_line(e)})") from e
    if not tables:
        raise DatasetError(f"{directory}/features.json names no splits")
    how = [f"packed from {sum(1 for _ in directory.glob('*/*/'))} hand-editable records in "
           f"`{directory.name}`, cycled to {rows} rows per split"
           + (", repeated texts made unique" if unique_text else "")]
    recipe = {"directory": str(directory), "rows": rows, "unique_text": unique_text}
    command = f"tinytrio dataset pack {directory} -o OUT --rows {rows}" + \
        (" --unique-text" if unique_text else "")
    with atomic_output_dir(out, force) as tmp:
        from .save import write_dataset

        size = write_dataset(tmp, tables, features, title=f"Tiny {directory.name}", how=how,
                             function="pack_dataset", recipe=recipe, command=command)
    return DatasetResult(Path(out).expanduser().absolute(),
                         {n: t.num_rows for n, t in tables.items()}, size,
                         time.perf_counter() - t0, [], features.to_dict())


def _cycle(records: list[dict], rows: int, features, unique_text: bool) -> list[dict]:
    texts = [k for k, f in features.items() if _kind(f) == "text"]
    seen: dict[str, set] = {k: set() for k in texts}
    out = []
    for i in range(rows):
        row = dict(records[i % len(records)])
        if unique_text:
            for k in texts:
                text = row[k]
                if text is None:
                    continue
                n = i
                while text in seen[k]:
                    text = f"{row[k]} #{n}"
                    n += rows
                seen[k].add(text)
                row[k] = text
        out.append(row)
    return out
