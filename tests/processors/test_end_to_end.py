"""The real user path on tiny models: AutoProcessor → chat template / pipeline → generate, with the
processor files tinytrio wrote, for bare model types and Hub configs that ship no processor."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tinytrio import make_tiny_model
from tinytrio.check import check_model

FIXTURES = Path(__file__).parents[1] / "fixtures" / "configs"
SOURCES = {
    "llava": "llava", "gemma3": "gemma3", "paligemma": "paligemma", "idefics3": "idefics3",
    "whisper": "whisper", "vit": "vit", "clip": "clip", "qwen2_vl": "qwen2_vl",
    "llava-hub": str(FIXTURES / "llava-hf__llava-1.5-7b-hf.json"),
    "qwen2-vl-hub": str(FIXTURES / "Qwen__Qwen2-VL-7B-Instruct.json"),
}
# a video clip; a processor class without a chat template; no processor class (a tokenizer beside
# an image processor)
PATHS = {"videomae": "frames", "blip-2": "no chat template",
         "cosmos3_omni": "tokenizer + image processor",
         "xclip": "text by the tokenizer"}  # clips from the checkpoints' VideoMAE processor
NEEDS_TORCHVISION = {"qwen2_vl", "qwen2-vl-hub"}  # transformers 5.23 builds Qwen2VLProcessor only
# with a video processor, which needs torchvision


def _torchvision() -> bool:
    from transformers.utils import is_torchvision_available

    return is_torchvision_available()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("proc")
    cache = {}

    def get(name):
        if name not in cache:
            out = root / name
            result = make_tiny_model(SOURCES.get(name, name), out, check=False)
            cache[name] = (out, result)
        return cache[name]

    return get


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_processor_path_runs(built, name):
    out, result = built(name)
    assert result.processors["status"] == "written", result.processors
    report = check_model(out, raise_on_fail=False)
    entry = report["checks"]["processor"]
    assert report["ok"], report["checks"]
    if name in NEEDS_TORCHVISION and not _torchvision():
        assert entry["status"] == "skip" and "torchvision" in entry["detail"]
    else:
        assert entry["status"] == "pass", entry
    # processor files stay tiny
    for f in ("processor_config.json", "preprocessor_config.json", "chat_template.jinja"):
        if (out / f).exists():
            assert (out / f).stat().st_size < 4096, f


@pytest.mark.parametrize("name,tokens", [("llava", 16), ("paligemma", 16), ("idefics3", 4),
                                         ("llava-hub", 16), ("gemma3", 16)])
def test_image_tokens_match_the_tiny_config(built, name, tokens):
    out, result = built(name)
    assert result.processors["tokens_per_image"] == tokens
    detail = check_model(out)["checks"]["processor"]["detail"]
    assert f"({tokens} image tokens)" in detail


def test_loads_without_tinytrio(built):
    """AutoProcessor / pipeline loading needs only transformers: tinytrio made unimportable."""
    paths = {n: str(built(n)[0]) for n in ("llava", "gemma3", "whisper", "vit")}
    code = f"""
import sys, json
sys.modules["tinytrio"] = None
from transformers import AutoProcessor, AutoImageProcessor
paths = json.loads({json.dumps(json.dumps(paths))})
for name in ("llava", "gemma3", "whisper"):
    p = AutoProcessor.from_pretrained(paths[name])
    print(name, type(p).__name__)
print("vit", type(AutoImageProcessor.from_pretrained(paths["vit"])).__name__)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "llava LlavaProcessor" in done.stdout and "whisper WhisperProcessor" in done.stdout
    assert "vit ViTImageProcessor" in done.stdout


def test_whisper_window_is_one_second(built):
    out, _ = built("whisper")
    fe = json.loads((out / "preprocessor_config.json").read_text())
    config = json.loads((out / "config.json").read_text())
    assert fe["nb_max_frames"] == 2 * config["max_source_positions"] == 100
    assert (fe["chunk_length"], fe["n_samples"]) == (1, 16000)
    assert fe["feature_size"] == config["num_mel_bins"]


def test_tokenizer_carries_the_processors_strings(built):
    from transformers import AutoTokenizer

    for name, key, string in (("llava", "image_token_index", "<image>"),
                              ("gemma3", "boi_token_index", "<start_of_image>"),
                              ("gemma3", "image_token_index", "<image_soft_token>"),
                              ("qwen2_vl", "image_token_id", "<|image_pad|>"),
                              ("qwen2_vl", "vision_start_token_id", "<|vision_start|>")):
        out, _ = built(name)
        tok = AutoTokenizer.from_pretrained(out)
        config = json.loads((out / "config.json").read_text())
        assert tok.convert_tokens_to_ids(string) == config[key], (name, key)


def test_processor_added_tokens_fit_the_vocab(built):
    """PaliGemma's processor adds 1152 <loc>/<seg> tokens at every load: the vocab covers them."""
    from transformers import AutoProcessor

    out, result = built("paligemma")
    proc = AutoProcessor.from_pretrained(out)
    assert len(proc.tokenizer) <= result.vocab_size


