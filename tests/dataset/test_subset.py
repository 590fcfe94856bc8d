"""make_tiny_dataset on real sources: sizes, features, sampling, determinism, laziness."""

from __future__ import annotations

import io
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from PIL import Image

from tinytrio.dataset import make_tiny_dataset
from tinytrio.errors import OptionError, SourceError

from .conftest import caption_features, write_parquet


def load(path, split="train"):
    import datasets

    datasets.disable_progress_bars()
    return datasets.load_dataset(str(path), split=split)


def parquet_bytes(out):
    return {p.name: p.read_bytes() for p in sorted((out / "data").glob("*.parquet"))}


def test_images_shrink_with_aspect_and_features_kept(captions, tmp_path):
    result = make_tiny_dataset(captions, tmp_path / "t", rows=8)
    assert result.splits == {"train": 8} and result.bytes > 0 and not result.notes
    ds = load(tmp_path / "t")
    assert ds.features == caption_features()
    assert ds.features["label"].names == ["cat", "dog", "bird"]
    sizes = [(row["image"].width, row["image"].height) for row in ds]
    assert sizes[:4] == [(32, 16), (11, 32), (32, 32), (8, 4)]  # 100x50, 30x90, 64x64, 8x4
    assert all(max(s) <= 32 for s in sizes)
    assert ds[0]["image"].format == "PNG" and ds[1]["image"].format == "JPEG"
    assert ds[0]["caption"] == "a picture number 0 " and ds[2]["tags"] == ["t", "t"]
    layout = sorted(str(p.relative_to(tmp_path / "t")) for p in (tmp_path / "t").rglob("*")
                    if p.is_file())
    assert layout == ["README.md", "data/train-00000-of-00001.parquet", "make_tiny_dataset.py"]


