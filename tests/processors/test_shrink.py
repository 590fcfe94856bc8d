"""Pure processor-dict shrinking and token strings: no model is built."""

from tinytrio.processors.shrink import (Target, shrink_feature_extractor, shrink_image_processor,
                                        shrink_processor_kwargs)
from tinytrio.processors.tokens import attr_for_key, token_strings

LLAVA = {"model_type": "llava", "image_seq_length": 576, "vision_feature_select_strategy": "default",
         "vision_config": {"image_size": 336, "patch_size": 14}}
LLAVA_TINY = {"model_type": "llava", "image_seq_length": 16,
              "vision_feature_select_strategy": "default",
              "vision_config": {"image_size": 56, "patch_size": 14}}


def test_target_reads_the_tiny_config():
    t = Target.of(LLAVA, LLAVA_TINY)
    assert (t.image_side, t.patch, t.grid0, t.grid, t.tokens) == (56, 14, 24, 4, 16)


def test_image_processor_edges_follow_the_tiny_side():
    d = {"size": {"shortest_edge": 336}, "crop_size": {"height": 336, "width": 336},
         "do_resize": True, "image_mean": [0.5, 0.5, 0.5]}
    out = shrink_image_processor(d, Target.of(LLAVA, LLAVA_TINY))
    assert out["size"] == {"shortest_edge": 56}
    assert out["crop_size"] == {"height": 56, "width": 56}
    assert out["image_mean"] == d["image_mean"] and d["size"] == {"shortest_edge": 336}  # pure


def test_detr_style_edges_keep_their_ratio():
    out = shrink_image_processor({"size": {"shortest_edge": 800, "longest_edge": 1333}},
                                 Target(image_side=64))
    assert out["size"] == {"shortest_edge": 64, "longest_edge": 107}


def test_dynamic_resolution_areas_become_the_tiny_grid():
    qwen = {"model_type": "qwen2_vl", "vision_config": {"patch_size": 14, "spatial_merge_size": 2,
                                                        "temporal_patch_size": 2}}
    t = Target.of(qwen, qwen)
    assert t.image_side == 4 * 14 * 2 and t.tokens == 16  # 4x4 merged tokens
    d = {"size": {"shortest_edge": 3136, "longest_edge": 12845056}, "min_pixels": 3136,
         "max_pixels": 12845056, "patch_size": 14, "merge_size": 2, "temporal_patch_size": 2}
    out = shrink_image_processor(d, t)
    assert out["size"] == {"shortest_edge": 3136, "longest_edge": 112 * 112}
    assert (out["min_pixels"], out["max_pixels"]) == (3136, 112 * 112)


def test_whisper_window_is_what_the_tiny_encoder_covers():
    original = {"model_type": "whisper", "num_mel_bins": 128, "max_source_positions": 1500}
    tiny = dict(original, max_source_positions=50)
    fe = {"feature_size": 128, "sampling_rate": 16000, "hop_length": 160, "chunk_length": 30,
          "n_samples": 480000, "nb_max_frames": 3000}
    out = shrink_feature_extractor(fe, Target.of(original, tiny))
    assert (out["chunk_length"], out["n_samples"], out["nb_max_frames"]) == (1, 16000, 100)
    assert out["feature_size"] == 128


def test_processor_kwargs_follow_the_config():
    t = Target.of(LLAVA, LLAVA_TINY)
    out = shrink_processor_kwargs({"patch_size": 14, "image_seq_length": 576,
                                   "vision_feature_select_strategy": "full"}, t, LLAVA_TINY)
    assert out == {"patch_size": 14, "image_seq_length": 16,
                   "vision_feature_select_strategy": "default"}
    # a CLS token riding along (577 = 24² + 1) stays along
    assert shrink_processor_kwargs({"num_image_tokens": 577}, t, LLAVA_TINY) == {
        "num_image_tokens": 17}


def test_side_token_table_follows_the_tiny_patch_table():
    """registry SIDE_TOKEN_TABLES: AriaProcessor's size_conversion (None by default: {490: 128,
    980: 256}) maps each side of the tiny projector table (sqrt(patches) x patch) to its queries."""
    original = {"model_type": "aria", "projector_patch_to_query_dict": {"1225": 128, "4900": 256},
                "vision_config": {"image_size": 980, "patch_size": 14}}
    tiny = {"model_type": "aria", "projector_patch_to_query_dict": {"196": 4, "784": 8},
            "vision_config": {"image_size": 980, "patch_size": 35}}
    out = shrink_processor_kwargs({"size_conversion": None}, Target.of(original, tiny), tiny)
    assert out == {"size_conversion": {490: 4, 980: 8}}


