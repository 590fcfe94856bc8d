"""Processors that the auto mapping misses (Kosmos-2) or that refuse placeholders the plain
fallback chat template writes (HunYuan-VL: image tokens must sit between image start/end)."""

from tinytrio import make_tiny_model
from tinytrio.check import check_model
from tinytrio.processors.tokens import processor_class


def test_processor_class_the_checkpoints_name():
    assert processor_class("kosmos-2").__name__ == "Kosmos2Processor"


def test_fallback_template_wraps_where_the_processor_requires_it(tmp_path):
    out = tmp_path / "hunyuan_vl"
    make_tiny_model("hunyuan_vl", out, check=False)
    template = (out / "chat_template.jinja").read_text()
    assert "<|image_start|><|image|><|image_end|>" in template
    entry = check_model(out, raise_on_fail=False)["checks"]["processor"]
    assert entry["status"] == "pass", entry


def test_pyramid_tower_side_and_pooled_token(tmp_path):
    """Florence-2's DaViT tower: one token per total stride (4 x 2 x 2 x 2), plus the pooled one;
    an encoder-decoder's generate counts the decoder's new tokens."""
    import json

    from tinytrio.processors import Target

    out = tmp_path / "florence2"
    make_tiny_model("florence2", out, check=False)
    config = json.loads((out / "config.json").read_text())
    t = Target.of(config, config)
    assert (t.image_side, t.tokens) == (4 * 32, 4 * 4 + 1)
    entry = check_model(out, raise_on_fail=False)["checks"]["processor"]
    assert entry["status"] == "pass" and "(17 image tokens)" in entry["detail"], entry


def test_processor_token_named_by_a_more_specific_tokenizer_token():
    """Qianfan-OCR's processor: `self.image_token = tokenizer.context_image_token`: the config's
    image_token_id is that token; Gemma-3's `image_token = tokenizer.boi_token` is no alias."""
    from tinytrio.processors.tokens import name_for, tokenizer_aliases

    assert tokenizer_aliases("qianfan_ocr") == {"image_token": "context_image_token"}
    assert name_for("qianfan_ocr", "image_token_id") == "<|context_image|>"
    assert tokenizer_aliases("gemma3") == {}


def test_processor_that_writes_its_own_prompt_ships_no_template(tmp_path):
    """GOT-OCR-2's processor builds its OCR conversation for images alone and refuses the nested
    image batch a chat template hands it: no fallback template is written; images alone give
    the tiny model's image_seq_length (256, the processor's class constant the grid keeps)."""
    import json

    import numpy as np
    from PIL import Image
    from transformers import AutoProcessor

    from tinytrio.processors.build import writes_own_prompt

    out = tmp_path / "got_ocr2"
    make_tiny_model("got_ocr2", out, check=False)
    assert not (out / "chat_template.jinja").exists()
    proc = AutoProcessor.from_pretrained(out)
    assert proc.chat_template is None and writes_own_prompt(proc)
    ids = proc(images=[Image.fromarray(np.zeros((64, 64, 3), np.uint8))],
               return_tensors="np")["input_ids"]
    config = json.loads((out / "config.json").read_text())
    assert int((ids == proc.image_token_id).sum()) == config["image_seq_length"] == 256


def test_learned_query_count_matches_the_processor(tmp_path):
    """DeepSeek-OCR-2 learns 144 queries per view (12 x 12, in code); its processor counts
    ceil(side / patch / 4)² + 1 tokens: the tiny SAM grid keeps 48 patches a side."""
    out = tmp_path / "deepseek_ocr2"
    make_tiny_model("deepseek_ocr2", out, check=False)
    entry = check_model(out, raise_on_fail=False)["checks"]["processor"]
    assert entry["status"] == "pass" and "(145 image tokens)" in entry["detail"], entry
