"""The pytest plugin as a user meets it: a test file in a fresh directory, nothing but tinytrio."""

import json
import os
import subprocess
import sys
import time

USER_TEST = '''
def test_model(tiny_model):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = tiny_model("llama", hidden_size=32)
    model = AutoModelForCausalLM.from_pretrained(path)
    tok = AutoTokenizer.from_pretrained(path)
    out = model(**tok("hello", return_tensors="pt"))
    assert out.logits.shape[-1] == model.config.vocab_size
    assert tiny_model("llama", hidden_size=32) == path  # same options, same entry


def test_dataset(tiny_dataset):
    from datasets import load_dataset

    path = tiny_dataset(str(SRC), rows=7)
    ds = load_dataset(str(path))
    assert ds["train"].num_rows == 7
'''


def _write_user_project(directory, source_rows):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "test_user.py").write_text(
        USER_TEST.replace("str(SRC)", repr(str(source_rows))))


def _pytest(directory, cache):
    env = {**os.environ, "TINYTRIO_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(directory)], cwd=directory, capture_output=True, text=True,
                          env=env, timeout=600)
    return done, time.perf_counter() - t0


def _rows(tmp_path):
    src = tmp_path / "rows.jsonl"
    src.write_text("".join(json.dumps({"text": f"row {i}"}) + "\n" for i in range(50)))
    return src


def test_fixtures_in_a_fresh_directory_and_cache_hit(tmp_path):
    project, cache = tmp_path / "user", tmp_path / "cache"
    _write_user_project(project, _rows(tmp_path))
    first, t1 = _pytest(project, cache)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-2000:]
    weights = next(cache.glob("model/*/model.safetensors"))
    stamp = weights.stat().st_mtime_ns
    second, t2 = _pytest(project, cache)
    assert second.returncode == 0, second.stdout[-3000:]
    assert weights.stat().st_mtime_ns == stamp  # nothing rebuilt: served from the cache
    assert len(list(cache.glob("model/*/.recipe.json"))) == 1
    assert len(list(cache.glob("dataset/*/.recipe.json"))) == 1
    print(f"first run {t1:.1f}s, cached run {t2:.1f}s")


def test_two_concurrent_runs_on_an_empty_cache(tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "TINYTRIO_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    code = ("from tinytrio.testing import tiny_model; "
            "print(tiny_model('gpt2', hidden_size=32, check=False))")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    paths = {o[0].strip() for o in outs}
    assert len(paths) == 1 and len(list(cache.glob("model/*/.recipe.json"))) == 1
    assert not list(cache.glob("model/.*tinytrio-tmp*"))


def test_cache_ls_and_clear(tmp_path):
    env = {**os.environ, "TINYTRIO_CACHE": str(tmp_path / "c"), "HF_HUB_OFFLINE": "1"}
    subprocess.run([sys.executable, "-c", "from tinytrio.testing import tiny_model; "
                    "tiny_model('gpt2', hidden_size=32, check=False)"], env=env, check=True)
    ls = subprocess.run([sys.executable, "-m", "tinytrio.cli", "cache", "ls", "--json"],
                        env=env, capture_output=True, text=True)
    entries = json.loads(ls.stdout)
    assert len(entries) == 1 and entries[0]["source"] == "gpt2" and entries[0]["bytes"] > 0
    clear = subprocess.run([sys.executable, "-m", "tinytrio.cli", "cache", "clear"], env=env,
                           capture_output=True, text=True)
    assert "removed 1" in clear.stdout
    ls = subprocess.run([sys.executable, "-m", "tinytrio.cli", "cache", "ls", "--json"],
                        env=env, capture_output=True, text=True)
    assert json.loads(ls.stdout) == []
