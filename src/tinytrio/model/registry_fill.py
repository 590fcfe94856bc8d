"""Default-config gaps filled before shrinking, as data (split from registry.py, which re-exports
them): FILL_NONE, the input image sizes some models need (read by inputs.py) and TYPE_DEFAULTS."""

from __future__ import annotations

from collections.abc import Callable

# Keys some default configs leave None although the model cannot be built or run without them:
# filled in the original before shrinking (the published checkpoints set them).
FILL_NONE: dict[str, object] = {
    # Bamba: None = every layer Mamba-2, which cannot run (the cache has no attention layer to
    # count past tokens); Bamba-9B's attention layers
    "attn_layer_indices": [9, 18, 27],
    "prediction_length": 8,   # time-series transformers: the forecast horizon
    "num_experts_per_tok": 6,  # DeepSeek-V2's default config routes to None; its checkpoints to 6
    "image_token_index": 50265,  # BLIP-2 / InstructBLIP: None in the default config, set in every
                                 # checkpoint (blip2-opt: 50265); pairing renames it <|image|>
    # PP-OCRv5-server / PP-OCRv6-medium det: None in the default config, the released
    # config.json files set them (PaddleX mirrors them as its defaults)
    "intraclass_block_config": {
        "reduce_channel": [1, 1, 0], "return_channel": [1, 1, 0],
        "vertical_long_to_small_conv_longratio": [[7, 1], [1, 1], [3, 0]],
        "vertical_long_to_small_conv_midratio": [[5, 1], [1, 1], [2, 0]],
        "vertical_long_to_small_conv_shortratio": [[3, 1], [1, 1], [1, 0]],
        "horizontal_small_to_long_conv_longratio": [[1, 7], [1, 1], [0, 3]],
        "horizontal_small_to_long_conv_midratio": [[1, 5], [1, 1], [0, 2]],
        "horizontal_small_to_long_conv_shortratio": [[1, 3], [1, 1], [0, 1]],
        "symmetric_conv_long_longratio": [[7, 7], [1, 1], [3, 3]],
        "symmetric_conv_long_midratio": [[5, 5], [1, 1], [2, 2]],
        "symmetric_conv_long_shortratio": [[3, 3], [1, 1], [1, 1]]},
    "scale_factor_list": [1, 2, 4, 8], "kernel_list": [3, 2, 2],
    "video_token_index": 32001,  # InstructBLIP-Video: None by default; the vicuna checkpoints'
                                 # placeholder after the 32000 text tokens and the pad
    # Granite-4 Vision: None by default (the model cannot be built); granite-vision-4.1's
    "deepstack_layer_map": [[-19, 9], [-13, 6], [-7, 3], [-1, 0]], "downsample_rate": "4/8",
    "vision_config": {},  # Gemma-4 family: the optional vision tower is None by default although
                          # image_token_id is set and the checkpoints have one: the config's default
}

# Bare-type defaults of vision models (merged into registry.TYPE_DEFAULTS). The PP-OCRv6 detectors'
# config classes fall back to PP-LCNetV4's default backbone, a recogniser's (height-only [2, 1] strides,
# only the last stage out), which their 4-level necks cannot fuse; the released config.json files
# (mirrored by PaddleX) set a det backbone, each stage halving both sides, all four stages out.
_V6_SE = ([True, False], [False, True, False], [False, True, False, True, False],
          [False, True, False])  # squeeze-excitation per block of each stage (its depth)


def _det_backbone(stem: list[int], widths: list[int]) -> dict:
    """PP-LCNetV4 det stages of these widths: [kernel, in, out, stride, SE] per block, the first
    block of stages 2-4 halving both sides."""
    return {"model_type": "pp_lcnet_v4", "stem_channels": stem, "stem_type": "large",
            "out_features": ["stage1", "stage2", "stage3", "stage4"], "out_indices": [1, 2, 3, 4],
            "block_configs": [[[3, c_in if b == 0 else w, w, 2 if b == 0 and s else 1, se]
                               for b, se in enumerate(flags)] for s, (w, c_in, flags) in
                              enumerate(zip(widths, [stem[-1]] + widths, _V6_SE))]}

