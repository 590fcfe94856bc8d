"""Remote code (issue 8): never run unless --trust-remote-code; with it, the checkpoint's own
classes are built, checked, and shipped in the artifact so it reloads with tinytrio uninstalled.

The "checkpoint" is a local directory with its own configuration/modeling files, a model_type
transformers does not know, and an `auto_map`, as Hub repos with custom code have."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG_PY = '''
from transformers import LlamaConfig


class TinyFooConfig(LlamaConfig):
    model_type = "tinyfoo"
'''
MODELING_PY = '''
from transformers import LlamaForCausalLM, LlamaModel

from .configuration_tinyfoo import TinyFooConfig


class TinyFooModel(LlamaModel):
    config_class = TinyFooConfig


class TinyFooForCausalLM(LlamaForCausalLM):
    config_class = TinyFooConfig
    remote_marker = "tinyfoo"
'''
AUTO_MAP = {"AutoConfig": "configuration_tinyfoo.TinyFooConfig",
            "AutoModel": "modeling_tinyfoo.TinyFooModel",
            "AutoModelForCausalLM": "modeling_tinyfoo.TinyFooForCausalLM"}


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "tinytrio.cli", *args], capture_output=True,
                          text=True, env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})


@pytest.fixture(scope="module")
def remote_source(tmp_path_factory) -> Path:
    """A llama-shaped checkpoint whose code ships beside its config (no weights: never read)."""
    from tinytrio import make_tiny_model

    root = tmp_path_factory.mktemp("remote")
    base = make_tiny_model("llama", root / "base", check=False).path
    src = root / "tinyfoo"
    src.mkdir()
    for f in base.iterdir():
        if f.name.startswith("tokenizer") or f.name == "special_tokens_map.json":
            shutil.copy(f, src / f.name)
    config = json.loads((base / "config.json").read_text())
    config.update(model_type="tinyfoo", architectures=["TinyFooForCausalLM"], auto_map=AUTO_MAP,
                  hidden_size=256, intermediate_size=688, num_hidden_layers=6)
    (src / "config.json").write_text(json.dumps(config))
    (src / "configuration_tinyfoo.py").write_text(CONFIG_PY)
    (src / "modeling_tinyfoo.py").write_text(MODELING_PY)
    return src


def _snapshot(path: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_remote_code_is_refused_without_the_flag(remote_source, tmp_path):
    before = _snapshot(remote_source)
    r = _cli("model", str(remote_source), "-o", str(tmp_path / "out"))
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--trust-remote-code" in lines[0] and "tinyfoo" in lines[0]
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()
    assert _snapshot(remote_source) == before


def test_trusted_remote_code_builds_checks_and_ships(remote_source, tmp_path):
    out = tmp_path / "out"
    r = _cli("model", str(remote_source), "-o", str(out), "--trust-remote-code", "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    result = json.loads(r.stdout)
    assert result["architecture"] == "TinyFooForCausalLM"
    assert result["check"]["ok"]
    assert result["params"] < result["original_params"] / 10
    config = json.loads((out / "config.json").read_text())
    assert config["model_type"] == "tinyfoo" and config["hidden_size"] == 64
    assert config["auto_map"]["AutoModelForCausalLM"].endswith("TinyFooForCausalLM")
    assert (out / "modeling_tinyfoo.py").is_file() and (out / "configuration_tinyfoo.py").is_file()
    assert "--trust-remote-code" in (out / "README.md").read_text()
    # the artifact loads through transformers' own remote-code path, tinytrio not importable
    code = ("import sys; sys.modules['tinytrio'] = None\n"
            "import torch; from transformers import AutoModelForCausalLM\n"
            f"m = AutoModelForCausalLM.from_pretrained({str(out)!r}, trust_remote_code=True)\n"
            "assert type(m).remote_marker == 'tinyfoo'\n"
            "print(m.generate(torch.tensor([[1, 2, 3]]), max_new_tokens=2).shape[1])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "5"
    # `tinytrio check` of the artifact needs the flag as well
    refused = _cli("check", str(out), "--fast")
    assert refused.returncode == 2 and "--trust-remote-code" in refused.stderr
    assert _cli("check", str(out), "--fast", "--trust-remote-code").returncode == 0


def test_native_model_type_with_auto_map_uses_the_native_class(remote_source, tmp_path):
    """Without the flag, a native model_type ignores auto_map (no code runs)."""
    native = tmp_path / "native"
    shutil.copytree(remote_source, native)
    config = json.loads((native / "config.json").read_text())
    config.update(model_type="llama", architectures=["LlamaForCausalLM"])
    (native / "config.json").write_text(json.dumps(config))
    (native / "modeling_tinyfoo.py").write_text("raise RuntimeError('remote code ran')\n")
    from tinytrio import make_tiny_model

    r = make_tiny_model(str(native), tmp_path / "out", check=False)
    assert r.architecture == "LlamaForCausalLM"
    assert "auto_map" not in json.loads((r.path / "config.json").read_text())
    assert not (r.path / "modeling_tinyfoo.py").exists()


def test_remote_code_that_does_not_import_is_one_clear_line(remote_source, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(remote_source, broken)
    (broken / "modeling_tinyfoo.py").write_text("import not_a_module_anywhere\n")
    r = _cli("model", str(broken), "-o", str(tmp_path / "out"), "--trust-remote-code")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "not_a_module_anywhere" in r.stderr
    assert not (tmp_path / "out").exists()
