"""Tables kept large by a key outside a size family: shrink-only (the p95 artifact size)."""

from tinytrio.model.classes import complete_defaults
from tinytrio.model.shrink import shrink_config
from tinytrio.sources import normalized_config


def tiny(mt):
    config = normalized_config({"model_type": mt})
    complete_defaults(config)
    return shrink_config(config)[0]


def test_learned_position_table_is_capped_even_beside_rope():
    vision = tiny("gemma4_vision")  # x / y tables indexed by patch coordinate, 10240 rows each
    assert vision["position_embedding_size"] <= 512
    assert "rope_parameters" in vision


def test_linked_widths_outside_the_width_family_shrink():
    assert tiny("rembert")["output_embedding_size"] == 64  # the MLM head's output width
    assert tiny("vits")["flow_size"] == 64  # the latent's channels, 192 in the default
    omni = tiny("qwen3_omni_moe_thinker")  # the audio tower projects to the text width
    assert omni["audio_config"]["output_dim"] == omni["text_config"]["hidden_size"]
    hunyuan = tiny("hunyuan_vl_vision")  # a (max_image_size / patch)² position grid
    assert hunyuan["max_image_size"] // hunyuan["patch_size"] <= 8


def test_kernel_predictor_width_is_one_with_the_generators_input_channels():
    univnet = tiny("univnet")
    assert univnet["kernel_predictor_hidden_channels"] == univnet["model_in_channels"] <= 8


def test_bare_layers_key_is_a_depth():
    for mt in ("kosmos-2", "kosmos-2.5"):  # the text decoder's `layers`: 24 in the default
        assert tiny(mt)["text_config"]["layers"] <= 2


def test_perceiver_resampler_sizes_shrink():
    evolla = tiny("evolla")  # 6 resampler layers of 8 heads x 64 over a 64-wide protein encoder
    assert evolla["resampler_depth"] <= 2 and evolla["resampler_heads"] <= 4
    assert evolla["resampler_dim_head"] * evolla["resampler_heads"] <= 64


def test_codebook_cap_keeps_the_quantizer_stack_small():
    from transformers import EncodecConfig

    small = EncodecConfig(**{k: v for k, v in tiny("encodec").items() if k != "model_type"})
    per_quantizer = small.codebook_size * small.codebook_dim
    assert small.codebook_size == 16 and small.num_quantizers * per_quantizer < 100_000
