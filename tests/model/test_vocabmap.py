"""Image vocabulary maps (Chameleon, Emu3) and the VQGAN widths and token counts around them:
shrink-only, no model is built."""

from tinytrio.model.shrink import ShrinkSpec, shrink_config
from tinytrio.model.vocabmap import fill_map, map_names
from tinytrio.processors.shrink import Target

CHAMELEON = {"model_type": "chameleon", "vocab_size": 65536, "hidden_size": 4096,
             "num_hidden_layers": 32, "num_attention_heads": 32, "vocabulary_map": None,
             "vq_config": {"model_type": "chameleon_vqgan", "num_embeddings": 8192,
                           "base_channels": 128, "channel_multiplier": [1, 1, 2, 2, 4]}}
EMU3_VQ = {"model_type": "emu3_vqgan", "codebook_size": 32768, "base_channels": 256,
           "channel_multiplier": [1, 2, 2, 4], "hidden_size": 1024, "num_attention_heads": 1}


def test_the_tiny_map_names_one_token_per_tiny_code():
    tiny, _ = shrink_config(CHAMELEON, ShrinkSpec())
    names = map_names(tiny)
    assert names[0] == "<image>" and names[1] == "IMGIMGAZ" and names[11] == "IMGIMGBAZ"
    assert len(names) == 1 + tiny["vq_config"]["num_embeddings"] == 257
    fill_map(tiny, None, 1024)  # no tokenizer: the top ids of the vocab
    m = tiny["vocabulary_map"]
    assert m["<image>"] == 1024 - 257 and max(m.values()) == 1023


def test_a_type_without_a_map_is_left_alone():
    tiny = {"model_type": "llama", "vocab_size": 512}
    fill_map(tiny, None, 512)
    assert "vocabulary_map" not in tiny


def test_vqgan_attention_width_follows_the_top_stage():
    tiny, _ = shrink_config({"model_type": "emu3", "vq_config": EMU3_VQ}, ShrinkSpec())
    vq = tiny["vq_config"]
    assert vq["hidden_size"] == vq["base_channels"] * vq["channel_multiplier"][-1] == 128


def test_vqgan_tokens_per_image_follow_its_downsampling():
    tiny = {"model_type": "chameleon", "vq_config": {"channel_multiplier": [1, 1, 2, 2, 4]}}
    assert Target.of(tiny, tiny).tokens == (32 // 16) ** 2


def test_a_num_labels_field_gets_label_names():
    from tinytrio.model.classes import complete_defaults

    d = {"model_type": "pvt", "num_labels": 3, "id2label": None}
    complete_defaults(d)  # PVT's num_labels field leaves id2label None; pipelines read it
    assert d["id2label"] == {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"}


def test_chunk_sample_lengths_cover_every_feature_frame():
    from types import SimpleNamespace

    import torch

    from tinytrio.model.args import sample_lengths

    cfg = SimpleNamespace(audio_config=SimpleNamespace(hop_length=160))
    ctx = SimpleNamespace(config=cfg, inputs={"input_features": torch.zeros(2, 128, 64)})
    assert sample_lengths(ctx).tolist() == [64 * 160] * 2  # Dots3's waveform samples per chunk


def test_the_vision_tower_is_found_in_an_encoders_config():
    from types import SimpleNamespace as NS

    from tinytrio.model.media import image_config

    tower = NS(image_size=64)
    assert image_config(NS(encoder=NS(vision_config=tower))) is tower  # T5Gemma-2
    enc = NS(image_size=384)  # a vision-encoder-decoder's encoder is no tower holder: unchanged
    top = NS(encoder=enc)
    assert image_config(top) is top
