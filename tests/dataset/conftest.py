"""Real sources for the dataset tests: parquet with datasets features, line files, an
imagefolder with a corrupt image, an audiofolder of synthesized WAVs, a save_to_disk DatasetDict."""

from __future__ import annotations

import io
import json
import wave

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image


def png(w: int, h: int, color=(200, 30, 30), fmt: str = "PNG", mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (w, h), color).save(buf, format=fmt)
    return buf.getvalue()


def wav(seconds: float, rate: int = 44_100, channels: int = 2) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    tone = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.repeat(tone[:, None], channels, axis=1).tobytes())
    return buf.getvalue()


def write_parquet(path, rows: list[dict], features, row_group_size: int | None = None):
    """A parquet file as datasets writes one: features in the schema metadata."""
    table = pa.Table.from_pylist(rows, schema=features.arrow_schema)
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def caption_features():
    from datasets import ClassLabel, Features, List, Value
    from datasets import Image as HFImage

    return Features({"caption": Value("string"), "image": HFImage(),
                     "label": ClassLabel(names=["cat", "dog", "bird"]),
                     "tags": List(Value("string"))})


def caption_rows(n: int, empty_at: int | None = None, no_image_at: int | None = None):
    sizes = [(100, 50), (30, 90), (64, 64), (8, 4)]
    rows = []
    for i in range(n):
        w, h = sizes[i % len(sizes)]
        rows.append({"caption": f"a picture number {i} " + "x" * (i % 7),
                     "image": {"bytes": png(w, h, fmt="JPEG" if i % 2 else "PNG"),
                               "path": f"img{i}.{'jpg' if i % 2 else 'png'}"},
                     "label": 0 if i < n - 1 else 2,  # 'bird' only in the last row
                     "tags": ["t"] * (i % 3)})
    if empty_at is not None:
        rows[empty_at]["caption"] = ""
    if no_image_at is not None:
        rows[no_image_at]["image"] = None
    return rows


@pytest.fixture(scope="session")
def captions(tmp_path_factory):
    """400 rows in row groups of 50; an empty caption at 337, a missing image at 211."""
    path = tmp_path_factory.mktemp("src") / "captions.parquet"
    return write_parquet(path, caption_rows(400, empty_at=337, no_image_at=211),
                         caption_features(), row_group_size=50)


@pytest.fixture(scope="session")
def imagefolder(tmp_path_factory):
    root = tmp_path_factory.mktemp("imgs")
    for label, sizes in {"cat": [(120, 80), (50, 200)], "dog": [(33, 33)]}.items():
        (root / "train" / label).mkdir(parents=True)
        for i, (w, h) in enumerate(sizes):
            (root / "train" / label / f"{i}.png").write_bytes(png(w, h))
    (root / "train" / "cat" / "broken.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    return root


@pytest.fixture(scope="session")
def audiofolder(tmp_path_factory):
    root = tmp_path_factory.mktemp("audio")
    (root / "train").mkdir()
    (root / "train" / "long.wav").write_bytes(wav(2.5))
    (root / "train" / "short.wav").write_bytes(wav(0.4, rate=8000, channels=1))
    return root


@pytest.fixture(scope="session")
def jsonl(tmp_path_factory):
    """2,000 rows, then a corrupt line: a reader that stops early never sees it."""
    path = tmp_path_factory.mktemp("lines") / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps({"text": "word " * (i % 50), "score": i % 4}) + "\n"
                     for i in range(2000))
        f.write("{this is not json\n")
    return path


@pytest.fixture(scope="session")
def saved_dict(tmp_path_factory):
    from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

    feats = Features({"text": Value("string"), "label": ClassLabel(names=["neg", "pos"])})
    dd = DatasetDict({
        "train": Dataset.from_dict({"text": [f"train {i}" for i in range(30)],
                                    "label": [i % 2 for i in range(30)]}, features=feats),
        "test": Dataset.from_dict({"text": [f"test {i}" for i in range(12)],
                                   "label": [1] * 12}, features=feats)})
    path = tmp_path_factory.mktemp("saved") / "dd"
    dd.save_to_disk(str(path))
    return path
