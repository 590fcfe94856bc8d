"""Atomic artifacts: kill -9 at any moment leaves no OUT or a complete one; leftovers are cleaned."""

import json
import os
import signal
import subprocess
import sys
import time

from tinytrio._io import TMP_MARK, atomic_output_dir


def _complete(out):
    from transformers import AutoConfig

    AutoConfig.from_pretrained(out)
    return (out / "model.safetensors").is_file() and (out / "README.md").is_file()


def test_kill_9_at_many_moments(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    outcomes = []
    for i, delay in enumerate([1.0, 3.5, 4.5, 6.0]):
        out = tmp_path / f"o{i}"
        p = subprocess.Popen([sys.executable, "-m", "tinytrio.cli", "model", "llama", "-o",
                              str(out)], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if out.exists():
            assert _complete(out), f"incomplete OUT after kill at {delay}s"
            outcomes.append("complete")
        else:
            outcomes.append("absent")
        # the next run cleans what the dead one left and succeeds
        done = subprocess.run([sys.executable, "-m", "tinytrio.cli", "model", "llama", "-o",
                               str(out), "--force", "--no-check"], env=env, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        assert not list(tmp_path.glob(f".o{i}{TMP_MARK}*"))
    assert "absent" in outcomes  # the kill did land mid-build at least once


def test_failure_inside_leaves_nothing_and_replace_keeps_old_until_done(tmp_path):
    out = tmp_path / "out"
    try:
        with atomic_output_dir(out) as tmp:
            (tmp / "half").write_text("x")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert not out.exists() and not list(tmp_path.iterdir())
    with atomic_output_dir(out) as tmp:
        (tmp / "v").write_text("1")
    with atomic_output_dir(out, force=True) as tmp:
        assert (out / "v").read_text() == "1"  # the old one stays until the new one is done
        (tmp / "v").write_text("2")
    assert (out / "v").read_text() == "2" and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_stale_temporaries_of_dead_writers_are_removed_and_moved_out_restored(tmp_path):
    dead = 999_999  # no such pid
    (tmp_path / f".out{TMP_MARK}{dead}-abc123").mkdir()
    aside = tmp_path / f".out{TMP_MARK}{dead}-old"
    aside.mkdir()
    (aside / "config.json").write_text(json.dumps({"model_type": "llama"}))
    with atomic_output_dir(tmp_path / "other") as tmp:
        (tmp / "x").write_text("x")
    assert (tmp_path / f".out{TMP_MARK}{dead}-abc123").exists()  # only OUT's own siblings
    with atomic_output_dir(tmp_path / "out", force=True) as tmp:
        assert (tmp_path / "out" / "config.json").exists()  # restored before being replaced
        (tmp / "new").write_text("x")
    assert not (tmp_path / f".out{TMP_MARK}{dead}-abc123").exists()
