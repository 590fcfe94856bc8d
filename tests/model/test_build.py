"""make_tiny_model end to end on real published configs: builds, reloads, checks, stays tiny."""

import json
import subprocess
import sys

import pytest
from safetensors import safe_open

from tinytrio import make_tiny_model
from tinytrio.errors import OfflineError, OptionError, OutputError, ShrinkError

from ..conftest import CONFIGS

MB = 1_000_000


@pytest.mark.parametrize("config", CONFIGS, ids=[p.stem for p in CONFIGS])
def test_published_config_builds_checks_and_stays_tiny(config, tmp_path):
    r = make_tiny_model(str(config), tmp_path / "out")
    assert r.check["ok"], r.check
    assert r.bytes <= 5 * MB
    assert r.fidelity["kept"] == r.fidelity["total"]
    for kept, total in r.fidelity["layer_kinds"].values():
        assert kept == total
    assert r.original_params is None or r.original_params > 100 * r.params
    tiny = json.loads((tmp_path / "out" / "config.json").read_text())
    _assert_ids_match_tokenizer(tmp_path / "out", tiny)


def _assert_ids_match_tokenizer(path, config):
    """Every special / multimodal id is < vocab and names a token the tokenizer has."""
    from transformers import AutoTokenizer

    from tinytrio.model.pairing import text_vocab, token_id_slots

    if not (path / "tokenizer_config.json").exists():
        return
    tok = AutoTokenizer.from_pretrained(path)
    vocab = text_vocab(config)
    assert len(tok) <= vocab
    for slot, value in token_id_slots(config):
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, int):
                assert 0 <= v < vocab, (slot, v)
                assert tok.convert_ids_to_tokens(v) is not None, (slot, v)
    for attr in ("bos", "eos", "pad"):
        cid = config.get(f"{attr}_token_id")
        if isinstance(cid, int) and getattr(tok, f"{attr}_token", None) is not None:
            assert getattr(tok, f"{attr}_token_id") == cid or attr == "eos"


