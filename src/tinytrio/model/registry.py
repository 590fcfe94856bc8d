"""What the shrinker knows about config keys, as data.

Every integer in a config is either a *size* (shrunk by the family rule it belongs to), a *token
id* (remapped into the tiny vocab), a *layer pattern* (kept; it decides how many layers survive)
or something else (kept unchanged). A key's family is found by exact name first, then by suffix,
so one table serves all 600 architectures; the per-architecture entries at the bottom exist only
where a name means something else in one model, each with a one-line reason.
"""

from __future__ import annotations

# --- size families -------------------------------------------------------------------------------
# family -> exact key names. Order of lookup: ARCH_KEYS, EXACT, then SUFFIX (longest first).
EXACT: dict[str, str] = {
    # model width
    "hidden_size": "width", "d_model": "width", "n_embd": "width", "embed_dim": "width",
    "dim": "width", "hidden_dim": "width", "embedding_size": "width", "emb_dim": "width",
    "word_embed_proj_dim": "width", "projection_dim": "width", "projection_size": "width",
    "out_hidden_size": "width", "text_hidden_size": "width", "vision_hidden_size": "width",
    "audio_hidden_size": "width", "encoder_hidden_size": "width", "decoder_hidden_size": "width",
    "hidden_size_per_layer_input": "width", "attention_hidden_size": "width",
    "hidden_size_global": "width",  # BLT: the local encoder / decoder read the global width
    # BLT: hash buckets of byte n-grams (ids are hash % this): any size works, like a codebook
    "encoder_hash_byte_group_vocab": "codebook",
    "kv_channels": "head_dim", "true_hidden_size": "width", "intra_bottleneck_size": "width",
    "pooler_hidden_size": "width", "pooler_output_size": "width", "project_dim": "width",
    "output_hidden_size": "width", "mlp_dim": "ffn",
    "prediction_head_size": "width",  # UltraBERT: its MLM head's hidden width (768 in 1.3 MB)
    "vit_dim": "width",  # SAM-HQ: the vision tower's width, read by the mask decoder
    # Perceiver: the latent array's width and its self-attention layers per block
    "d_latents": "width", "num_self_attends_per_block": "layers",
    "output_proj_dims": "width",  # Gemma-4 audio/unified vision: the tower's output width
    # llama4 vision adapter: fc1 -> projector_input_dim, fc2 projector_output_dim², and the
    # multimodal projector reads vision_output_dim: one width end to end
    "projector_input_dim": "width", "projector_output_dim": "width", "vision_output_dim": "width",
    # dots3: adapters from the vision / audio tower width to the text width
    "adapter_in_dim": "width", "adapter_out_dim": "width", "adapter_input_size": "width",
    "condition_dim": "width",  # Pocket-TTS flow head: conditioned on the backbone's hidden states
    "output_embedding_size": "width",  # RemBERT: the MLM head's decoupled output width
    "flow_size": "width",  # VITS: the latent's channels (text prior, posterior, flows, vocoder in)
    "codebook_dim": "width",  # EnCodec: codewords live in the encoder's width (= hidden_size)
    "vector_quantization_hidden_dimension": "width",  # Mimi: = codebook_dim, the codewords' width
    "fpn_feature_size": "width", "mask_feature_size": "width",  # MaskFormer's pixel decoder
    "mask_dim": "width",  # OneFormer: its pixel decoder's mask features (= conv_dim)
    # keypoint matchers: the matcher's width and its detector's descriptors (LightGlue, SuperPoint)
    "descriptor_dim": "width", "descriptor_decoder_dim": "width",
    "lru_width": "width",  # RecurrentGemma: the RG-LRU's width (= hidden_size when unset)
    "upsample_groups": "width",  # Mimi: a depthwise upsampling conv, one group per channel
    # per-stage widths of hierarchical / convolutional models (lists are scaled, see shrink.py)
    "hidden_sizes": "width", "embed_dims": "width", "embed_dim_per_stage": "width",
    "conv_dim": "width", "tdnn_dim": "width", "backbone_channel_list": "width",
    "upsample_initial_channel": "width", "classifier_proj_size": "width",
    "codevector_dim": "width", "proj_codevector_dim": "width",
    "depths": "stage_layers", "num_block_repeats": "stage_layers",
    "num_blocks": "layers", "num_filters": "filters", "n_filters": "filters",
    # feed-forward width
    "intermediate_size": "ffn", "ffn_dim": "ffn", "d_ff": "ffn", "n_inner": "ffn", "dff": "ffn",
    "dim_feedforward": "ffn", "ffn_hidden_size": "ffn", "dim_ff": "ffn", "d_inner": "ffn",
    "intermediate_size_mlp": "ffn", "linear_units": "ffn",
    # attention heads
    "num_attention_heads": "heads", "n_head": "heads", "n_heads": "heads", "num_heads": "heads",
    "attention_heads": "heads", "encoder_attention_heads": "heads",
    "decoder_attention_heads": "heads",
    "num_key_value_heads": "kv_heads", "num_kv_heads": "kv_heads", "n_head_kv": "kv_heads",
    "n_kv_heads": "kv_heads", "num_key_value_heads_per_layer": "kv_heads",  # Sapiens2: a list
    # per-head dims and low ranks
    "head_dim": "head_dim", "d_kv": "head_dim", "d_head": "head_dim", "dim_head": "head_dim",
    "attention_head_dim": "head_dim", "rotary_dim": "head_dim", "rotary_emb_base": "keep",
    "q_lora_rank": "rank", "kv_lora_rank": "rank", "o_lora_rank": "rank",
    "time_step_rank": "rank", "mamba_dt_rank": "rank",
    # SSM state (Mamba-2 128, Falcon-H1 256): B and C project onto it, like a low rank
    "state_size": "rank", "mamba_d_state": "rank", "ssm_state_size": "rank",
    "hc_lowrank": "rank",  # Qwen4-Exp hyper-connections: a low-rank mixing projection
    # Reformer: axial position embeddings split the width (their dims sum to hidden_size)
    "axial_pos_embds_dim": "width_parts", "attention_head_size": "head_dim",
    "feed_forward_size": "ffn",
    # depth
    "num_hidden_layers": "layers", "n_layer": "layers", "num_layers": "layers",
    "n_layers": "layers", "depth": "layers", "encoder_layers": "layers",
    "decoder_layers": "layers", "num_decoder_layers": "layers", "num_encoder_layers": "layers",
    # perceiver resamplers over a tower's features (Evolla, IDEFICS): depth, heads, head width
    "resampler_depth": "layers", "resampler_heads": "heads", "resampler_dim_head": "head_dim",
    "layers": "layers",  # Kosmos-2 / -2.5 text decoders name their depth bare (an int; lists kept)
    # mixture of experts
    "num_experts": "experts", "n_routed_experts": "experts", "num_local_experts": "experts",
    "moe_num_experts": "experts",
    "zero_expert_num": "experts",  # LongCat-Flash: identity experts the router also scores
    "num_experts_per_tok": "topk", "num_experts_per_token": "topk", "moe_topk": "topk",
    "moe_k": "topk", "top_k": "topk", "top_k_experts": "topk",
    "n_shared_experts": "shared_experts", "num_shared_experts": "shared_experts",
    "moe_num_shared_experts": "shared_experts",
    "n_group": "expert_groups", "num_expert_group": "expert_groups",
    "topk_group": "topk_groups",
    # positions and windows
    "max_position_embeddings": "positions", "n_positions": "positions", "n_ctx": "positions",
    "max_source_positions": "positions", "max_target_positions": "positions",
    "max_seq_len": "positions", "max_encoder_position_embeddings": "positions",
    "max_decoder_position_embeddings": "positions",
    "position_embedding_size": "pos_table",  # Gemma-4 vision: x / y tables by patch coordinate
    "sliding_window": "window", "sliding_window_size": "window", "attention_window": "window",
    "local_attention": "window", "window_size": "window_tokens",
    "num_conv_pos_embeddings": "window",  # wav2vec2-likes: the position conv's kernel over frames
    # sine position features: two halves (x, y) make one width (SAM, DETR-likes)
    "num_pos_feats": "half_width",
    # detection queries: top-k over the anchors of a tiny image must find that many
    "num_queries": "queries",
    # images
    "image_size": "image", "patch_size": "keep",
    # vocabularies that are not the tokenizer's
    "vocab_size": "vocab",
    # VQ codebooks (EnCodec, Mimi, Janus/Chameleon VQGAN) and the audio-code vocab over them
    # (Moshi): one size, capped together so codes still index the codebook
    "codebook_size": "codebook", "num_embeddings": "codebook", "audio_vocab_size": "codebook",
    # VQGAN (Janus, Chameleon, Emu3): base conv channels, times channel_multiplier per level
    "base_channels": "vq_base",
}