def test_pixel_shuffle_tokens_per_image():
    idefics = {"model_type": "idefics3", "scale_factor": 2,
               "vision_config": {"image_size": 128, "patch_size": 32}}
    assert Target.of(idefics, idefics).tokens == 4


def test_token_strings_are_the_processors_own():
    assert attr_for_key("image_token_index") == "image_token"
    assert attr_for_key("vision_start_token_id") == "vision_start_token"
    assert token_strings("llava")["image_token"] == "<image>"
    assert token_strings("qwen2_vl")["image_token"] == "<|image_pad|>"
    assert token_strings("paligemma")["image_token"] == "<image>"
    assert token_strings("idefics3")["image_token"] == "<image>"
    g = token_strings("gemma3")
    assert (g["image_token"], g["boi_token"], g["eoi_token"]) == (
        "<image_soft_token>", "<start_of_image>", "<end_of_image>")


def test_video_processors_keep_a_few_frames_at_the_tiny_side():
    qwen = {"model_type": "qwen2_vl", "vision_config": {"patch_size": 14, "spatial_merge_size": 2,
                                                        "temporal_patch_size": 2}}
    d = {"num_frames": 32, "fps": 2.0, "size": {"shortest_edge": 3136, "longest_edge": 25088000},
         "merge_size": 2, "temporal_patch_size": 2}
    out = shrink_image_processor(d, Target.of(qwen, qwen))
    assert out["num_frames"] == 4 and out["fps"] == 2.0
    assert out["size"]["longest_edge"] == 112 * 112


def test_none_kwargs_take_the_tiny_configs_value():
    blip2 = {"model_type": "blip-2", "num_query_tokens": 4, "vision_config": {"image_size": 56}}
    out = shrink_processor_kwargs({"num_query_tokens": None}, Target.of(blip2, blip2), blip2)
    assert out == {"num_query_tokens": 4}  # None would add no image tokens at all


def test_processor_img_size_follows_the_tiny_side():
    out = shrink_processor_kwargs({"img_size": 364, "patch_size": 28},
                                  Target.of(LLAVA, LLAVA_TINY), LLAVA_TINY)
    assert out["img_size"] == 56


def test_perceiver_latents_are_the_tokens_per_image():
    idefics2 = {"model_type": "idefics2", "perceiver_config": {"resampler_n_latents": 64},
                "vision_config": {"image_size": 128, "patch_size": 32}}
    assert Target.of(idefics2, idefics2).tokens == 64


def test_image_processor_pinpoints_and_default_side_follow_the_tiny_config():
    from tinytrio.processors.build import Parts, shrink_parts

    tiny = {"model_type": "llava_next", "image_grid_pinpoints": [[56, 112], [112, 56]],
            "vision_config": {"image_size": 56, "patch_size": 14}}
    parts = Parts("llava_next", components={"image_processor": {
        "image_grid_pinpoints": [[336, 672], [672, 336]], "size": {"shortest_edge": 336}}})
    ip = shrink_parts(parts, tiny, tiny).components["image_processor"]
    assert ip["image_grid_pinpoints"] == [[56, 112], [112, 56]]
    # no image size in the config (RT-DETR): the side the model's dummy inputs use
    rt = {"model_type": "rt_detr", "d_model": 64}
    parts = Parts("rt_detr", components={"image_processor": {"size": {"height": 640,
                                                                        "width": 640}}})
    assert shrink_parts(parts, rt, rt).components["image_processor"]["size"] == {
        "height": 32, "width": 32}


def test_token_ids_follow_the_processors_own_sources():
    from tinytrio.processors.tokens import added_token_attrs, name_for

    # Aya Vision's image_token_id is <|IMG_PATCH|>'s id, not <image>'s
    assert name_for("aya_vision", "image_token_index") == "<|IMG_PATCH|>"
    # BLIP-2 adds <image> as an AddedToken itself: a named string on the tokenizer breaks it
    assert "image_token" in added_token_attrs("blip-2")


def test_grouped_audio_frames_keep_whole_groups_and_seconds():
    from tinytrio.model.shrink import shrink_config

    tiny, _ = shrink_config({"model_type": "moss_transcribe_diarize", "audio_merge_size": 4,
                             "audio_config": {"model_type": "moss_transcribe_diarize_audio",
                                              "num_mel_bins": 80, "max_source_positions": 1500,
                                              "hidden_size": 1280}})
    assert tiny["audio_config"]["max_source_positions"] == 100  # 2 s, 25 groups of 4