def test_llama_default_is_small_and_loads_without_tinytrio(tmp_path):
    out = tmp_path / "tiny-llama"
    r = make_tiny_model("llama", out)
    assert r.bytes <= 1.5 * MB
    code = f"""
import sys
sys.modules["tinytrio"] = None  # prove nothing of tinytrio is needed
from transformers import AutoModelForCausalLM, AutoTokenizer
tok = AutoTokenizer.from_pretrained({str(out)!r})
model = AutoModelForCausalLM.from_pretrained({str(out)!r})
ids = tok("Hello tiny world", return_tensors="pt")
out = model.generate(**ids, max_new_tokens=4, do_sample=False)
assert out.shape[1] == ids["input_ids"].shape[1] + 4, out.shape
print("ok", len(tok), model.config.vocab_size)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok")
    card = (out / "README.md").read_text()
    assert "library_name: transformers" in card and "tags: [tiny, random, testing]" in card
    assert "base_model: llama" in card and "tinytrio model llama" in card


def _files(path):
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def test_deterministic_and_seeded(tmp_path):
    a = make_tiny_model("gpt2", tmp_path / "a", check=False)
    b = make_tiny_model("gpt2", tmp_path / "b", check=False)
    c = make_tiny_model("gpt2", tmp_path / "c", seed=1, check=False)
    fa, fb, fc = _files(a.path), _files(b.path), _files(c.path)
    assert fa == fb
    assert fa["model.safetensors"] != fc["model.safetensors"]
    assert fa["tokenizer.json"] == fc["tokenizer.json"]


def test_rebuild_script_is_byte_identical(tmp_path):
    r = make_tiny_model("t5", tmp_path / "a", hidden_size=32, check=False)
    done = subprocess.run([sys.executable, str(r.path / "make_tiny_model.py"), str(tmp_path / "b")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _files(r.path) == _files(tmp_path / "b")


def test_tiny_artifact_is_a_source_and_resizes(tmp_path):
    first = make_tiny_model("mistral", tmp_path / "a")
    second = make_tiny_model(str(first.path), tmp_path / "b", hidden_size=32)
    cfg = json.loads((tmp_path / "b" / "config.json").read_text())
    assert cfg["hidden_size"] == 32 and second.params < first.params
    assert "base_model: mistral" in (tmp_path / "b" / "README.md").read_text()


def test_shards_and_dtype(tmp_path):
    r = make_tiny_model("llama", tmp_path / "s", shard_size="200KB", dtype="bfloat16")
    shards = sorted(p.name for p in r.path.glob("model-*.safetensors"))
    assert len(shards) >= 2 and (r.path / "model.safetensors.index.json").exists()
    with safe_open(r.path / shards[0], "pt") as f:
        assert str(f.get_tensor(next(iter(f.keys()))).dtype) == "torch.bfloat16"
    assert r.check["ok"]


def test_overrides_and_bad_options(tmp_path):
    r = make_tiny_model("llama", tmp_path / "o", set=["rms_norm_eps=1e-5"], check=False)
    assert json.loads((r.path / "config.json").read_text())["rms_norm_eps"] == 1e-5
    with pytest.raises(OptionError, match="no such config key"):
        make_tiny_model("llama", tmp_path / "x", set=["not_a_key=1"])
    with pytest.raises(OptionError, match="not divisible"):
        make_tiny_model("llama", tmp_path / "x", hidden_size=63, heads=4)
    with pytest.raises(OptionError, match="positive"):
        make_tiny_model("llama", tmp_path / "x", layers=-1)
    with pytest.raises(OptionError, match="--dtype"):
        make_tiny_model("llama", tmp_path / "x", dtype="float8")
    with pytest.raises(OptionError, match="sub-config"):
        make_tiny_model("llava", tmp_path / "x", set=["nope.hidden_size=8"])
    assert not (tmp_path / "x").exists()


def test_nested_override_reaches_sub_config(tmp_path):
    r = make_tiny_model("llava", tmp_path / "v", set=["text_config.rms_norm_eps=1e-4"], check=False)
    assert json.loads((r.path / "config.json").read_text())["text_config"]["rms_norm_eps"] == 1e-4


def test_out_refused_when_not_empty_and_replaced_with_force(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(OutputError, match="--force"):
        make_tiny_model("gpt2", out)
    assert (out / "keep.txt").read_text() == "mine"
    make_tiny_model("gpt2", out, force=True, check=False)
    assert not (out / "keep.txt").exists() and (out / "config.json").exists()
    file = tmp_path / "f"
    file.write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        make_tiny_model("gpt2", file)


def test_source_directory_is_not_modified(tmp_path, configs_dir):
    src = tmp_path / "src"
    src.mkdir()
    (src / "config.json").write_bytes((configs_dir / "meta-llama__Llama-3.1-8B.json").read_bytes())
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.iterdir()}
    make_tiny_model(str(src), tmp_path / "o", check=False)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.iterdir()} == before


def _fake_hub_cache(cache, repo, files):
    """The huggingface_hub cache layout, as `hf download` leaves it."""
    base = cache / ("models--" + repo.replace("/", "--"))
    snap = base / "snapshots" / ("0" * 40)
    snap.mkdir(parents=True)
    (base / "refs").mkdir()
    (base / "refs" / "main").write_text("0" * 40)
    for name, data in files.items():
        (snap / name).write_bytes(data)


def test_hub_id_offline_uses_cache_or_fails_cleanly(tmp_path, monkeypatch, configs_dir):
    cache = tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants as C

    monkeypatch.setattr(C, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(C, "HF_HUB_OFFLINE", True)
    with pytest.raises(OfflineError, match="not in the Hugging Face cache"):
        make_tiny_model("someorg/not-cached", tmp_path / "o")
    _fake_hub_cache(cache, "meta-llama/Llama-3.1-8B",
                    {"config.json": (configs_dir / "meta-llama__Llama-3.1-8B.json").read_bytes()})
    r = make_tiny_model("meta-llama/Llama-3.1-8B", tmp_path / "o")
    assert r.check["ok"] and "base_model: meta-llama/Llama-3.1-8B" in (
        r.path / "README.md").read_text()


def test_bloom_176b_shrinks_in_little_memory(tmp_path, configs_dir):
    code = f"""
import resource
from tinytrio import make_tiny_model
r = make_tiny_model({str(configs_dir / 'bigscience__bloom.json')!r}, {str(tmp_path / 'b')!r})
assert r.original_params > 170e9, r.original_params
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    peak_mb = int(done.stdout.split()[-1])
    assert peak_mb <= 1500, f"peak RSS {peak_mb} MB"


