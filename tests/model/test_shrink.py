"""The pure shrinker: known answers on real configs, properties over sizes and architectures."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinytrio.errors import OptionError
from tinytrio.model.layers import choose_layers
from tinytrio.model.rope import shrink_rope
from tinytrio.model.shrink import ShrinkSpec, family, shrink_config
from tinytrio.sources import normalized_config

from ..conftest import CONFIGS


def load(name):
    path = next(p for p in CONFIGS if p.stem == name)
    return normalized_config(json.loads(path.read_text()))


def test_llama3_gqa_and_rope_scaling_kept():
    orig = load("meta-llama__Llama-3.1-8B")
    tiny, report = shrink_config(orig)
    assert (tiny["hidden_size"], tiny["num_attention_heads"], tiny["num_key_value_heads"]) == (
        64, 4, 2)  # GQA stays GQA
    assert tiny["rope_parameters"] == orig["rope_parameters"]
    assert tiny["rope_parameters"]["rope_type"] == "llama3"
    assert report.kept == report.total


def test_deepseek_v3_moe_groups_mla_dense_first():
    orig = load("deepseek-ai__DeepSeek-V3")
    tiny, report = shrink_config(orig)
    assert tiny["first_k_dense_replace"] == orig["first_k_dense_replace"] == 3
    assert tiny["num_hidden_layers"] == 4  # 3 dense + 1 MoE: both kinds survive
    assert report.layer_kinds["."] == (2, 2)
    e, k, g, tg = (tiny[x] for x in ("n_routed_experts", "num_experts_per_tok", "n_group",
                                     "topk_group"))
    assert k < e and e >= 2 and e % g == 0 and tg < g  # real, grouped routing
    assert tiny["n_shared_experts"] == 1
    assert tiny["q_lora_rank"] < orig["q_lora_rank"] and tiny["kv_lora_rank"] < orig["kv_lora_rank"]
    assert tiny["qk_rope_head_dim"] % 2 == 0 and tiny["qk_rope_head_dim"] < tiny["qk_nope_head_dim"]


def test_gemma2_alternation_and_softcapping():
    orig = load("google__gemma-2-9b")
    tiny, _ = shrink_config(orig)
    assert set(tiny["layer_types"]) == set(orig["layer_types"])
    assert tiny["layer_types"] == orig["layer_types"][: len(tiny["layer_types"])]
    assert tiny["attn_logit_softcapping"] == 50.0 and tiny["final_logit_softcapping"] == 30.0
    assert tiny["sliding_window"] < orig["sliding_window"]


def test_gemma3_pattern_prefix_keeps_full_attention():
    orig = load("google__gemma-3-1b-it")
    tiny, report = shrink_config(orig)
    assert tiny["num_hidden_layers"] == 6  # five sliding, then the first full layer
    assert tiny["layer_types"][-1] == "full_attention"
    assert report.layer_kinds["."] == (2, 2)


def test_falcon_multi_query_71_heads():
    orig = load("tiiuae__falcon-7b")
    assert orig["num_attention_heads"] == 71 and orig["multi_query"] is True
    tiny, _ = shrink_config(orig)
    assert tiny["multi_query"] is True
    assert tiny["hidden_size"] % tiny["num_attention_heads"] == 0


def test_jamba_hybrid_period_offset_survives():
    orig = load("ai21labs__Jamba-v0.1")
    tiny, report = shrink_config(orig)
    assert tiny["num_hidden_layers"] == 5  # attention first appears at layer 4
    assert (tiny["attn_layer_period"], tiny["attn_layer_offset"]) == (8, 4)
    assert report.layer_kinds["."] == (3, 3)


def test_whisper_keeps_mel_bins_and_shrinks_positions():
    orig = load("openai__whisper-large-v3")
    tiny, _ = shrink_config(orig)
    assert tiny["num_mel_bins"] == 128
    assert tiny["max_source_positions"] < orig["max_source_positions"]


def test_llava_image_tokens_follow_the_tiny_grid():
    orig = load("llava-hf__llava-1.5-7b-hf")
    orig["image_seq_length"] = 576
    tiny, _ = shrink_config(orig)
    v = tiny["vision_config"]
    grid = v["image_size"] // v["patch_size"]
    assert v["patch_size"] == 14 and tiny["image_seq_length"] == grid * grid


def test_longrope_factors_follow_head_dim():
    orig = load("microsoft__Phi-3-mini-128k-instruct")
    tiny, _ = shrink_config(orig)
    head_dim = tiny["hidden_size"] // tiny["num_attention_heads"]
    assert len(tiny["rope_parameters"]["short_factor"]) == head_dim // 2
    assert shrink_rope({"mrope_section": [16, 24, 24]}, 128, 16) == {"mrope_section": [2, 3, 3]}


def test_families():
    assert family("vision_intermediate_size", "x") == "ffn"
    assert family("speech_encoder_layers", "x") == "layers"
    assert family("num_key_value_heads", "x") == "kv_heads"
    assert family("rope_theta", "x") is None
    assert family("mlp_only_layers", "x") is None


def test_layers_option_below_pattern_is_refused():
    orig = load("google__gemma-3-1b-it")
    with pytest.raises(OptionError, match="cannot keep"):
        shrink_config(orig, ShrinkSpec(layers=1))
    assert choose_layers({"mlp_only_layers": [0]}, 10, None, "") == [0, 1]


ARCHS = ["llama", "mistral", "mixtral", "qwen3_moe", "deepseek_v3", "gemma2", "gemma3_text",
         "falcon", "bloom", "gpt2", "t5", "bart", "whisper", "vit", "bert", "jamba", "qwen3_next",
         "llava", "qwen2_vl", "gpt_neox", "phi3", "mamba"]


def _default(mt):
    from tinytrio.sources import default_config

    return normalized_config(default_config(mt))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mt=st.sampled_from(ARCHS), heads=st.sampled_from([1, 2, 4, 8]),
       head_dim=st.sampled_from([4, 8, 16]), layers=st.none() | st.integers(1, 8))
def test_properties_over_sizes_and_architectures(mt, heads, head_dim, layers):
    """Valid or a clean OptionError; when valid: heads | hidden, kv | heads, attention kind kept,
    top-k < experts, nothing grows, non-size keys kept, and transformers accepts the config."""
    from tinytrio.sources import config_class

    orig = _default(mt)
    spec = ShrinkSpec(hidden_size=heads * head_dim, heads=heads, layers=layers)
    try:
        tiny, report = shrink_config(orig, spec)
    except OptionError as e:
        assert "--layers" in str(e) or "--heads" in str(e)
        return
    assert report.kept == report.total

    def levels(o, t):
        yield o, t
        for k, v in o.items():
            if isinstance(v, dict) and isinstance(t.get(k), dict) and "model_type" in v:
                yield from levels(v, t[k])

    for o, t in levels(orig, tiny):
        h, a = t.get("hidden_size"), t.get("num_attention_heads")
        if isinstance(h, int) and isinstance(a, int) and t.get("head_dim") is None:
            assert h % a == 0
        kv, kv0, a0 = t.get("num_key_value_heads"), o.get("num_key_value_heads"), o.get(
            "num_attention_heads")
        if all(isinstance(x, int) for x in (kv, kv0, a, a0)):
            assert a % kv == 0
            assert (kv0 == a0) == (kv == a) or a == 1  # MHA stays MHA
            assert (kv0 == 1) == (kv == 1) or a == 1   # MQA stays MQA
        for key in ("num_experts", "num_local_experts", "n_routed_experts"):
            if isinstance(t.get(key), int) and isinstance(t.get("num_experts_per_tok"), int):
                assert t["num_experts_per_tok"] < t[key] or o["num_experts_per_tok"] >= o[key]
        for key, v in o.items():
            if isinstance(v, int) and not isinstance(v, bool) and isinstance(t.get(key), int):
                if key not in ("vocab_size",):
                    assert t[key] <= v or key in ("head_dim",), key
    config_class(mt).from_dict(tiny)  # transformers' own validators accept it


def test_block_specs_scale_with_the_stem():
    """PP-LCNet `block_configs` channels share the width scale of `stem_channels` (the stem's
    output still feeds the first block); a scalar stem width equal to a channel follows it."""
    v4 = {"model_type": "pp_lcnet_v4", "num_channels": 3, "stem_channels": [3, 48, 96],
          "block_configs": [[[3, 96, 96, 1, True]], [[3, 96, 192, [2, 1], False]],
                            [[3, 192, 384, 2, False]]]}
    tiny, _ = shrink_config(v4)
    blocks = tiny["block_configs"]
    assert tiny["stem_channels"][-1] == blocks[0][0][1]
    assert [b[-1][2] for b in blocks] == [16, 32, 64]
    assert blocks[1][0][3] == [2, 1] and blocks[0][0][4] is True  # kernels, strides kept
    v3 = {"model_type": "pp_lcnet_v3", "stem_channels": 16,
          "block_configs": [[[3, 16, 32, 1, False]], [[5, 32, 512, 2, True]]]}
    tiny, _ = shrink_config(v3)
    assert tiny["stem_channels"] == tiny["block_configs"][0][0][1]


def test_conv_shapes_stay_consistent():
    """Mimi's depthwise upsampling groups follow the width; a second head count at one level
    (V-JEPA 2's predictor) still divides the width; a list image size stays a list (Hiera);
    a conv net with an output stride keeps at least one patch at its last stage (MobileViTv2)."""
    tiny, _ = shrink_config({"model_type": "mimi", "hidden_size": 512, "upsample_groups": 512})
    assert tiny["upsample_groups"] == tiny["hidden_size"]
    tiny, _ = shrink_config({"model_type": "vjepa2", "hidden_size": 1024,
                             "num_attention_heads": 16, "pred_hidden_size": 384,
                             "pred_num_attention_heads": 12})
    assert tiny["pred_hidden_size"] % tiny["pred_num_attention_heads"] == 0
    tiny, _ = shrink_config({"model_type": "hiera", "image_size": [224, 224],
                             "patch_size": [7, 7]})
    assert tiny["image_size"] == [32, 32]
    tiny, _ = shrink_config({"model_type": "mobilevitv2", "image_size": 256, "patch_size": 2,
                             "output_stride": 32})
    assert tiny["image_size"] // 2 >= 32


def test_width_splits_sum_to_the_tiny_width():
    """LayoutLMv3's box embedding concatenates 4 coordinate and 2 shape embeddings into
    hidden_size: both shrink so that 4 * coordinate_size + 2 * shape_size is the tiny width."""
    from transformers import LayoutLMv3Config

    tiny, _ = shrink_config(LayoutLMv3Config().to_dict())
    assert 4 * tiny["coordinate_size"] + 2 * tiny["shape_size"] == tiny["hidden_size"] == 64
    assert abs(tiny["coordinate_size"] - tiny["shape_size"]) <= 1  # the original's 1:1 kept


def test_layer_indices_beside_their_tower_follow_it():
    """Molmo2 keeps `vision_feature_layer` in `adapter_config`, beside `vision_config`: the
    indices follow the tiny vision stack; its text layers' rope-scaling list is an index list."""
    tiny, _ = shrink_config({"model_type": "molmo2",
                             "vision_config": {"model_type": "molmo2_vision", "hidden_size": 1152,
                                               "num_attention_heads": 16, "num_hidden_layers": 25},
                             "adapter_config": {"model_type": "molmo2_adapter",
                                                "vision_feature_layer": [24, 18]},
                             "text_config": {"model_type": "molmo2_text", "num_hidden_layers": 36,
                                             "rope_scaling_layers": list(range(36))}})
    n = tiny["vision_config"]["num_hidden_layers"]
    assert sorted(tiny["adapter_config"]["vision_feature_layer"]) == list(range(n))
    assert tiny["text_config"]["num_hidden_layers"] == 2


def test_layer_indices_at_the_towers_own_level_follow_it():
    """VipLLaVA keeps its `vision_feature_layer` list beside `vision_config`, at the top level:
    every index must name one of the tiny tower's hidden states."""
    tiny, _ = shrink_config({"model_type": "vipllava", "vision_feature_layer": [-2, -5, -8, -11, 6],
                             "vision_config": {"model_type": "clip_vision_model",
                                               "hidden_size": 1024, "num_attention_heads": 16,
                                               "num_hidden_layers": 24}})
    n = tiny["vision_config"]["num_hidden_layers"]
    idx = tiny["vision_feature_layer"]
    assert len(idx) == 5 and all(-(n + 1) <= i <= n for i in idx), idx


# --- default configs that could not build (shrink_llm) ------------------------------------------

def test_none_head_dim_and_kv_heads_are_derived():
    from tinytrio.model.classes import complete_defaults

    d = {"model_type": "x", "hidden_size": 4096, "num_attention_heads": 32, "head_dim": None,
         "num_key_value_heads": None}
    complete_defaults(d)
    assert (d["head_dim"], d["num_key_value_heads"]) == (128, 32)


def test_composite_type_builds_the_whole_model_not_its_text_part():
    from tinytrio.model.classes import pick_model_class

    cls, _ = pick_model_class({"model_type": "llama4"})
    assert cls.__name__ == "Llama4ForConditionalGeneration"  # not Llama4ForCausalLM (text only)


def test_unexported_mapped_class_is_found_in_its_module():
    from tinytrio.model.classes import pick_model_class

    assert pick_model_class({"model_type": "voxtral_realtime_text"})[0].__name__ == \
        "VoxtralRealtimeTextModel"


def test_small_foreign_vocab_ids_are_not_text_ids():
    from tinytrio.model.pairing import token_id_slots

    d = {"vocab_size": 128256, "bos_token_id": 1, "protein_encoder_config": {
        "vocab_size": 446, "pad_token_id": 1, "mask_token_id": 4}}
    assert [p for p, _ in token_id_slots(d)] == [("bos_token_id",)]


def test_side_vocab_padded_at_the_text_pad_holds_it():
    from tinytrio.model.pairing import positions_cover_pad

    tiny = {"pad_token_id": 1023, "pronunciation_vocab_size": 910, "type_vocab_size": 2}
    positions_cover_pad({}, tiny)
    assert (tiny["pronunciation_vocab_size"], tiny["type_vocab_size"]) == (1024, 2)


def test_width_parts_sum_to_the_tiny_width_and_zero_sizes_stay_zero():
    tiny, _ = shrink_config({"model_type": "reformer", "hidden_size": 256, "num_attention_heads": 2,
                             "axial_pos_embds_dim": [64, 192], "qk_rope_head_dim": 0})
    assert sum(tiny["axial_pos_embds_dim"]) == 64 and tiny["axial_pos_embds_dim"] == [16, 48]
    assert tiny["qk_rope_head_dim"] == 0  # NoPE stays NoPE (GLM-5-Next)


def test_run_length_layer_pattern_follows_kept_layers():
    tiny, _ = shrink_config({"model_type": "gpt_neo", "hidden_size": 2048, "num_heads": 16,
                             "num_layers": 24, "attention_types": [[["global", "local"], 12]]})
    assert tiny["num_layers"] == 2 and tiny["attention_types"] == [[["global", "local"], 1]]


def test_per_layer_lists_and_trailing_counts_follow_kept_layers():
    n = 35
    tiny, _ = shrink_config({
        "model_type": "gemma3n_text", "hidden_size": 2048, "num_attention_heads": 8,
        "num_hidden_layers": n, "intermediate_size": [16384] * n,
        "layer_types": (["sliding_attention"] * 4 + ["full_attention"]) * 7,
        "activation_sparsity_pattern": [0.95] * 10 + [0.0] * 25, "num_kv_shared_layers": 15})
    k = tiny["num_hidden_layers"]
    assert len(tiny["intermediate_size"]) == len(tiny["activation_sparsity_pattern"]) == k
    assert 0 < tiny["num_kv_shared_layers"] < k  # some layers still produce the shared KV
    assert tiny["layer_types"][-tiny["num_kv_shared_layers"]:] == ["sliding_attention",
                                                                    "full_attention"]


def test_tied_layer_kind_is_kept_twice():
    types = ["linear_attention"] * 2 + ["hybrid"] + ["linear_attention"] * 4 + ["hybrid"] * 2
    keep = choose_layers({"model_type": "zamba", "layers_block_type": types}, 9, None, "")
    assert sum(types[i] == "hybrid" for i in keep) == 2


def test_per_layer_override_kinds_by_key_and_experts_shrink():
    d = {"model_type": "dots3_note_vision_encoder", "hidden_size": 1536,
         "num_attention_heads": 24, "num_hidden_layers": 20, "num_local_experts": 64,
         "num_experts_per_tok": 2, "mlp_layer_types": ["dense"] * 5 + ["sparse"] * 15,
         "per_layer_config": {f"{i:02d}": {"num_local_experts": 4 * (i - 4)}
                              for i in range(5, 20)}}
    tiny, _ = shrink_config(d)
    assert tiny["num_hidden_layers"] == 6  # through the first sparse layer, not one per count
    assert all(o["num_local_experts"] <= tiny["num_local_experts"]
               for o in tiny["per_layer_config"].values())


def test_source_rope_default_skips_per_layer_type_rope():
    from tinytrio.model.classes import complete_defaults

    d = {"model_type": "cohere_compass_text", "hidden_size": 64, "num_attention_heads": 4,
         "rope_parameters": {"full_attention": None, "sliding_attention": {
             "rope_type": "default", "rope_theta": 5e4}}}
    complete_defaults(d)
    assert set(d["rope_parameters"]) == {"full_attention", "sliding_attention"}


def test_a_composite_size_follows_a_part_stage_width():
    """PP-DocLayout-V3's mask branch reads the backbone's first-stage features: `x4_feat_dim`
    takes the tiny `backbone_config.stage_out_channels[0]` (registry.FOLLOW_PARTS)."""
    tiny, _ = shrink_config({"model_type": "pp_doclayout_v3", "d_model": 256, "x4_feat_dim": 128,
                             "backbone_config": {"model_type": "hgnet_v2", "num_channels": 3,
                                                 "stage_out_channels": [128, 512, 1024, 2048]}})
    assert tiny["x4_feat_dim"] == tiny["backbone_config"]["stage_out_channels"][0] < 128


def test_channel_multipliers_are_capped():
    """MobileNet's `depth_multiplier` / MobileViTv2's `width_multiplier` scale the conv widths
    the code derives from constants: capped, so those models shrink too."""
    tiny, _ = shrink_config({"model_type": "mobilenet_v1", "depth_multiplier": 1.0,
                             "image_size": 224})
    assert tiny["depth_multiplier"] == 0.25
    tiny, _ = shrink_config({"model_type": "mobilevitv2", "width_multiplier": 0.125})
    assert tiny["width_multiplier"] == 0.125  # never grows


def test_codec_sizes_shrink_together():
    """VQ codebooks cap together (codes still index them); a codec's base filters shrink so the
    widest stage (filters x 2^downsamplings) stays small; VQGAN base channels keep GroupNorm(32)."""
    tiny, _ = shrink_config({"model_type": "vibevoice_acoustic_tokenizer", "hidden_size": 64,
                             "num_filters": 32, "downsampling_ratios": [2, 2, 4, 5, 5, 8]})
    assert tiny["num_filters"] == 1 and tiny["downsampling_ratios"] == [2, 2, 4, 5, 5, 8]
    tiny, _ = shrink_config({"model_type": "moshi", "hidden_size": 4096, "audio_vocab_size": 2048,
                             "audio_encoder_config": {"model_type": "mimi", "hidden_size": 512,
                                                      "codebook_size": 2048}})
    assert tiny["audio_vocab_size"] == tiny["audio_encoder_config"]["codebook_size"] == 256
    tiny, _ = shrink_config({"model_type": "janus_vqgan", "base_channels": 128,
                             "num_embeddings": 16384})
    assert tiny["base_channels"] == 32 and tiny["num_embeddings"] == 256


def test_flattened_patch_pixels_are_not_a_width():
    """Pix2Struct / Kosmos-2.5 embed flattened 16x16x3 patches: the image processor's contract."""
    tiny, _ = shrink_config({"model_type": "kosmos_2_5_vision_model", "hidden_size": 1536,
                             "patch_embed_hidden_size": 768})
    assert tiny["patch_embed_hidden_size"] == 768 and tiny["hidden_size"] == 64


def test_recurrent_width_shrinks():
    tiny, _ = shrink_config({"model_type": "recurrent_gemma", "hidden_size": 2560,
                             "lru_width": 2560, "num_attention_heads": 10})
    assert tiny["lru_width"] == tiny["hidden_size"] == 64


def test_segmentation_pixel_decoder_widths_shrink():
    tiny, _ = shrink_config({"model_type": "mask2former", "hidden_dim": 256, "feature_size": 256,
                             "mask_feature_size": 256, "encoder_feedforward_dim": 1024})
    assert tiny["feature_size"] == tiny["mask_feature_size"] == tiny["hidden_dim"] == 64
    assert tiny["encoder_feedforward_dim"] == 128  # 4x the width, capped at 2x


def test_keypoint_descriptors_shrink_with_their_detector():
    tiny, _ = shrink_config({"model_type": "lightglue", "descriptor_dim": 256,
                             "keypoint_detector_config": {"model_type": "superpoint",
                                                          "descriptor_decoder_dim": 256}})
    assert tiny["descriptor_dim"] == tiny["keypoint_detector_config"]["descriptor_decoder_dim"]
