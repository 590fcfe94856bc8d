"""Whole-tree ties after the level rules (model/ties.py, imageside.py), the video trackers'
inference session (media_prompts.py) and its per-forward copy (check.core.fresh)."""

import torch

from tinytrio.check.core import fresh
from tinytrio.model.build import complete_defaults
from tinytrio.model.shrink import shrink_config
from tinytrio.sources import normalized_config, resolve_model_source


def _shrunk(model_type):
    original = normalized_config(resolve_model_source(model_type, False).config)
    complete_defaults(original)
    return original, shrink_config(original)[0]


def test_sam2_levels_share_one_image_side():
    """The prompt encoder's patch grid decides the side; the unpatched Hiera backbone follows it
    and the FPN feature sizes keep their fraction of it (1024 / 4, / 8, / 16)."""
    _, tiny = _shrunk("sam2")
    side = tiny["prompt_encoder_config"]["image_size"]
    vc = tiny["vision_config"]
    assert vc["backbone_config"]["image_size"] == [side, side]
    assert vc["backbone_feature_sizes"] == [[side // 4] * 2, [side // 8] * 2, [side // 16] * 2]


def test_trackers_image_side_property_and_edgetam_windows():
    """SAM-3 tracker video resets every sub-config to 1008 px unless its top-level (a property,
    absent from the file) is given; EdgeTAM's memory windows and 2-D latents follow the side,
    and its perceiver's heads x head dim still make the perceiver width."""
    _, tiny = _shrunk("sam3_tracker_video")
    assert tiny["image_size"] == tiny["prompt_encoder_config"]["image_size"] < 1008
    original, tiny = _shrunk("edgetam_video")
    k = tiny["memory_attention_rope_k_sizes"]
    assert k[0] * k[1] == tiny["perceiver_resampler_num_latents_2d"] < 256
    assert tiny["perceiver_resampler_num_attention_heads"] * \
        tiny["perceiver_resampler_attention_head_dim"] == tiny["perceiver_resampler_hidden_size"]


def test_wide_rotary_factor_and_live_thresholds():
    """EfficientLoFTR's rotary factor 4 (x head dim = hidden / 2) keeps spanning half the tiny
    width; SAM-3 video's detection thresholds let a random model's detections through."""
    _, tiny = _shrunk("efficientloftr")
    hd = tiny["hidden_size"] // tiny["num_attention_heads"]
    assert tiny["rope_parameters"]["partial_rotary_factor"] * hd == tiny["hidden_size"] / 2
    _, tiny = _shrunk("sam3_video")
    assert tiny["score_threshold_detection"] == tiny["new_det_thresh"] == 0.0


def test_inference_session_is_built_and_copied_per_forward():
    """A tracker's session holds the frames and one point prompt per row on frame 0; fresh()
    deep-copies it, so a forward's writes never reach the next forward's inputs."""
    from transformers import AutoConfig, Sam2VideoModel

    from tinytrio.model.inputs import make_inputs

    _, tiny = _shrunk("sam2_video")
    torch.manual_seed(0)
    model = Sam2VideoModel(AutoConfig.for_model(**tiny)).eval()
    inputs = make_inputs(model)
    session = inputs["inference_session"]
    assert inputs["frame_idx"] == 0 and session.get_obj_num() == 2
    assert session.processed_frames[0].shape[-1] == tiny["image_size"]
    first = model(**fresh(inputs)).pred_masks
    assert session.obj_with_new_inputs == [1, 2]  # the original is untouched
    assert torch.equal(first, model(**fresh(inputs)).pred_masks)
    assert first.is_inference()  # so the backward check skips it (inference_mode forward)


def test_seggpt_prompt_inputs_stack_to_the_config_side():
    """SegGPT stacks the prompt image above the input: each input is half the config height."""
    from transformers import AutoConfig, SegGptModel

    from tinytrio.model.inputs import make_inputs

    _, tiny = _shrunk("seggpt")
    model = SegGptModel(AutoConfig.for_model(**tiny)).eval()
    inputs = make_inputs(model)
    h, w = tiny["image_size"]
    for key in ("pixel_values", "prompt_pixel_values", "prompt_masks"):
        assert tuple(inputs[key].shape[-2:]) == (h // 2, w)
    model(**inputs)


def test_blt_states_the_cache_depth_its_cache_reads():
    """transformers 5.23's DynamicCache(config=BltConfig) reads a top-level num_hidden_layers that
    BltConfig lacks: the tiny config states the decoder's count, and a cached forward runs."""
    from transformers import AutoConfig, AutoModelForCausalLM

    original, tiny = _shrunk("blt")
    assert "num_hidden_layers" not in original
    assert tiny["num_hidden_layers"] == tiny["decoder_config"]["num_hidden_layers"]
    torch.manual_seed(0)
    config = AutoConfig.for_model(**{k: v for k, v in tiny.items() if k != "model_type"},
                                  model_type="blt")
    model = AutoModelForCausalLM.from_config(config).eval()
    out = model(torch.randint(4, 200, (1, 8)), use_cache=True)
    assert out.past_key_values is not None