# suffix -> family, for the long tail (`vision_intermediate_size`, `speech_encoder_layers` …)
SUFFIX: dict[str, str] = {
    "_hidden_size": "width", "_hidden_dim": "width", "_embed_dim": "width",
    "_intermediate_size": "ffn", "_ffn_dim": "ffn", "_intermediate_dim": "ffn",
    "_attention_heads": "heads", "_num_heads": "heads", "_n_heads": "heads",
    "_key_heads": "heads", "_value_heads": "heads",
    "_key_value_heads": "kv_heads", "_kv_heads": "kv_heads",
    "_head_dim": "head_dim", "_lora_rank": "rank",
    "_hidden_layers": "layers", "_num_layers": "layers", "_layers": "layers",
    "_position_embeddings": "positions", "_positions": "positions",
    "_hidden_sizes": "width", "_channels": "width", "_units": "ffn", "_out_channel": "width",
    "_num_experts": "experts",
}

# Keys that match a family rule by name but are not sizes of that family.
NOT_SIZES: frozenset[str] = frozenset({
    "mlp_only_layers",          # a list of layer indices: a pattern, kept
    "num_kv_shared_layers",     # gemma3n: count of trailing layers that reuse KV: a pattern
    "max_window_layers",        # qwen2: threshold, layers beyond it slide: a pattern
    "first_k_dense_replace", "num_dense_layers", "moe_layer_start_index", "moe_layer_end_index",
    "num_feat_extract_layers",  # wav2vec2: equals len(conv_dim), the conv stack is a contract
    "num_nextn_predict_layers", "num_mtp_layers",
    "type_vocab_size",          # BERT token types: usually 2, a contract with the tokenizer
    "patch_embed_hidden_size",  # Pix2Struct / Kosmos-2.5: the flattened patch pixels (16*16*3)
                                # the image processor makes, not a width
    "max_2d_position_embeddings",  # LayoutLM: boxes live on a 0-1000 page, a data contract
    "num_mel_bins", "num_channels", "latent_channels", "audio_channels", "sampling_rate",
    "patch_size", "spatial_merge_size",
    "temporal_patch_size", "merge_size",
})

