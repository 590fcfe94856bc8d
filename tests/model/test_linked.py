"""Sizes the modeling code links to the width by arithmetic (model/linked.py): shrink-only."""

import math

from tinytrio.model.classes import complete_defaults
from tinytrio.model.shrink import shrink_config
from tinytrio.sources import normalized_config


def default(mt):
    config = normalized_config({"model_type": mt})
    complete_defaults(config)
    return config


def test_width_is_a_multiple_the_code_divides_by():
    lilt, _ = shrink_config(default("lilt"))  # 6 layout embeddings, heads split by the ratio
    assert lilt["hidden_size"] % 6 == 0
    assert lilt["hidden_size"] % (lilt["num_attention_heads"] * lilt["channel_shrink_ratio"]) == 0
    xlstm, _ = shrink_config(default("xlstm"))  # the cache rounds hidden x factor up to 64s
    H = xlstm["hidden_size"]
    assert H == xlstm["embedding_dim"] and H * xlstm["qk_dim_factor"] % 64 == 0


def test_width_coefficient_keeps_the_built_widths_at_the_tiny_width():
    align, _ = shrink_config(default("align"))
    vision = align["vision_config"]
    built = vision["out_channels"][-1] * vision["width_coefficient"]  # round_filters in code
    assert built == align["projection_dim"] == 64  # the image embedding meets the text one
    assert vision["depth_coefficient"] <= 1.0


def test_pixel_shuffled_width_follows_the_tower():
    tiny, _ = shrink_config(default("muse_glimmer"))
    vision = tiny["vision_config"]
    assert tiny["out_hidden_size"] == vision["hidden_size"] * vision["merge_size"] ** 2
    llama4, _ = shrink_config(default("llama4"))  # within one level, by a float shuffle ratio
    vision = llama4["vision_config"]
    assert vision["intermediate_size"] == vision["hidden_size"] / vision["pixel_shuffle_ratio"] ** 2


def test_folded_layer_count_is_read_back_per_stack():
    orig = default("hrm_text")
    assert orig["num_layers_per_stack"] is None and orig["num_hidden_layers"] == 16
    tiny, _ = shrink_config(orig)
    from transformers import AutoConfig

    cfg = AutoConfig.for_model(**tiny)
    assert cfg.num_layers_per_stack == 2
    assert cfg.num_hidden_layers == 2 * cfg.H_cycles * (cfg.L_cycles + 1) == math.prod(
        (2, cfg.H_cycles, cfg.L_cycles + 1))


def test_axial_factors_shrink_and_training_inputs_are_their_product():
    from transformers import AutoConfig

    from tinytrio.model.linked import train_length

    tiny, _ = shrink_config(default("reformer"))
    assert tiny["axial_pos_shape"] == [8, 8]
    assert sum(tiny["axial_pos_embds_dim"]) == tiny["hidden_size"]
    assert train_length(AutoConfig.for_model(**tiny)) == 64
    assert train_length(AutoConfig.for_model("llama")) is None


def test_blt_global_width_and_hash_buckets_shrink():
    tiny, _ = shrink_config(default("blt"))
    for part in ("encoder_config", "decoder_config"):  # they project to the global width
        assert tiny[part]["hidden_size_global"] == tiny["global_config"]["hidden_size"]
    assert tiny["encoder_hash_byte_group_vocab"] <= 256  # 6 tables of 500002 rows were 768 MB


def test_width_coefficient_is_capped_and_the_top_conv_follows():
    # B7's 2.0 doubled EfficientNet's round_filters(1280) top conv (56% of the tiny model): the
    # coefficient is B0's 1.0, and hidden_dim (the top BatchNorm) follows round_filters(1280)
    tiny, _ = shrink_config(default("efficientnet"))
    assert tiny["width_coefficient"] == 1.0 and tiny["hidden_dim"] == 1280
    assert max(tiny["out_channels"]) == 64


def test_prediction_head_width_shrinks():
    tiny, _ = shrink_config(default("ultrabert"))  # the MLM head's 768 was 31% of the model
    assert tiny["prediction_head_size"] == tiny["hidden_size"] == 64


def test_part_width_follows_the_part_that_feeds_it():
    """GLM-Image's VQ quantizer encodes the vision tower's features: its latent_channels (1536,
    the tower's width, though a plain channel count elsewhere) follows the tiny tower."""
    tiny, _ = shrink_config(default("glm_image"))
    assert tiny["vq_config"]["latent_channels"] == tiny["vision_config"]["hidden_size"] < 1536
    chameleon, _ = shrink_config(default("chameleon"))  # a VQGAN's latent channels: kept
    assert chameleon["vq_config"]["latent_channels"] == default("chameleon")["vq_config"][
        "latent_channels"]
