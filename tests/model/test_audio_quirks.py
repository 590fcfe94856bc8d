"""Audio architectures whose code constrains a size or a generation setting the config leaves
free: CLVP's rotary dim is at least 32 per head (linked.MIN_HEAD_DIMS: fewer heads at the tiny
width), and its generate() reads the speech decoder's `.sequences` (GENERATION_DEFAULTS)."""

import json

from tinytrio import make_tiny_model
from tinytrio.model.shrink import ShrinkSpec, shrink_config


def test_heads_keep_a_minimum_head_dim():
    cfg = {"model_type": "clvp", "text_config": {"model_type": "clvp_encoder", "hidden_size": 768,
                                                 "num_attention_heads": 12}}
    tiny, _ = shrink_config(cfg)
    text = tiny["text_config"]
    assert text["hidden_size"] // text["num_attention_heads"] >= 32
    forced, _ = shrink_config(cfg, ShrinkSpec(None, None, 4, None))  # --heads wins
    assert forced["text_config"]["num_attention_heads"] == 4


def test_clvp_generation_config_returns_a_dict(tmp_path):
    make_tiny_model("clvp", tmp_path / "clvp", check=False)
    gen = json.loads((tmp_path / "clvp" / "generation_config.json").read_text())
    assert gen["return_dict_in_generate"] is True
