"""Default-config gaps filled before shrinking, as data (split from registry.py, which re-exports
it as registry.FILL_NONE)."""

from __future__ import annotations

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
    "vision_config": {},  # Gemma-4 family: the optional vision tower is None by default although
                          # image_token_id is set and the checkpoints have one: the config's default
}