# Integer patterns over layer index i: name -> predicate(i, value). They are kept unchanged, and
# the tiny model keeps enough layers that every distinct kind of layer they describe survives.
LAYER_PATTERNS = {
    "first_k_dense_replace": lambda i, v: i < v,
    "num_dense_layers": lambda i, v: i < v,
    "attn_layer_period": None,  # paired with attn_layer_offset below
    "expert_layer_period": None,
    "decoder_sparse_step": lambda i, v: v > 0 and (i + 1) % v == 0,
    "moe_layer_freq": lambda i, v: v > 0 and i % v == 0,
    "sliding_window_pattern": lambda i, v: v > 0 and (i + 1) % v == 0,
    "_sliding_window_pattern": lambda i, v: v > 0 and (i + 1) % v == 0,
    "full_attention_interval": lambda i, v: v > 0 and (i + 1) % v == 0,
    "global_attn_every_n_layers": lambda i, v: v > 0 and i % v == 0,
    "no_rope_layer_interval": lambda i, v: v > 0 and (i + 1) % v == 0,
    "interleave_moe_layer_step": lambda i, v: v > 0 and (i + 1) % v == 0,
    "cross_attention_frequency": lambda i, v: v > 0 and i % v == 0,
}
# (period key, offset key): layer i is special when i % period == offset
PERIOD_PAIRS = [("attn_layer_period", "attn_layer_offset"),
                ("expert_layer_period", "expert_layer_offset")]
# lists of layer indices; every index that survives is kept, the rest are dropped
INDEX_LISTS = ("attn_layer_indices",  # bamba: its attention layers among the Mamba-2 ones
               "mlp_only_layers", "full_attn_idxs", "global_attn_layers", "fullatt_block_indexes",
               "moe_layers", "global_attn_indexes",  # llama4: indices of MoE layers (all 48)
               "rope_scaling_layers",  # Molmo2: the text layers that scale rope
               "subsample_layers",  # Granite Speech 5: the conformer layers that downsample
               "cross_attention_layers")  # Mllama: the text layers that cross-attend to images