VISION_TYPE_DEFAULTS: dict[str, dict] = {
    # LW-DETR: no projector scales = no feature levels for the decoder (an empty torch.cat); the
    # checkpoint the config documents (lwdetr_small) projects one level, P4 (scale 1.0)
    "lw_detr": {"projector_scale_factors": [1.0]},
    "pp_ocrv6_medium_det": {"backbone_config": _det_backbone(
        [3, 64, 128], [128, 256, 512, 896])},
    # and the neck's per-level widths are the backbone's stage widths (HF's are placeholders)
    "pp_ocrv6_small_det": {"backbone_config": _det_backbone(
        [3, 24, 48], [48, 96, 192, 384]),
        "layer_list_out_channels": [48, 96, 192, 384]},
}

# Settings merged into a sub-config of a bare model_type's default config, the rest of it kept:
# model_type -> {sub-config key: {key: value}}. UVDoc's head fuses all six backbone stages
# (bridge_connector reads 6 x 128 channels), but the default backbone returns only the last.
SUBCONFIG_DEFAULTS: dict[str, dict[str, dict]] = {
    "uvdoc": {"backbone_config": {"out_features": [f"stage{i}" for i in range(1, 7)],
                                  "out_indices": list(range(1, 7))}},
}

# Input images (height, width) for models whose config names no image size and whose
# downsampling leaves too few rows for the head at the default 32 px: model_type -> (h, w), or
# a function of the config where the size follows the tiny config.
INPUT_IMAGE_HW: dict[str, tuple[int, int] | Callable] = {
    # DepthPro: the image scaled by its smallest ratio must still hold one patch_size crop
    "depth_pro": lambda c: (round(c.patch_size / min(c.scaled_images_ratios)),) * 2,
    "tvp": lambda c: (c.max_img_size,) * 2,  # the frames are padded to max_img_size
    # PP-OCR recognisers avg-pool the last feature map by (3, 2): it needs 3 rows. The server /
    # v6 backbones downsample height 16x (the processors' 48 px lines); the bare mobile default
    # is the PP-LCNetV3 det backbone, 32x
    **{t: (48, 64) for t in ("pp_ocrv5_server_rec", "pp_ocrv6_small_rec", "pp_ocrv6_tiny_rec")},
    "pp_ocrv5_mobile_rec": (96, 64),
    # UVDoc: the backbone downsamples 16x and the point head reflect-pads its map by 2 (> 2 px)
    "uvdoc": (64, 64),
}

# Models whose forward runs on one sample at a time: model_type -> their input layout, given, not
# probed (at batch 1 a wrong layout can broadcast and run). TVP views its column position
# embeddings (width, hidden) as (batch, 1, width, hidden), which holds only for batch 1; its
# frames are a video (a [1, C, H, W] image would broadcast against its 48-frame prompt).
INPUT_BATCH_ONE: dict[str, dict] = {"tvp": {"image": "video"}}

# timm towers (TimmWrapper, Gemma-3n's vision tower) take their sizes from the timm architecture
# named in `architecture`, not from config keys: the tiny tower passes `model_args` (kwargs of
# timm.create_model) that shrink that architecture. Applied only where model_args is unset.
TIMM_MODEL_ARGS: dict[str, dict] = {
    # ResNet-50 (TimmWrapper's default): one bottleneck per stage, 8-wide (32 out) stages
    "resnet50": {"layers": [1, 1, 1, 1], "channels": [8, 8, 8, 8], "stem_width": 8},
    # Gemma-3n's MobileNet-V5: 1/16 of its channels (7.3M params, the floor: timm fixes its
    # depth, the attention key width and the fusion adapter's 2048-wide output, so
    # gemma3n_vision keeps its hidden_size: registry.ARCH_KEYS; block_args cannot be passed,
    # timm's builder rewrites them in place, the config with them)
    "mobilenetv5_300m_enc": {"channel_multiplier": 0.0625},
    # Perception Encoder's ViT (PE-Video, PE-Audio-Video): 2 layers of 64 on a 4x4 grid of
    # 8 px patches, the 32 px images the checks feed (its rotary grid: ref_feat_shape)
    "vit_pe_core_large_patch14_336": {"img_size": 32, "patch_size": 8, "embed_dim": 64,
                                      "depth": 2, "num_heads": 4, "ref_feat_shape": [4, 4],
                                      "attn_pool_num_heads": 2},
}

