"""Resolve a dataset SOURCE into its splits, without reading any rows.

SOURCE is, in this order: an existing file (parquet, JSON lines / JSON, CSV / TSV, text); an
existing directory (a `save_to_disk` Dataset or DatasetDict; data files laid out the way
`datasets` names splits — a tinytrio output among them; else any folder `datasets` loads, such as
imagefolder or audiofolder, streamed); a glob of files (one split, `train`); else a Hub id, opened
with `datasets` streaming so that only the rows pulled are downloaded.

Left out: `--config` selects a config only for Hub ids and `datasets`-loaded folders; data files
of mixed formats in one split are refused rather than guessed.
"""

from __future__ import annotations

import glob
import json
import os
import re
from pathlib import Path

from ..errors import OfflineError, OptionError, SourceError
from .readers import (
    LINE_FORMATS,
    Split,
    arrow_split,
    line_split,
    parquet_split,
    streaming_split,
)

TABULAR = {".parquet", *LINE_FORMATS}
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[\w.\-]+)?$")


def resolve(source: str | os.PathLike, split: str | None = None,
            config: str | None = None) -> dict[str, Split]:
    """SOURCE → {split name: Split}, keeping only `split` when one is named."""
    text = str(source)
    path = Path(text).expanduser()
    if path.is_file():
        _no_config(config, text)
        splits = {"train": _files_split("train", [path])}
    elif path.is_dir():
        splits = _directory(path, config)
    elif any(c in text for c in "*?["):
        _no_config(config, text)
        files = sorted(Path(p) for p in glob.glob(os.path.expanduser(text), recursive=True)
                       if Path(p).is_file())
        if not files:
            raise SourceError(f"no files match {text}; check the pattern")
        splits = {"train": _files_split("train", files)}
    elif HUB_ID.match(text) and not text.startswith((".", "~")) and \
            path.suffix.lower() not in TABULAR | {".arrow"}:
        splits = _hub(text, config)
    else:
        raise SourceError(f"{text}: no such file or directory")
    if split is not None:
        if split not in splits:
            raise SourceError(f"split {split!r} is not in {text}; it has: {', '.join(splits)}")
        splits = {split: splits[split]}
    if not splits:
        raise SourceError(f"{text} holds no data files")
    return splits


def _no_config(config: str | None, text: str) -> None:
    if config is not None:
        raise OptionError(f"--config applies to Hub ids and dataset folders, not to {text}")


def _files_split(name: str, files: list[Path]) -> Split:
    suffixes = {f.suffix.lower() for f in files}
    if len(suffixes) > 1:
        raise SourceError(f"split {name} mixes file formats ({', '.join(sorted(suffixes))}); "
                          f"give files of one format")
    suffix = suffixes.pop()
    if suffix == ".parquet":
        return parquet_split(name, files)
    if suffix in LINE_FORMATS:
        return line_split(name, files)
    raise SourceError(f"{files[0]}: unsupported file type {suffix!r}; give parquet, jsonl, json, "
                      f"csv, tsv or txt, a dataset folder, or a Hub id")


def _directory(path: Path, config: str | None) -> dict[str, Split]:
    if (path / "dataset_dict.json").is_file():
        _no_config(config, str(path))
        try:
            names = json.loads((path / "dataset_dict.json").read_text())["splits"]
        except (OSError, ValueError, KeyError) as e:
            raise SourceError(f"{path}/dataset_dict.json is unreadable ({e})") from e
        return {n: arrow_split(n, path / n) for n in names}
    if (path / "state.json").is_file():
        _no_config(config, str(path))
        return {"train": arrow_split("train", path)}
    if config is None:
        tabular = _tabular_layout(path)
        if tabular:
            return tabular
    return _streaming(str(path), config, base_dir=path)


def _tabular_layout(path: Path) -> dict[str, Split] | None:
    """Data files named the way `datasets` assigns splits, all of them tabular."""
    from datasets.data_files import DataFilesDict, get_data_patterns
    from datasets.exceptions import DataFilesNotFoundError

    try:
        patterns = get_data_patterns(str(path))
        resolved = DataFilesDict.from_patterns(patterns, base_path=str(path))
    except (DataFilesNotFoundError, FileNotFoundError):
        return None
    out = {}
    for name, files in resolved.items():
        files = [Path(f) for f in files]
        if not files or any(f.suffix.lower() not in TABULAR for f in files):
            return None
        out[str(name)] = _files_split(str(name), sorted(files))
    return out


def _streaming(ref: str, config: str | None, base_dir: Path | None = None) -> dict[str, Split]:
    import datasets

    try:
        dd = datasets.load_dataset(ref, config, streaming=True)
    except ValueError as e:  # a missing or unknown config name, an empty folder
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise (OptionError if "config" in msg.lower() else SourceError)(f"{ref}: {msg}") from e
    except Exception as e:
        raise SourceError(f"{ref}: datasets cannot load it ({type(e).__name__}: "
                          f"{str(e).splitlines()[0] if str(e) else ''})") from e
    return {str(n): streaming_split(str(n), ds, ref, base_dir) for n, ds in dd.items()}


def _hub(ref: str, config: str | None) -> dict[str, Split]:
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on") or \
        os.environ.get("HF_DATASETS_OFFLINE", "").lower() in ("1", "true", "yes", "on")
    try:
        return _streaming(ref, config)
    except SourceError as e:
        cause = e.__cause__
        names = type(cause).__name__ + " " + str(cause)
        if offline or any(k in names for k in ("Connection", "Offline", "LocalEntryNotFound",
                                              "Couldn't reach", "Timeout")):
            raise OfflineError(f"{ref}: no such local path, and as a Hub dataset id it cannot be "
                               f"reached{' (HF_HUB_OFFLINE is set)' if offline else ''} and is "
                               f"not cached; give a local path or go online") from cause
        if "NotFound" in names or "doesn't exist" in names:
            raise SourceError(f"{ref}: no such local path or Hub dataset") from cause
        raise