def test_qwen2_vl_files_drive_the_model(built):
    """Without torchvision transformers cannot build Qwen2VLProcessor; its image processor, the
    tokenizer and the chat template tinytrio wrote still drive the tiny model end to end."""
    import numpy as np
    import torch
    from PIL import Image
    from transformers import AutoTokenizer, Qwen2VLForConditionalGeneration
    from transformers.models.qwen2_vl import image_processing_pil_qwen2_vl as ipq

    out, result = built("qwen2-vl-hub")
    proc = json.loads((out / "processor_config.json").read_text())
    assert proc["processor_class"] == "Qwen2VLProcessor"
    ip = ipq.Qwen2VLImageProcessorPil.from_dict(proc["image_processor"])
    side = result.processors["image_side"]
    image = Image.fromarray(np.zeros((side, side, 3), dtype=np.uint8))
    pixels = ip(images=[image], return_tensors="pt")
    n = int(pixels["image_grid_thw"].prod()) // ip.merge_size ** 2
    assert n == result.processors["tokens_per_image"] == 16
    tok = AutoTokenizer.from_pretrained(out)
    template = (out / "chat_template.jinja").read_text()
    messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Hi"}]}]
    text = tok.apply_chat_template(messages, chat_template=template, tokenize=False,
                                   add_generation_prompt=True)
    text = text.replace("<|image_pad|>", "<|image_pad|>" * n)
    ids = tok(text, return_tensors="pt")
    model = Qwen2VLForConditionalGeneration.from_pretrained(out).eval()
    with torch.no_grad():
        gen = model.generate(**ids, pixel_values=pixels["pixel_values"],
                             image_grid_thw=pixels["image_grid_thw"], max_new_tokens=3,
                             do_sample=False)
    assert gen.shape[-1] == ids["input_ids"].shape[-1] + 3


def test_processor_files_are_deterministic(tmp_path):
    a = make_tiny_model("llava", tmp_path / "a", check=False)
    b = make_tiny_model("llava", tmp_path / "b", check=False)
    assert a.processors == b.processors or a.processors["files"] == b.processors["files"]
    for f in a.processors["files"]:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_no_processor_for_text_models(tmp_path):
    r = make_tiny_model("llama", tmp_path / "l", check=False)
    assert r.processors["status"] == "none"
    assert not (tmp_path / "l" / "processor_config.json").exists()


LLAVA_PREPROCESSOR = {
    "crop_size": {"height": 336, "width": 336}, "do_center_crop": True, "do_convert_rgb": True,
    "do_normalize": True, "do_rescale": True, "do_resize": True,
    "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_processor_type": "CLIPImageProcessor",
    "image_std": [0.26862954, 0.26130258, 0.27577711], "processor_class": "LlavaProcessor",
    "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 336}}
LLAVA_PROCESSOR = {"image_token": "<image>", "num_additional_image_tokens": 1, "patch_size": 14,
                   "processor_class": "LlavaProcessor",
                   "vision_feature_select_strategy": "default"}
LLAVA_TEMPLATE = (
    "{% for message in messages %}{{ message['role'].upper() + ': '}}{% for content in "
    "message['content'] | selectattr('type', 'equalto', 'image') %}{{ '<image>\\n' }}{% endfor %}"
    "{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
    "{{ content['text'] + ' '}}{% endfor %}{% endfor %}"
    "{% if add_generation_prompt %}{{ 'ASSISTANT:' }}{% endif %}")


def test_source_processor_files_are_shrunk(tmp_path):
    """A source directory shipping llava-1.5's v4-style processor files: they are read, shrunk
    (336px -> the tiny side), their chat template kept; the tiny artifact is itself a source."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "config.json").write_text((FIXTURES / "llava-hf__llava-1.5-7b-hf.json").read_text())
    (src / "preprocessor_config.json").write_text(json.dumps(LLAVA_PREPROCESSOR))
    (src / "processor_config.json").write_text(json.dumps(LLAVA_PROCESSOR))
    (src / "chat_template.json").write_text(json.dumps({"chat_template": LLAVA_TEMPLATE}))
    r = make_tiny_model(str(src), tmp_path / "tiny", check=False)
    assert r.processors["from"] == "source", r.processors
    pre = json.loads((tmp_path / "tiny" / "preprocessor_config.json").read_text())
    assert pre["image_processor_type"] == "CLIPImageProcessor"
    assert pre["crop_size"] == {"height": 56, "width": 56} and pre["size"] == {"shortest_edge": 56}
    assert (tmp_path / "tiny" / "chat_template.jinja").read_text() == LLAVA_TEMPLATE
    detail = check_model(tmp_path / "tiny")["checks"]["processor"]["detail"]
    assert "(16 image tokens)" in detail and "(1, 3, 56, 56)" in detail
    again = make_tiny_model(str(tmp_path / "tiny"), tmp_path / "again", check=False)
    assert again.processors["from"] == "source"
    for f in ("preprocessor_config.json", "processor_config.json", "chat_template.jinja"):
        assert (tmp_path / "again" / f).read_bytes() == (tmp_path / "tiny" / f).read_bytes(), f


@pytest.mark.parametrize("name", sorted(PATHS))
def test_processor_paths_without_a_plain_chat(built, name):
    out, _ = built(name)
    entry = check_model(out, raise_on_fail=False)["checks"]["processor"]
    assert entry["status"] == "pass" and PATHS[name] in entry["detail"], entry


def test_tokenizerless_encoder_runs_its_feature_extractor(built):
    """w2v-BERT 2.0 is a pretrained-only encoder (no vocab, no tokenizer): its directory holds the
    feature extractor the checkpoint names (SeamlessM4T mel features, not transformers' mapped
    Wav2Vec2 raw-audio one), and the processor check drives the model with it alone."""
    out, _ = built("wav2vec2-bert")
    pre = json.loads((out / "preprocessor_config.json").read_text())
    assert pre["feature_extractor_type"] == "SeamlessM4TFeatureExtractor"
    report = check_model(out, fast=True, raise_on_fail=False)
    assert report["checks"]["processor"]["status"] == "pass", report["checks"]["processor"]
