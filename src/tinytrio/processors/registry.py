"""What the processor shrinker knows, as data. One line of reason per entry.

Everything else is found generically: component classes in transformers' auto mappings, token
strings in the processor class's `__init__` defaults and source, sizes by key name.
"""

from __future__ import annotations

# Token strings a processor reads from the tokenizer (`tokenizer.image_token` …) that neither its
# signature nor its source spells out: the published tokenizers name them. model_type -> {attr: str}
TOKEN_STRINGS: dict[str, dict[str, str]] = {
    # Gemma 3's processor reads tokenizer.boi/eoi/image_token; google/gemma-3-4b-it names these
    "gemma3": {"boi_token": "<start_of_image>", "eoi_token": "<end_of_image>",
               "image_token": "<image_soft_token>"},
    # Qwen2-VL's chat template wraps images in vision start/end tokens the model looks for
    "qwen2_vl": {"vision_start_token": "<|vision_start|>", "vision_end_token": "<|vision_end|>"},
    "qwen2_5_vl": {"vision_start_token": "<|vision_start|>", "vision_end_token": "<|vision_end|>"},
    # Emu3's processor reads five tokenizer attributes (its comments name them); the model finds
    # the image placeholder by the string "<image>" in its vocabulary_map
    "emu3": {"image_token": "<image>", "boi_token": "<|image start|>",
             "eoi_token": "<|image end|>", "image_wrapper_token": "<|image token|>",
             "eof_token": "<|extra_201|>"},
}

# Token strings a processor looks up by literal (`tokenizer.convert_tokens_to_ids([...])`) that no
# config id names: added to the tiny tokenizer. model_type -> strings
LITERAL_TOKENS: dict[str, tuple[str, ...]] = {
    "molmo2": ("<im_col>", "<im_low>"),  # the column separator and its unused low-res marker
}

# Sizes a feature extractor repeats from the model config by the same key: they follow the tiny
# model's value. UnivNet's extractor draws the generator's noise with model_in_channels channels.
SHARED_SIZES = ("model_in_channels",)
# Feature-extractor modes only a model with a config switch on reads: extractor key -> (config
# switch, the mode it needs, the mode otherwise). CLAP's "fusion" truncation stacks 4 crops as
# channels, which only an enable_fusion model takes; unfused checkpoints publish "rand_trunc".
SWITCHED_MODES: dict[str, tuple[str, str, str]] = {
    "truncation": ("enable_fusion", "fusion", "rand_trunc"),
}

# Processors that refuse a media placeholder not wrapped in their own start / end tokens (the
# fallback chat template wraps it in those): model_type -> (start attr, end attr) on the processor.
WRAPPED_PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "hunyuan_vl": ("image_start_token", "image_end_token"),  # "must be formatted as <s><img><e>"
}

# Image-processor attributes a processor reads that the image processor class has no default
# for; published preprocessor configs carry them. processor class -> attrs (tokens per image)
IMAGE_PROCESSOR_NEEDS: dict[str, tuple[str, ...]] = {
    "PaliGemmaProcessor": ("image_seq_length",),  # raises "missing an image_seq_length" without it
    "Florence2Processor": ("image_seq_length",),  # multiplies the image token by it (None)
}

# Image processors the published checkpoints name where transformers' auto mapping names another:
# model_type -> class name. X-CLIP maps to CLIPImageProcessor (a flat batch of frames), but its
# forward takes clips [batch, frames, C, H, W], as microsoft/xclip-*'s VideoMAEImageProcessor makes.
IMAGE_PROCESSOR_CLASS: dict[str, str] = {"xclip": "VideoMAEImageProcessor"}
# The same for whole processors: transformers' processor mapping has no Kosmos-2 entry, but
# microsoft/kosmos-2-patch14-224's processor_config.json names Kosmos2Processor.
PROCESSOR_CLASS: dict[str, str] = {"kosmos-2": "Kosmos2Processor"}
# The same for feature extractors. w2v-BERT maps to Wav2Vec2FeatureExtractor (raw input_values),
# but its forward takes stacked mel input_features, as facebook/w2v-bert-2.0's SeamlessM4T one makes.
FEATURE_EXTRACTOR_CLASS: dict[str, str] = {"wav2vec2-bert": "SeamlessM4TFeatureExtractor"}