# timm backbones (a `timm_backbone` sub-config: DETR-likes, OmDet-Turbo) where timm cannot be
# imported (backbones.py): timm architecture -> (transformers backbone type, its kwargs, timm
# feature index -> transformers out_indices entry, parent keys set where present). Only the
# indices mapped have the same feature map in both; a config asking another (or timm-only
# kwargs such as a dilated output_stride) keeps timm.
TIMM_EQUIVALENTS: dict[str, tuple[str, dict, dict, dict]] = {
    # timm's resnet50 = ResNet-50 v1.5 (stride on the 3x3), as transformers' ResNet; timm's
    # feature i (1-4) is layer i, transformers' stage i (0 is the stem: timm's before max-pool)
    "resnet50": ("resnet", {"embedding_size": 64, "hidden_sizes": [256, 512, 1024, 2048],
                            "depths": [3, 4, 6, 3], "layer_type": "bottleneck",
                            "hidden_act": "relu", "downsample_in_first_stage": False,
                            "downsample_in_bottleneck": False},
                 {1: 1, 2: 2, 3: 3, 4: 4}, {}),
    # Swin-T; timm's feature i (layers.i) is transformers' stage i+1 (stage 0 is the patch
    # embedding). timm gives unnormed NHWC maps that OmDet-Turbo norms and permutes itself;
    # transformers' SwinBackbone norms each stage and gives NCHW, so the parent's own norm is off
    # (as transformers' OmDet-Turbo tests build it)
    "swin_tiny_patch4_window7_224": ("swin", {"patch_size": 4, "embed_dim": 96,
                                              "depths": [2, 2, 6, 2], "num_heads": [3, 6, 12, 24],
                                              "window_size": 7, "mlp_ratio": 4.0,
                                              "drop_path_rate": 0.0},
                                     {0: 1, 1: 2, 2: 3, 3: 4},
                                     {"apply_layernorm_after_vision_backbone": False}),
}
# timm_backbone keys that become the transformers backbone's own (img_size: Swin's image_size)
TIMM_KWARG_KEYS = {"num_channels": "num_channels", "img_size": "image_size"}

# (model_type, key) -> size family, merged into registry.ARCH_KEYS (which is near its size limit)
ARCH_KEYS_FILL: dict[tuple[str, str], str] = {
    # OmDet-Turbo: its decoder reads `task_project`, built only when class_embed_dim (= the text
    # tower's width, which the text projection keeps) differs from decoder_hidden_dim: the
    # detector's width stays half the text width, as in the original (256 vs 512); its FFNs
    ("omdet-turbo", "d_model"): "half_width", ("omdet-turbo", "decoder_hidden_dim"): "half_width",
    ("omdet-turbo", "text_projection_in_dim"): "width",
    ("omdet-turbo", "text_projection_out_dim"): "width",
    ("omdet-turbo", "encoder_dim_feedforward"): "ffn",
    ("omdet-turbo", "decoder_dim_feedforward"): "ffn",
    # Bark: the semantic model's output is 10000 HuBERT-derived units + 48 specials (a codebook,
    # not text): tiny, it leaves the input vocab room for the text ids generate() shifts past it
    ("semantic", "output_vocab_size"): "codebook",
    # the fine model's vocab is one EnCodec codebook (1024) + 32 specials
    ("fine_acoustics", "input_vocab_size"): "codebook",
    ("fine_acoustics", "output_vocab_size"): "codebook",
    # Bark's context (1024) and the size of its causal-mask buffers, [block, block] per layer
    **{(t, "block_size"): "positions" for t in ("semantic", "coarse_acoustics", "fine_acoustics")},
    # GLM-Image's VQ tokenizer reads the vision tower's features (1536 = its hidden_size): a
    # width, not a VAE's few latent channels (in glm_image, linked.PART_WIDTHS ties the two)
    ("glm_image_vqmodel", "latent_channels"): "width",
}