# per-layer lists whose key names no layer (Gemma-3n: an FFN width and a sparsity per layer)
PER_LAYER_LISTS = ("intermediate_size", "activation_sparsity_pattern")
# counts of trailing layers of another kind (Gemma-3n: the last N layers reuse earlier KV); they
# count the kept trailing layers
TRAILING_COUNTS = ("num_kv_shared_layers",)
# layer kinds whose weights are tied across their layers: two of them are kept (Zamba ties every
# hybrid layer's shared transformer to the first; transformers refuses a tie with no target)
TIED_KINDS = {("zamba", "layers_block_type"): "hybrid"}
# run-length layer patterns, [[kinds, times], …] (GPT-Neo `attention_types`): kept as one run of
# the kept layers' kinds
RUN_LENGTH_LAYERS = ("attention_types",)
# layer-index keys kept beside the tower whose layers they name -> that tower's sub-config key
TOWER_LAYER_KEYS = {"vision_feature_layer": "vision_config",  # Molmo2: in adapter_config
                    "spatial_target_layers": "text_config",  # Granite-4 Vision: decoder layers
                    # DepthPro: the patch encoder layers whose outputs its fusion stage reads
                    "intermediate_hook_ids": "patch_model_config"}
# lists of index pairs, each entry naming a layer of its own tower: Granite-4 Vision's
# [vision layer, decoder layer] pairs (a vision layer's features go into a decoder layer)
PAIR_LAYER_KEYS = {"deepstack_layer_map": ("vision_config", "text_config")}
# hidden-state indices (0 = the embeddings) into the stack of their own level: clamped to it
HIDDEN_STATE_INDICES = ("vision_feature_layer", "select_layer")
# layer-index lists whose length is a contract (Mllama concatenates each listed layer's output):
# each index moves to the same fraction of the kept stack, as TOWER_LAYER_KEYS do
FOLLOWED_LAYER_LISTS = ("intermediate_layers_indices",)
# widths of a concatenation of the last hidden state with those a list names: width x (1 + len)
STACKED_WIDTHS = {"vision_output_dim": "intermediate_layers_indices"}  # Mllama's projector input
# per-layer lists whose entries are layer indices (layer i reads layer v's KV): a layer's kind is
# whether it reads its own (i - v), and the indices follow the kept layers
LAYER_MAPS = ("kv_source_layers",)
# layer-kind lists shorter than the stack that the config repeats (layer i is value[i % len]);
# each cycle position is a kind, so the tiny prefix holds one of each
CYCLIC_LAYER_LISTS = ("block_types",)  # recurrent_gemma: (recurrent, recurrent, attention) x N

# Mamba-2 mixers: (heads, head dim, expand, groups, inner width or None). heads x head dim must
# equal the inner width (expand x hidden, or the explicit one) and groups divide heads; applied
# where the level also has a state size (`state_size` / `mamba_d_state`).
SSM_KEYS = [("num_heads", "head_dim", "expand", "n_groups", None),
            ("mamba_n_heads", "mamba_d_head", "mamba_expand", "mamba_n_groups", "mamba_d_ssm")]

# Nested per-block spec lists -> the positions of channel counts in each block's spec; they scale
# with the level's widths (PP-LCNet: [kernel, in_channels, out_channels, stride, use_se]).
BLOCK_SPECS: dict[str, tuple[int, ...]] = {"block_configs": (1, 2)}

# Scalar sizes whose weighted sum is the width (the parts of one concatenation): apportioned to the
# tiny width when they make up the original's. LayoutLMv2/v3, PP-DocLayout-V2: the box embedding
# concatenates x0, y0, x1, y1 (coordinate_size each) and h, w (shape_size each) into hidden_size.
WIDTH_SPLITS: dict[tuple[str, ...], tuple[int, ...]] = {("coordinate_size", "shape_size"): (4, 2)}

# Float multipliers of the conv widths a model derives from constants in code -> their cap: the
# smallest published variant (MobileNet 0.25, MobileViTv2 0.5; EfficientNet-B0 depth 1.0, not 3.1)
CHANNEL_MULTIPLIERS = {"depth_multiplier": 0.25, "width_multiplier": 0.25, "depth_coefficient": 1.0,
                       "width_coefficient": 1.0}  # EfficientNet-B0 (B7's 2.0 doubles its 1280 top)