# The temporal patch size of towers whose config names none, where the image processor's default
# differs: GLM-Image's 2-D patch embedding views each flattened row as in_channels x p x p, so the
# processor's default of 2 frames per row would double the patches its grid counts
TEMPORAL_PATCH: dict[str, int] = {"glm_image": 1}

# Keys (in processors, image processors and configs) that hold the number of tokens per image.
IMAGE_TOKEN_COUNTS = ("image_seq_length", "image_seq_len", "mm_tokens_per_image",
                      "num_image_tokens")

# Processor kwargs mapping an image side (px) to its tokens, beside the config table that maps the
# tower's patch count to the same tokens: kwarg -> config key. The tiny processor maps the side of
# each tiny table entry (sqrt(patches) x patch) to its tokens (AriaProcessor's size_conversion
# {490: 128, 980: 256}, None by default: the class's own table)
SIDE_TOKEN_TABLES: dict[str, str] = {"size_conversion": "projector_patch_to_query_dict"}

# Image-processor keys that count the patches a crop overlaps its neighbours by, per edge (Molmo2's
# overlap_margins [4, 4] of a 27-patch crop): they keep their fraction of the tiny grid, at least
# one patch each, and always leave a window of at least one patch between them.
PATCH_MARGINS = ("overlap_margins",)

# Config keys that, where present, fix the tokens per image whatever the grid: a perceiver
# resampler (Idefics2) turns every image into this many latents.
RESAMPLER_TOKENS = ("resampler_n_latents",)

# Image-processor keys that must equal the tiny config's value of the same name: LLaVA-NeXT's
# anyres pinpoints are shrunk with the vision tower; the model tiles images by the config's.
FROM_CONFIG = ("image_grid_pinpoints",)

# The image side for models whose config names none (DETR-likes, RT-DETR, conv nets): what
# their dummy inputs use (model/media.py), so that the processor feeds tiny images too.
DEFAULT_SIDE = 32

# Vision towers whose output starts with a CLS token: a llava-family processor counts it in
# num_additional_image_tokens (the published LLaVA / LLaVA-NeXT configs say 1).
CLS_TOWERS = ("clip_vision_model", "clip", "metaclip_2_vision_model")

# Vision towers whose image features end (or start) with one pooled token beside the grid's
# (Florence-2's projector adds the grid's mean: microsoft/Florence-2's image_seq_length 577 = 24²+1)
POOLED_TOKEN_TOWERS = ("florence_vision",)

# An image "edge" above this many pixels is an area (Qwen2-VL's size = {shortest_edge: min_pixels,
# longest_edge: max_pixels}); no real edge is this long.
MAX_EDGE = 16384

# Audio: frames the encoder sees per position (Whisper's two convolutions, the second stride 2).
FRAMES_PER_POSITION = 2

# Video: frames sampled per clip in the tiny processor (enough for one temporal patch pair).
VIDEO_FRAMES = 4

# Processor-call arguments the user always passes beside the media (argument name -> value): the
# processor check passes them when the processor's __call__ names them. OneFormer's processor
# raises without a task ("You have to specify the task_input"); "semantic" is its first task.
PROCESSOR_ARGS: dict[str, object] = {"task_inputs": ["semantic"]}

# Speech-prompt processors that take only prompts their own chat template renders, where the class
# ships none: model_type -> (processor attributes an audio item writes, attributes that close the
# prompt). PocketTTS's layout, as its __init__ documents it (Gradium Phonon uses that processor):
# the voice is [audio_prompt_bos_token] audio_token, the text follows, audio_bos_token ends it;
# no role names (the text is spoken)
SPEECH_PROMPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    t: (("audio_prompt_bos_token", "audio_token"), ("audio_bos_token",))
    for t in ("pocket_tts", "gradium_phonon_tts")}

# Processor-call arguments that take a codec's latents in place of waveforms, for a processor that
# holds no audio tokenizer to encode a waveform (PocketTTS: a checkpoint's voices/): argument ->
# the model-config keys of the latent width, first found (Gradium's voices are audio_prompt_dim)
PRECOMPUTED_AUDIO: dict[str, tuple[str, ...]] = {
    "audio_prompt_latents": ("audio_prompt_dim", "latent_dim")}
