"""unpack → hand edits → pack: editable records grown back to any number of loadable rows."""

from __future__ import annotations

import json
import shutil

import pytest

from tinytrio.dataset import make_tiny_dataset, pack_dataset, unpack_dataset
from tinytrio.dataset.unpack import parse_rows
from tinytrio.errors import DatasetError, OptionError

from .conftest import caption_features
from .test_subset import load, parquet_bytes


@pytest.fixture()
def tiny(captions, tmp_path):
    make_tiny_dataset(captions, tmp_path / "tiny", rows=6, sample="diverse")
    return tmp_path / "tiny"


def test_unpack_layout(tiny, tmp_path):
    result = unpack_dataset(tiny, tmp_path / "rec")
    assert result.splits == {"train": 6}
    folders = sorted(p.name for p in (tmp_path / "rec" / "train").iterdir())
    assert folders == [f"{i:05d}" for i in range(6)]
    files = {p.name for p in (tmp_path / "rec" / "train").glob("*/*")}
    assert {"caption.txt", "meta.json", "image.png", "image.jpg", "image.null"} <= files
    spec = json.loads((tmp_path / "rec" / "features.json").read_text())
    assert spec["splits"] == ["train"]
    metas = [json.loads(p.read_text()) for p in (tmp_path / "rec" / "train").glob("*/meta.json")]
    assert {m["label"] for m in metas} == {"cat", "bird"}  # ClassLabel as its name


def test_unpack_then_pack_1000(tiny, tmp_path):
    unpack_dataset(tiny, tmp_path / "rec")
    result = pack_dataset(tmp_path / "rec", tmp_path / "big", rows=1000)
    assert result.splits == {"train": 1000}
    ds = load(tmp_path / "big")
    assert len(ds) == 1000 and ds.features == caption_features()
    original = load(tiny)
    assert ds[:6]["caption"] == original["caption"] and ds[6]["caption"] == ds[0]["caption"]
    assert ds[999]["caption"] == original[999 % 6]["caption"]
    assert [r["image"] is None for r in ds.select(range(6))] == \
        [r["image"] is None for r in original]
    again = pack_dataset(tmp_path / "rec", tmp_path / "big2", rows=1000)
    assert parquet_bytes(again.path) == parquet_bytes(result.path)


def test_pack_unique_text(tiny, tmp_path):
    unpack_dataset(tiny, tmp_path / "rec")
    pack_dataset(tmp_path / "rec", tmp_path / "u", rows=50, unique_text=True)
    captions = load(tmp_path / "u")["caption"]
    assert len(set(captions)) == 50 and captions[:6] == load(tiny)["caption"]


def test_hand_edits(tiny, tmp_path):
    rec = tmp_path / "rec"
    unpack_dataset(tiny, rec, rows="0-1")
    first = rec / "train" / "00000"
    (first / "caption.txt").write_text("edited by hand", encoding="utf-8")
    new = rec / "train" / "00099"
    shutil.copytree(first, new)
    (new / "caption.txt").unlink()
    (new / "caption.null").write_text("")
    meta = json.loads((new / "meta.json").read_text())
    (new / "meta.json").write_text(json.dumps({**meta, "label": "dog", "tags": ["x", "y"]}))
    pack_dataset(rec, tmp_path / "p", rows=3)
    ds = load(tmp_path / "p")
    assert ds["caption"] == ["edited by hand", ds[1]["caption"], None]
    assert ds[2]["label"] == 1 and ds[2]["tags"] == ["x", "y"]
    (new / "meta.json").write_text(json.dumps({**meta, "label": "fish"}))
    with pytest.raises(DatasetError, match="fish"):
        pack_dataset(rec, tmp_path / "bad", rows=3)
    (new / "caption.null").unlink()
    with pytest.raises(DatasetError, match="caption.txt"):
        pack_dataset(rec, tmp_path / "bad", rows=3)
    assert not (tmp_path / "bad").exists()


def test_rows_spec():
    assert parse_rows("1,4-6, 2") == [1, 2, 4, 5, 6]
    for bad in ("a", "5-3", "-1", "1,,2"):
        with pytest.raises(OptionError):
            parse_rows(bad)


def test_unpack_rows_out_of_range(tiny, tmp_path):
    with pytest.raises(OptionError, match="row 50"):
        unpack_dataset(tiny, tmp_path / "rec", rows="1,50")
    assert not (tmp_path / "rec").exists()


def test_pack_needs_unpacked_dir(tmp_path):
    from tinytrio.errors import SourceError

    with pytest.raises(SourceError, match="not an unpacked dataset"):
        pack_dataset(tmp_path, tmp_path / "o", rows=3)


def test_unpack_imagefolder_reads_paths(imagefolder, tmp_path):
    unpack_dataset(imagefolder, tmp_path / "rec")
    names = sorted(p.name for p in (tmp_path / "rec" / "train").glob("*/image.*"))
    assert names == ["image.jpg", "image.png", "image.png", "image.png"]
    result = pack_dataset(tmp_path / "rec", tmp_path / "p", rows=8)
    assert result.splits == {"train": 8}


def test_lists_of_images_shrink_and_round_trip(tmp_path):
    from datasets import Features, Image, List, Value

    from .conftest import png, write_parquet

    feats = Features({"frames": List(Image()), "id": Value("int64")})
    rows = [{"frames": [{"bytes": png(64, 48), "path": "a.png"},
                        {"bytes": png(20, 80, fmt="JPEG"), "path": "b.jpg"}], "id": 0},
            {"frames": [], "id": 1}]
    write_parquet(tmp_path / "f.parquet", rows, feats)
    make_tiny_dataset(tmp_path / "f.parquet", tmp_path / "t", rows=2, image_size=16)
    ds = load(tmp_path / "t")
    assert ds.features == feats
    assert [im.size for im in ds[0]["frames"]] == [(16, 12), (4, 16)] and ds[1]["frames"] == []
    unpack_dataset(tmp_path / "t", tmp_path / "rec")
    assert sorted(p.name for p in (tmp_path / "rec" / "train" / "00000" / "frames").iterdir()) \
        == ["00000.png", "00001.jpg"]
    pack_dataset(tmp_path / "rec", tmp_path / "p", rows=5)
    packed = load(tmp_path / "p")
    assert [len(f) for f in packed["frames"]] == [2, 0, 2, 0, 2]
    assert packed[2]["frames"][1].size == (4, 16)