# (model_type, key) -> (part, width list, index): a size at a composite's level that is one
# stage width of a part, read there by the modeling code.
FOLLOW_PARTS: dict[tuple[str, str], tuple[str, str, int]] = {
    # PP-DocLayout-V3: the mask branch reads the backbone's stride-4 (first stage) features
    ("pp_doclayout_v3", "x4_feat_dim"): ("backbone_config", "stage_out_channels", 0),
}

# Lists whose length counts the doublings of a codec's base `filters` (one per down-sampling
# stage): the base shrinks so the widest stage stays within DEFAULTS["filters_top"].
FILTER_DOUBLINGS = ("downsampling_ratios", "upsampling_ratios")

# Group-norm group counts: the widths they split must stay multiples of them.
GROUP_KEYS = ("num_groups", "norm_groups", "num_norm_groups", "group_norm_groups")

# Masked-LM heads that decode a fixed number of positions, whatever the input length: the config
# key that holds it. Perceiver's decoder queries every max_position_embeddings position.
FIXED_OUTPUT_POSITIONS: dict[str, str] = {"perceiver": "max_position_embeddings"}

# Keys whose value is one or more token ids (besides anything ending in `_token_id(s)` or
# `_token_index`), remapped into the tiny tokenizer.
TOKEN_ID_KEYS: frozenset[str] = frozenset({
    "bos_token_id", "eos_token_id", "pad_token_id", "unk_token_id", "sep_token_id",
    "cls_token_id", "mask_token_id", "decoder_start_token_id", "forced_bos_token_id",
    "forced_eos_token_id", "image_token_index", "video_token_index", "audio_token_index",
    "boi_token_index", "eoi_token_index", "suppress_tokens", "begin_suppress_tokens",
    "forced_decoder_ids",       # whisper: [[position, id], …]
    "image_patch_id",           # Molmo2: the image patch placeholder token
    "lang_to_id", "task_to_id",  # whisper generation config: {"<|en|>": id, …}
})
TOKEN_ID_SUFFIXES = ("_token_id", "_token_ids", "_token_index")

# Position keys that count audio frames, not tokens, when `num_mel_bins` sits beside them
# (Whisper and the encoders built on it): a whole second of audio, never grown to cover a pad id.
AUDIO_POSITIONS = ("max_source_positions",)
# Audio towers whose frames the model merges in groups (sub-config model_type -> group size):
# their tiny positions are a whole number of groups. MOSS-Transcribe-Diarize merges 4 frames per
# audio token (audio_merge_size) and reshapes the tower's output by it.
AUDIO_POSITION_MULTIPLE: dict[str, int] = {"moss_transcribe_diarize_audio": 4,
    # Qwen2.5-Omni's tower convolves chunks of 2 x n_window (200) frames: 100 positions each
    "qwen2_5_omni_audio_encoder": 100,
    # Voxtral's projector reads 4 tower frames per audio token (intermediate_size = 4 x hidden)
    "voxtral_encoder": 4}

# Side vocabularies whose embedding takes the text pad id as padding_idx (RoCBert's pronunciation
# and shape tables: `nn.Embedding(pronunciation_vocab_size, …, padding_idx=pad_token_id)`).
PAD_VOCABS = ("pronunciation_vocab_size", "shape_vocab_size")

# Token ids that code reads by number, not by string: the tiny tokenizer holds the token at the
# config's id (tokenizer/pin.py). model_type -> token-id keys.
PINNED_TOKEN_IDS: dict[str, tuple[str, ...]] = {
    # positions are cumsum(mask) + pad id, and generate checks they start at 1: pad must be 0
    "prophetnet": ("pad_token_id",),
    # VoxtralProcessor hard-codes audio_token_id 24 (Tekken's [AUDIO]) and reads its string there
    "voxtral": ("audio_token_id",),
}