# Settings a bare model_type's default config leaves degenerate, set as its checkpoints set them
# (applied only when the SOURCE is a model_type name): model_type -> {key: value}.
TYPE_DEFAULTS: dict[str, dict] = {
    # default: all 32 layers Mamba-2, which cannot run (no attention layer in the cache to count
    # past tokens); Granite-4.0-H interleaves attention layers, about one in ten
    "granitemoehybrid": {"layer_types": ["full_attention" if i % 10 == 9 else "linear_attention"
                                         for i in range(32)]},
    # DbrxAttention reads attn_config.rope_theta, which the v5 attention config lacks (dbrx-base)
    "dbrx": {"attn_config": {"rope_theta": 500000.0, "clip_qkv": 8}},  # clamp(None) fails too
    # every layer routes to experts but the default names none (diffusiongemma-26B-A4B's MoE)
    "diffusion_gemma": {"text_config": {"num_experts": 128, "top_k_experts": 8,
                                        "moe_intermediate_size": 704}},
    "diffusion_gemma_text": {"num_experts": 128, "top_k_experts": 8, "moe_intermediate_size": 704},
    "dots1": {"n_routed_experts": 128, "n_shared_experts": 2},  # dots.llm1: MoE from layer 0
    # the default has no rope for its layers (KeyError in the rotary); North-Micro-Vision: three
    # sliding layers with interleaved M-RoPE, then a full-attention layer without rope
    "cohere_compass_text": (_COMPASS := {
        "layer_types": ["full_attention" if i % 4 == 3 else "sliding_attention" for i in range(40)],
        "rope_parameters": {"full_attention": None, "sliding_attention": {
            "rope_type": "default", "rope_theta": 50000.0, "mrope_section": [24, 20, 20],
            "mrope_interleaved": True}}}),
    "cohere_compass": {"text_config": _COMPASS},
    # the text model builds a sliding-window mask on every forward; Step-3.5's window is 512
    "step3p7": {"text_config": {"sliding_window": 512}},
    # T5Gemma2Config hands its dropout_rate to the encoder's text config; alone, nothing does
    "t5gemma2_encoder": {"text_config": {"dropout_rate": 0.0}},
    # every fourth layer is indexed attention, whose QSA indexer the default leaves unset (Qwen4-Exp)
    # (and its rotary quarter of the head fits the index head: partial_rotary_factor 0.25)
    "qwen4_exp_text": (_QSA := {
        "indexer_n_heads": 4, "indexer_kv_heads": 1, "indexer_head_dim": 128,
        "indexer_budget": 2048, "indexer_compress_ratio": 4, "rope_parameters": {
            "rope_type": "default", "rope_theta": 1e7, "partial_rotary_factor": 0.25}}),
    "qwen4_exp": {"text_config": _QSA},
    "esm": {"vocab_size": 33, "pad_token_id": 1, "mask_token_id": 32},  # ESM-2's amino-acid vocab
    # every Bark sub-model defaults to vocab 10048, where no text id fits past the semantic
    # output; suno/bark's: text + 10048 in, 10048 semantic out, 12096 coarse, 1056 fine
    "bark": {"semantic_config": {"input_vocab_size": 129600, "output_vocab_size": 10048},
             "coarse_acoustics_config": {"input_vocab_size": 12096, "output_vocab_size": 12096},
             "fine_acoustics_config": {"input_vocab_size": 1056, "output_vocab_size": 1056}},
    # the speech encoder embeds the speech decoder's codes (decoder vocab 8194), not 256 ids
    "clvp": {"speech_config": {"vocab_size": 8194}},
    # the decoder starts from the last label_length (10) context steps: a context of 8 (the
    # filled horizon) is too short; autoformer-tourism-monthly's horizon and context
    "autoformer": {"prediction_length": 24, "context_length": 48},
    # None = every layer conv, which cannot run; LFM2-8B-A1B's 24 layers, 6 of them attention
    "lfm2_moe": {"num_hidden_layers": 24, "layer_types": [
        "full_attention" if i in (2, 6, 10, 14, 18, 21) else "conv" for i in range(24)]},
    # MiniCPM-V/-OCR: image_token_id None makes forward drop the images (generate still encodes
    # them); MiniCPM-V-4.6's config sets Qwen3.5's <|image_pad|>, and 4.7 / OCR share its text model
    **{t: {"image_token_id": 248056} for t in ("minicpmv4_6", "minicpmv4_7", "minicpm_ocr")},
    # Voxtral: audio_token_id None makes forward find no placeholder (Voxtral-Mini-3B uses 24)
    "voxtral": {"audio_token_id": 24},
    # names no backbone (cannot build) and takes no size kwargs: timm's own tiny ResNet
    "timm_backbone": {"backbone": "test_resnet"},
    **VISION_TYPE_DEFAULTS,  # PP-OCRv6 detectors, LW-DETR (registry_fill.py)
}

# Generation settings a model's own generate() needs where the config names none (applied when
# no published generation_config.json is at hand): model_type -> {key: value}.
GENERATION_DEFAULTS: dict[str, dict] = {
    # its generate() reads the speech decoder's `.sequences` (speech_ids is unbound otherwise)
    "clvp": {"return_dict_in_generate": True},
}
# The token an encoder-decoder's decoding starts from where the config names no start token (the
# default is pad, as T5's): model_type -> the generation config's key holding it.
DECODER_START_KEYS: dict[str, str] = {
    # its forward and processor start every channel from bos; generate drops leading pads (all)
    "dia": "bos_token_id",
}
