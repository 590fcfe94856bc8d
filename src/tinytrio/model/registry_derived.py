"""Registry data for sizes a config derives, or leaves None / absent, although the modeling code
reads them: split from registry.py (which re-exports these names) to keep both readable."""

from __future__ import annotations

# Sizes a config class derives from others when None (Zamba: attention on [hidden, embeddings],
# twice the width): reset to None in the original so the tiny config derives them again.
REDERIVED: dict[str, tuple[str, ...]] = {
    "zamba": ("attention_hidden_size", "attention_head_dim"),
    "xcodec": ("codebook_dim",),  # = acoustic + semantic widths: the quantizer reads their concat
    # = (image_size / patch_size)²: every crop's patches get one row each, added unsliced
    "molmo2_vision": ("num_position_embeddings",),
}
# Keys a default config leaves None although the modeling code reads them unguarded (`head_dim
# ** -0.5`, `heads // kv_heads`): filled with the value the config class documents for None.
# key -> (keys it is derived from, how); filled only where every source key is an integer.
DERIVED_NONE: dict[str, tuple[tuple[str, ...], object]] = {
    "head_dim": (("hidden_size", "num_attention_heads"), lambda h, a: h // a),  # hunyuan, ministral
    "num_key_value_heads": (("num_attention_heads",), lambda a: a),  # nemotron: None = MHA
    # DeepSeek-OCR-2: its text config derives no per-layer MLP kinds; the checkpoint's are
    # DeepSeek-V2's first_k_dense_replace=1 (a dense first layer, then MoE)
    "mlp_layer_types": (("num_hidden_layers",), lambda n: ["dense"] + ["sparse"] * (n - 1)),
}
# Keys a model type's modeling code reads but its config class never defines (the published
# checkpoints carry them): added to that level when absent, as DERIVED_NONE derives them.
DERIVED_ABSENT: dict[tuple[str, str], tuple[tuple[str, ...], object]] = {
    # the decoder config has no kv-heads field; moonshine-streaming checkpoints are plain MHA
    ("moonshine_streaming", "num_key_value_heads"): (("num_attention_heads",), lambda a: a),
    # Qwen-Omni thinkers: get_rope_index reads it; the checkpoints' thinker configs set
    # <|vision_start|> (151652), which the thinker config class never defines
    ("qwen2_5_omni_thinker", "vision_start_token_id"): ((), lambda: 151652),
    ("qwen3_omni_moe_thinker", "vision_start_token_id"): ((), lambda: 151652),
}
# Sizes the modeling code defaults in source when the config omits them; made explicit so that
# they shrink with the head dim: key -> pattern capturing the default (a Python literal).
IMPLICIT_ROPE = {
    "mrope_section": r'rope_param\w*\.get\(\s*"mrope_section",\s*(\[[\d,\s]+\])\s*\)',
}
# Rope keys the modeling code reads unguarded though no default config (nor source default) sets
# them: model_type -> {key: what the published checkpoints set}.
ROPE_DEFAULTS: dict[str, dict] = {
    "hunyuan_vl_text": {"mrope_section": [16, 16, 16, 16]},  # HunyuanOCR's xdrope_section;
}                                                   # the rotary forward takes len(mrope_section)

# Token ids into an audio-code vocab, not the text one (never remapped through the tokenizer):
# (model_type, key) -> the sizes whose sum is the table the id indexes, each a key or a product
# "a*b". An id near the table's end keeps its distance from the end, one near its start stays.
CODE_TOKEN_IDS: dict[tuple[str, str], tuple[str, ...]] = {
    # CSM: the codebook specials index its backbone's codes (2051 = Mimi's 2048 + 3)
    ("csm", "codebook_pad_token_id"): ("vocab_size",),
    ("csm", "codebook_eos_token_id"): ("vocab_size",),
    # Kyutai STT: bos ends the codebook vocab; pad is the last row of its one embedding table of
    # text ids then every codebook's codes (vocab + codebooks x codebook vocab + 1 rows)
    ("kyutai_speech_to_text", "audio_bos_token_id"): ("codebook_vocab_size",),
    ("kyutai_speech_to_text", "audio_pad_token_id"): (
        "vocab_size", "num_codebooks*codebook_vocab_size"),
}
# how near an end counts as "at" it: specials sit within a few rows of the table's end
CODE_ID_SLACK = 16