# Keys that hold the number of image tokens per image: tied to the tiny vision tower's grid.
IMAGE_TOKEN_COUNTS = ("image_seq_length", "mm_tokens_per_image", "num_image_tokens")
# Dicts keyed by patches per image (the original image sizes' grids), valued by image tokens: the
# largest key becomes the tiny grid's patch count, the others keep their side's ratio to it; the
# values shrink to at most DEFAULTS["queries"] in their ratio.
# Aria's projector looks its learned queries up by the tower's patch count (4900 -> 256 queries).
PATCH_COUNT_DICTS = ("projector_patch_to_query_dict",)
# Towers whose [k, k] `patch_size` is a conv kernel at another stride, not a patch: model_type ->
# reason (their image side is not a whole number of such "patches")
KERNEL_PATCHES = {"hiera": "the [7, 7] patch embedding convolves at patch_stride [4, 4]"}
# An image side without a patch size is capped at 32 px, or at this for a model_type whose
# downsampling needs more: TVP's ResNet grid (32x) is max-pooled 2x again, which needs >= 64 px
UNPATCHED_SIDE: dict[str, int] = {"tvp": 64}
# "q/w" strings: queries per side of a window of w patches per side, w a divisor of the grid; both
# shrink by a common factor until w divides the tiny grid (Granite-4 Vision's Q-Former "4/8")
WINDOW_FRACTIONS = ("downsample_rate",)

# Width lists whose first entry is a width fixed in the modeling code, not read from the config:
# the entry is kept when the rest of the list is scaled. (model_type, key) -> reason.
STEM_FIRST: dict[tuple[str, str], str] = {
    ("efficientnet", "in_channels"): "the stem conv is round_filters(config, 32) in code",
    ("align_vision_model", "in_channels"): "EfficientNet stem: round_filters(config, 32) in code",
}

# Per-architecture exceptions: (model_type, key) -> family. One-line reason each.
ARCH_KEYS: dict[tuple[str, str], str] = {
    ("mamba", "intermediate_size"): "ffn",   # = expand * hidden in the checkpoint; a size
    ("falcon", "num_kv_heads"): "kv_heads",  # with multi_query the flag wins; kept in step
    ("swin", "embed_dim"): "width",          # stage widths are embed_dim * 2**stage
    ("gemma3n_vision", "hidden_size"): None,  # = timm MobileNet-V5's fixed 2048-wide output
    # VoxtralProcessor hard-codes 3000-frame (30 s) chunks in its class audio_kwargs, which no
    # saved setting overrides: the tower's 1500 positions must cover them
    ("voxtral_encoder", "max_source_positions"): None,
    ("layoutlmv3", "input_size"): "image",  # the image side its patch position table is built for
    ("bloom", "n_head"): "heads",
    ("xlstm", "embedding_dim"): "width",     # an alias of hidden_size: the blocks read this one
    ("focalnet", "embed_dim"): "pyramid",    # stage i is embed_dim * 2**i: scales with hidden_sizes
    ("univnet", "model_hidden_channels"): "filters",  # kernel predictor emits hidden² x kernel x layers
    # the kernel predictor's width; its residual blocks run at model_in_channels: one linked width
    ("univnet", "kernel_predictor_hidden_channels"): "filters",
    ("univnet", "model_in_channels"): "filters",
    ("dac", "encoder_hidden_size"): "filters",  # DAC: base conv channels, doubled per downsampling
    # Qwen3-ASR: the audio tower projects to the text width; its audio features replace tokens
    ("qwen3_asr_encoder", "output_dim"): "width",
    # X-Codec-2 / NeuCodec: the quantizer reads acoustic + semantic features (2 x the width), so
    # it keeps its ratio to the width like a feed-forward size; the acoustic base channels double
    # per downsampling like DAC's
    ("xcodec2", "quantization_dim"): "ffn", ("neucodec", "quantization_dim"): "ffn",
    ("xcodec2", "encoder_hidden_size"): "filters", ("neucodec", "encoder_hidden_size"): "filters",
    ("mask2former", "feature_size"): "width",  # its pixel decoder's width (not audio features)
    ("mask2former", "encoder_feedforward_dim"): "ffn",  # the pixel decoder encoder's FFN
    ("efficientloftr", "out_features"): "width",  # stage channel widths; the last = hidden_size
    ("efficientnet", "hidden_dim"): "keep",        # = round_filters(config, 1280), computed in code
    ("align_vision_model", "hidden_dim"): "keep",  # EfficientNet's top conv: round_filters(1280)
    # HunyuanOCR's tower: a learned (max_image_size / patch)² grid, interpolated to each image
    ("hunyuan_vl_vision", "max_image_size"): "image",
    ("tvp", "max_img_size"): "image",  # the side its visual prompter (frame pad) is built for
    # DepthPro: the widths its encoder features are upsampled at, per scale and per hook
    ("depth_pro", "scaled_images_feature_dims"): "width",
    ("depth_pro", "intermediate_feature_dims"): "width",
    # Qwen3-Omni: the audio tower projects to the text width; its features replace audio tokens
    ("qwen3_omni_moe_audio_encoder", "output_dim"): "width",
    ("ovis2_vision", "vocab_size"): "codebook",  # Ovis2's visual words: a table, not text ids
    ("perceiver", "num_latents"): "queries",  # the latent array: learned cross-attention queries
    # audio-code decoders: their vocab is a codec's codes (+ specials at its end), not text ids
    ("musicgen_decoder", "vocab_size"): "codebook", ("dia_decoder", "vocab_size"): "codebook",
    ("musicgen_melody_decoder", "vocab_size"): "codebook",
    # CSM's backbone and depth decoder: vocab_size is Mimi's codes (+ 3); text_vocab_size the text
    ("csm", "vocab_size"): "codebook", ("csm_depth_decoder_model", "vocab_size"): "codebook",
    ("kyutai_speech_to_text", "codebook_vocab_size"): "codebook",  # Mimi's codes + its audio bos
}