def test_impossible_model_fails_cleanly(tmp_path):
    with pytest.raises((ShrinkError, OptionError)):
        make_tiny_model("llama", tmp_path / "o", heads=3, hidden_size=63, set=["head_dim=0"])
    assert not (tmp_path / "o").exists()


# Vision inputs laid out as each tower wants them (media.py / inputs.py), one type per mechanism:
# naflex patches with (x, y) positions and a default-filled optional vision sub-config (Gemma-4),
# per-patch [C, p, p] pixels (PaddleOCR-VL), video-token placeholders over frames
# (InstructBLIP-Video), one strip of patches with target sizes (MiniCPM-V's tower).
@pytest.mark.parametrize("model_type, wanted", [
    ("gemma4", {"image_position_ids"}), ("paddleocr_vl", {"image_grid_thw"}),
    ("instructblipvideo", {"qformer_input_ids"}), ("minicpm_ocr_vision", {"target_sizes"}),
    # the whole model: its image token filled (TYPE_DEFAULTS), placeholders counted through the
    # inner model's get_image_features (the head's takes only *args, **kwargs)
    ("minicpm_ocr", {"pixel_values", "target_sizes"})])
def test_vision_inputs_fit_the_tower(model_type, wanted, tmp_path):
    import torch

    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import image_token_id, make_inputs

    out = tmp_path / model_type
    make_tiny_model(model_type, out, check=False)
    config = json.loads((out / "config.json").read_text())
    vision = config.get("vision_config") or config
    assert vision["hidden_size"] <= 64  # a filled sub-config is shrunk like any other
    cls, _ = pick_model_class(config)
    model = cls.from_pretrained(out).eval()
    inputs = make_inputs(model)
    assert wanted <= set(inputs), sorted(inputs)
    with torch.no_grad():
        model(**inputs)  # placeholders and features agree, or the forward raises
    token = image_token_id(model.config)
    if "input_ids" in inputs and token is not None:
        assert (inputs["input_ids"] == token).any()


# Audio, time-series, robotics and text-to-speech inputs (media_av.py), one type per mechanism:
# a frame mask for the CTC loss (Parakeet), sound beside text for an audio tower and a
# [B, C, frames, mels] spectrogram (CLAP), a univariate series with padding and frequency
# (TimesFM), a trajectory (Decision Transformer), duration/pitch/energy targets (FastSpeech 2).
@pytest.mark.parametrize("model_type, wanted", [
    ("parakeet_ctc", {"attention_mask", "labels"}), ("clap", {"input_ids", "input_features"}),
    ("timesfm", {"past_values_padding", "freq"}), ("decision_transformer", {"returns_to_go"}),
    ("fastspeech2_conformer", {"duration_labels", "spectrogram_labels"})])
def test_av_inputs_train(model_type, wanted, tmp_path):
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs

    out = tmp_path / model_type
    make_tiny_model(model_type, out, check=False)
    cls, _ = pick_model_class(json.loads((out / "config.json").read_text()))
    model = cls.from_pretrained(out).train()
    inputs = make_inputs(model, labels=True)
    assert wanted <= set(inputs), sorted(inputs)
    out = model(**inputs)
    loss = out.loss if getattr(out, "loss", None) is not None else out[0].float().pow(2).mean()
    loss.mean().backward()
    assert any(p.grad is not None for p in model.parameters())


def test_perceiver_latents_shrink_and_labels_cover_every_decoded_position(tmp_path):
    """Perceiver's latent width and self-attention depth shrink (d_latents, num_self_attends_per_
    block); its masked-LM decoder emits max_position_embeddings positions whatever the input
    length, so the labels span them all (the positions past the input ignored)."""
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs

    out = tmp_path / "perceiver"
    result = make_tiny_model("perceiver", out, check=False)
    assert result.params < 1_000_000
    cls, _ = pick_model_class(json.loads((out / "config.json").read_text()))
    model = cls.from_pretrained(out).train()
    inputs = make_inputs(model, labels=True)
    positions = model.config.max_position_embeddings
    assert inputs["labels"].shape[1] == positions > inputs["input_ids"].shape[1]
    assert (inputs["labels"][:, inputs["input_ids"].shape[1]:] == -100).all()
    model(**inputs).loss.backward()
