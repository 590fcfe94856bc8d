"""`tinytrio dataset …` in real subprocesses: success, lazy imports, bad input → exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ENV = {k: v for k, v in os.environ.items() if k != "TINYTRIO_DEBUG"}
ENV["HF_HUB_OFFLINE"] = "1"


def run(*args):
    return subprocess.run([sys.executable, "-m", "tinytrio.cli", *map(str, args)],
                          capture_output=True, text=True, env=ENV, timeout=180)


def test_make_unpack_pack(captions, tmp_path):
    done = run("dataset", captions, "-o", tmp_path / "t", "--rows", "4", "--sample", "diverse",
               "--image-size", "16", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["splits"] == {"train": 4}
    done = run("dataset", "unpack", tmp_path / "t", "-o", tmp_path / "rec", "--rows", "0,2-3")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "rec" / "train").iterdir()) == \
        ["00000", "00002", "00003"]
    done = run("dataset", "pack", tmp_path / "rec", "-o", tmp_path / "p", "--rows", "1000",
               "--unique-text")
    assert done.returncode == 0, done.stderr
    assert "train 1,000 rows" in done.stdout


def test_help_is_light():
    code = ("import sys\nfrom tinytrio.cli import main\n"
            "try:\n    main(['dataset', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('HEAVY', [m for m in ('torch', 'datasets', 'pyarrow', 'transformers') "
            "if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=ENV, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout and "unpack" in done.stdout


def test_skipped_image_reported(imagefolder, tmp_path):
    done = run("dataset", imagefolder, "-o", tmp_path / "t", "--rows", "5")
    assert done.returncode == 0, done.stderr
    assert "broken.jpg" in done.stderr and "undecodable image" in done.stderr


def _bad(tmp_path, captions):
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1 this is not parquet at all")
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(captions.read_bytes()[: captions.stat().st_size // 2])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    import pyarrow as pa
    import pyarrow.parquet as pq

    empty_pq = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), empty_pq)
    pages = tmp_path / "pages.parquet"
    pq.write_table(pa.table({"text": [f"row {i} " * 50 for i in range(2000)]}), pages,
                   compression="snappy", use_dictionary=False)
    data = bytearray(pages.read_bytes())
    data[100:20000] = b"\xff" * 19900
    pages.write_bytes(bytes(data))
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("x")
    return {
        "missing source": ["dataset", tmp_path / "nope" / "data.parquet"],
        "missing glob": ["dataset", str(tmp_path / "nope-*.jsonl")],
        "corrupt parquet": ["dataset", corrupt],
        "truncated parquet": ["dataset", truncated],
        "zero rows": ["dataset", empty],
        "zero-row parquet": ["dataset", empty_pq],
        "corrupt parquet pages": ["dataset", pages],
        "unknown split": ["dataset", captions, "--split", "validation"],
        "offline hub id": ["dataset", "someorg/never-cached-dataset"],
        "rows 0": ["dataset", captions, "--rows", "0"],
        "bad sample": ["dataset", captions, "--sample", "best"],
        "unsupported file": ["dataset", full / "x"],
        "config on a file": ["dataset", captions, "--config", "en"],
        "pack not unpacked": ["dataset", "pack", full, "--rows", "3"],
        "unpack bad rows": ["dataset", "unpack", captions, "--rows", "x-y"],
    }


BAD = ["missing source", "missing glob", "corrupt parquet", "truncated parquet", "zero rows",
       "zero-row parquet", "corrupt parquet pages", "unknown split", "offline hub id",
       "rows 0", "bad sample", "unsupported file", "config on a file", "pack not unpacked",
       "unpack bad rows"]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_exit_2_nothing_written(case, captions, tmp_path):
    args = _bad(tmp_path, captions)[case]
    out = tmp_path / "out" / "tiny"
    done = run(*args, "-o", out)
    assert done.returncode == 2, (case, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("tinytrio: error: ") and "Traceback" not in done.stderr, lines
    assert not (tmp_path / "out").exists(), case
    print(case, "->", lines[-1])