def test_unset_tokens_per_image_become_the_tiny_grid():
    # LLaVA-OneVision's processor defaults num_image_tokens to None and takes math.sqrt of it
    out = shrink_processor_kwargs({"num_image_tokens": None}, Target.of(LLAVA, LLAVA_TINY),
                                  LLAVA_TINY)
    assert out == {"num_image_tokens": 16}


def test_edges_keep_their_fraction_of_a_non_square_config_side():
    """SegGPT: config image_size [896, 448] is the prompt stacked on the input, the processor
    resizes each to 448 x 448: at the tiny side the processor makes half the height."""
    t = Target.of({"model_type": "seggpt", "image_size": [896, 448], "patch_size": 16},
                  {"model_type": "seggpt", "image_size": [64, 64], "patch_size": 16})
    out = shrink_image_processor({"size": {"height": 448, "width": 448}}, t)
    assert out["size"] == {"height": 32, "width": 64}


def test_feature_extractor_sizes_shared_with_the_model_follow_it():
    t = Target.of({"model_in_channels": 64}, {"model_in_channels": 8})
    out = shrink_feature_extractor({"model_in_channels": 64, "hop_length": 256}, t)
    assert out["model_in_channels"] == 8 and out["hop_length"] == 256


def test_feature_extractor_mode_follows_the_model_switch():
    """CLAP: the extractor's "fusion" truncation (4 crops as channels) only where the tiny model
    has enable_fusion; an unfused model gets "rand_trunc", a fused one keeps fusion."""
    fe = {"feature_size": 64, "truncation": "fusion", "hop_length": 480}
    for fused, mode in ((False, "rand_trunc"), (True, "fusion")):
        tiny = {"audio_config": {"model_type": "clap_audio_model", "enable_fusion": fused,
                                 "num_mel_bins": 64}}
        assert shrink_feature_extractor(fe, Target.of(tiny, tiny))["truncation"] == mode
    assert "truncation" not in shrink_feature_extractor({"feature_size": 80}, Target.of(tiny, tiny))


def test_a_second_towers_size_follows_that_tower():
    """DeepSeek-VL hybrid: `high_res_size` resizes for `high_res_vision_config` (SAM, 1024 px)."""
    tiny = {"vision_config": {"image_size": 32, "patch_size": 16},
            "high_res_vision_config": {"image_size": 64, "patch_size": 16}}
    t = Target.of(tiny, tiny)
    out = shrink_image_processor({"size": {"height": 384, "width": 384},
                                  "high_res_size": {"height": 1024, "width": 1024}}, t)
    assert out["size"] == {"height": 32, "width": 32}
    assert out["high_res_size"] == {"height": 64, "width": 64}


def test_none_processor_kwargs_take_the_configs_string():
    """Granite-4 Vision's processor: downsample_rate=None means the model's ("2/4" when tiny)."""
    tiny = {"downsample_rate": "2/4", "vision_config": {"image_size": 128, "patch_size": 32}}
    out = shrink_processor_kwargs({"downsample_rate": None}, Target.of(tiny, tiny), tiny)
    assert out["downsample_rate"] == "2/4"


def test_crop_overlap_margins_keep_a_window_on_the_tiny_grid():
    """Molmo2's overlap_margins [4, 4] (patches of a 27-patch crop) become [1, 1] of a 4-patch
    crop: a 2-patch window is left (the originals would leave -4, and the tiling fails)."""
    t = Target(image_side=56, patch=14, grid0=27, grid=4)
    assert shrink_image_processor({"overlap_margins": [4, 4]}, t)["overlap_margins"] == [1, 1]
    assert shrink_image_processor({"overlap_margins": [0, 0]}, t)["overlap_margins"] == [0, 0]
    t2 = Target(image_side=28, patch=14, grid0=27, grid=2)
    assert sum(shrink_image_processor({"overlap_margins": [4, 4]}, t2)["overlap_margins"]) == 1


def test_temporal_patch_is_what_a_2d_tower_reads():
    """GLM-Image's tower names no temporal patch size (its patch embedding is 2-D): the image
    processor's default 2 frames per flattened row becomes 1; a Qwen-VL tower's own 2 stays."""
    glm = {"model_type": "glm_image", "vision_config": {"patch_size": 16, "image_size": 64}}
    out = shrink_image_processor({"temporal_patch_size": 2, "patch_size": 14}, Target.of(glm, glm))
    assert (out["temporal_patch_size"], out["patch_size"]) == (1, 16)
    qwen = {"model_type": "qwen2_vl", "vision_config": {"patch_size": 14, "temporal_patch_size": 2}}
    assert shrink_image_processor({"temporal_patch_size": 2}, Target.of(qwen, qwen)) == {
        "temporal_patch_size": 2}