def test_loads_without_tinytrio(captions, tmp_path):
    make_tiny_dataset(captions, tmp_path / "t", rows=5)
    code = ("import sys; sys.modules['tinytrio'] = None\n"
            "import datasets; datasets.disable_progress_bars()\n"
            f"ds = datasets.load_dataset({str(tmp_path / 't')!r}, split='train')\n"
            "assert len(ds) == 5 and max(ds[0]['image'].size) <= 32\n"
            "print(ds.features['label'].names)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "['cat', 'dog', 'bird']" in done.stdout


def test_card_and_rebuild_script(captions, tmp_path):
    make_tiny_dataset(captions, tmp_path / "t", rows=6, sample="random", seed=3)
    card = (tmp_path / "t" / "README.md").read_text()
    assert card.startswith("---\nconfigs:\n- config_name: default") and "dataset_info:" in card
    assert "num_examples: 6" in card and "--sample random" in card and "--seed 3" in card
    done = subprocess.run([sys.executable, str(tmp_path / "t" / "make_tiny_dataset.py"),
                           str(tmp_path / "again")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert parquet_bytes(tmp_path / "again") == parquet_bytes(tmp_path / "t")


@pytest.mark.parametrize("sample", ["first", "random", "diverse"])
def test_deterministic(captions, tmp_path, sample):
    a = make_tiny_dataset(captions, tmp_path / "a", rows=12, sample=sample, seed=1)
    b = make_tiny_dataset(captions, tmp_path / "b", rows=12, sample=sample, seed=1)
    assert parquet_bytes(a.path) == parquet_bytes(b.path)


def test_random_uses_seed_and_whole_file(captions, tmp_path):
    a = make_tiny_dataset(captions, tmp_path / "a", rows=20, sample="random", seed=0)
    b = make_tiny_dataset(captions, tmp_path / "b", rows=20, sample="random", seed=1)
    assert parquet_bytes(a.path) != parquet_bytes(b.path)
    numbers = [int(c.split()[3]) for c in load(a.path)["caption"] if c]
    assert numbers == sorted(numbers) and max(numbers) > 200  # source order, spread over groups


def test_diverse_keeps_edge_cases(captions, tmp_path):
    make_tiny_dataset(captions, tmp_path / "t", rows=10, sample="diverse")
    ds = load(tmp_path / "t")
    assert len(ds) == 10
    assert "" in ds["caption"]  # the empty caption at row 337 survives
    assert None in ds["image"]  # so does the row missing its image (211)
    assert set(ds["label"]) == {0, 2}  # 'bird' appears only in the last row of 400
    assert [] in ds["tags"]
    first = make_tiny_dataset(captions, tmp_path / "f", rows=10)
    assert "" not in load(first.path)["caption"]


def test_max_chars_on_character_boundary(tmp_path):
    src = tmp_path / "t.jsonl"
    src.write_text('{"text": "cafe\\u0301 au lait"}\n{"text": "\\u00e9t\\u00e9"}\n',
                   encoding="utf-8")
    make_tiny_dataset(src, tmp_path / "o", rows=2, max_chars=4)
    assert load(tmp_path / "o")["text"] == ["caf", "été"]  # never splits e + combining accent


def test_line_formats_stop_early(jsonl, tmp_path):
    # the corrupt last line proves the reader never got there
    result = make_tiny_dataset(jsonl, tmp_path / "t", rows=50)
    assert result.splits == {"train": 50}
    assert load(tmp_path / "t")["score"][:5] == [0, 1, 2, 3, 0]
    with pytest.raises(SourceError, match="line 2001 is not valid JSON"):
        make_tiny_dataset(jsonl, tmp_path / "all", rows=3000)
    assert not (tmp_path / "all").exists()


def test_csv_txt_and_glob(tmp_path):
    (tmp_path / "a.csv").write_text("q,a\nwhat,this\nwhy,that\nhow,so\n")
    make_tiny_dataset(tmp_path / "a.csv", tmp_path / "c", rows=2)
    assert load(tmp_path / "c")[:] == {"q": ["what", "why"], "a": ["this", "that"]}
    (tmp_path / "b.txt").write_text("one\ntwo\nthree\n")
    make_tiny_dataset(tmp_path / "b.txt", tmp_path / "t", rows=2)
    assert load(tmp_path / "t")["text"] == ["one", "two"]
    for i in range(2):
        (tmp_path / f"part{i}.jsonl").write_text("".join(f'{{"n": {i * 10 + k}}}\n'
                                                         for k in range(3)))
    make_tiny_dataset(str(tmp_path / "part*.jsonl"), tmp_path / "g", rows=5)
    assert load(tmp_path / "g")["n"] == [0, 1, 2, 10, 11]


def test_save_to_disk_splits(saved_dict, tmp_path):
    result = make_tiny_dataset(saved_dict, tmp_path / "t", rows=5)
    assert result.splits == {"train": 5, "test": 5}
    assert load(tmp_path / "t", "test")["text"][0] == "test 0"
    assert load(tmp_path / "t", "test").features["label"].names == ["neg", "pos"]
    only = make_tiny_dataset(saved_dict, tmp_path / "o", rows=3, split="test")
    assert only.splits == {"test": 3}
    with pytest.raises(SourceError, match="split 'validation' is not in .* train, test"):
        make_tiny_dataset(saved_dict, tmp_path / "x", rows=3, split="validation")


def test_tiny_dataset_is_a_source(saved_dict, tmp_path):
    make_tiny_dataset(saved_dict, tmp_path / "t", rows=5)
    again = make_tiny_dataset(tmp_path / "t", tmp_path / "t2", rows=2)
    assert again.splits == {"train": 2, "test": 2}


def test_imagefolder_skips_undecodable(imagefolder, tmp_path):
    result = make_tiny_dataset(imagefolder, tmp_path / "t", rows=10)
    assert result.splits == {"train": 3} and result.skipped == 1
    assert any("broken.jpg" in n and "undecodable image" in n for n in result.notes)
    ds = load(tmp_path / "t")
    assert ds.features["label"].names == ["cat", "dog"]
    assert sorted(row["image"].size for row in ds) == [(8, 32), (32, 21), (32, 32)]
    assert "broken.jpg" in (tmp_path / "t" / "README.md").read_text()


def test_audio_resampled_and_cut(audiofolder, tmp_path):
    import datasets
    import soundfile

    result = make_tiny_dataset(audiofolder, tmp_path / "t", rows=5, audio_seconds=1.0)
    assert result.splits == {"train": 2}
    ds = load(tmp_path / "t")
    assert ds.features["audio"] == datasets.Audio(sampling_rate=16_000)
    raw = ds.cast_column("audio", datasets.Audio(decode=False))
    lengths = {}
    for item in raw["audio"]:
        samples, rate = soundfile.read(io.BytesIO(item["bytes"]), always_2d=True)
        assert rate == 16_000
        lengths[item["path"]] = samples.shape
    assert lengths == {"long.wav": (16_000, 2), "short.wav": (6_400, 1)}


def test_video_kept_small_dropped_big(tmp_path):
    from datasets import Features, Value, Video

    feats = Features({"clip": Video(), "n": Value("int32")})
    rows = [{"clip": {"bytes": b"\x00" * 1000, "path": "small.mp4"}, "n": 0},
            {"clip": {"bytes": b"\x00" * 2_000_000, "path": "big.mp4"}, "n": 1}]
    write_parquet(tmp_path / "v.parquet", rows, feats)
    result = make_tiny_dataset(tmp_path / "v.parquet", tmp_path / "t", rows=2)
    table = pq.read_table(tmp_path / "t" / "data" / "train-00000-of-00001.parquet")
    clips = table.column("clip").to_pylist()
    assert clips[0]["bytes"] == b"\x00" * 1000 and clips[1] is None
    assert any("video" in n and "dropped" in n for n in result.notes)


def test_corrupt_image_bytes_in_parquet_skipped(tmp_path):
    rows = [{"caption": f"c{i}", "image": {"bytes": b"garbage" if i == 1 else
                                           _png_bytes(40, 20), "path": None},
             "label": 0, "tags": []} for i in range(4)]
    write_parquet(tmp_path / "s.parquet", rows, caption_features())
    result = make_tiny_dataset(tmp_path / "s.parquet", tmp_path / "t", rows=3)
    assert load(tmp_path / "t")["caption"] == ["c0", "c2", "c3"]
    assert result.skipped == 1 and "row 1" in result.notes[0]


def _png_bytes(w, h):
    buf = io.BytesIO()
    Image.new("RGB", (w, h)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("kwargs, match", [
    ({"rows": 0}, "--rows"), ({"sample": "best"}, "--sample"), ({"image_size": 0}, "image"),
    ({"audio_seconds": 0}, "audio"), ({"max_chars": -1}, "max-chars")])
def test_bad_options(captions, tmp_path, kwargs, match):
    with pytest.raises(OptionError, match=match):
        make_tiny_dataset(captions, tmp_path / "t", **{"rows": 5, **kwargs})
    assert not (tmp_path / "t").exists()