# Tiny codebook sizes where the size sets the quantizer count: EnCodec builds bandwidth / (frame
# rate x log2 size) quantizers: 40 of 33k params at 256 codes, 80 of 2k at 16 (bandwidths kept)
CODEBOOK_CAPS: dict[str, int] = {"encodec": 16,
                                 # MusicGen's codes index its EnCodec's (tiny) codebook
                                 "musicgen_decoder": 16, "musicgen_melody_decoder": 16,
                                 "dia_decoder": 68,  # 64 DAC codes + Dia's 4 specials
                                 # Mimi's tiny 256 codes + CSM's 3 specials, + Kyutai's audio bos
                                 "csm": 259, "csm_depth_decoder_model": 259,
                                 "kyutai_speech_to_text": 257}
ROPE_KEYS = ("rope_parameters", "rope_scaling", "rope_theta")  # a level with these is rotary

# Default tiny sizes.
DEFAULTS = dict(
    hidden_size=64,    # model width; heads * head_dim
    ffn_ratio=2,       # FFN widths keep the original's ratio to the width, at most this (4x FFNs
                       # were ~45% of a median artifact; fine-grained MoE experts stay below it)
    heads=4,           # attention heads (kv heads follow the original's ratio kind)
    layers=2,          # per stack; raised when a layer pattern needs more to keep every kind
    experts=4,         # routed experts when the original has more
    topk=2,            # experts per token when the original routes to more
    positions=512,     # learned position tables
    filters=8,         # base channels of convolutional audio codecs (doubled per stage)
    other_vocab=4096,  # non-text vocabularies (entities, source/target) above this follow the text
    positions_past_pad=128,  # rows beyond a pad id that position tables count from
    window=32,         # sliding / local attention windows
    image_grid=4,      # patches per image side
    audio_positions=50,  # Whisper-style encoders: 2 mel frames per position, 100 frames a
                         # second; 50 makes the feature extractor's window one whole second
    vq_base=32,        # VQGAN base channels: the code's GroupNorm(32) needs multiples of 32
    filters_top=64,    # the widest stage of a conv codec (base filters doubled per down-sampling)
    codebook=256,      # VQ codebook entries (a power of 2: Mimi requires one)
    queries=8,         # object queries (DETR-likes); a 32-pixel image has 21 anchors at strides 8-32
    max_layers_prefix=12,  # longest prefix taken to keep a layer pattern; beyond, a subsequence
)

# Keys some default configs leave None that the model needs, and settings a bare model_type's
# default config leaves degenerate: registry_fill.py.
from .registry_fill import FILL_NONE, VISION_TYPE_DEFAULTS  # noqa: F401, I001  (re-exported)
from .registry_fill import ARCH_KEYS_FILL, TYPE_DEFAULTS  # noqa: F401, E402 (re-exported)
ARCH_KEYS.update(ARCH_KEYS_FILL)  # per-architecture families kept in registry_fill.py
from .registry_derived import DERIVED_ABSENT, DERIVED_NONE, REDERIVED  # noqa: F401, E402 (re-exported)
from .registry_derived import IMPLICIT_ROPE, ROPE_DEFAULTS  # noqa: F401, E402 (re-exported)
