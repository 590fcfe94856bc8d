"""Audio codecs get the inputs their halves really take: a decoder's channels-first `latents`, a
conv encoder's waveform passed as `hidden_states`, a waveform a whole number of tokenizer strides
long, the mel features of that same waveform beside it, and a waveform padding mask that counts
the audio placeholder tokens."""

import json

import pytest

from tinytrio import make_tiny_model


def _inputs(model_type, out):
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs

    make_tiny_model(model_type, out, check=False)
    cls, _ = pick_model_class(json.loads((out / "config.json").read_text()))
    model = cls.from_pretrained(out).eval()
    return model, make_inputs(model)


@pytest.mark.parametrize("model_type,name,shape", [
    ("mimi_decoder", "latents", lambda c: (2, c.hidden_size, 12)),      # channels first
    ("vibevoice_acoustic_tokenizer_encoder", "hidden_states",           # a mono waveform
     lambda c: (2, c.channels, 16000)),
    ("muse_spark_audio", "input_values",                                # 9 strides of 1920
     lambda c: (2, 9 * c.samples_per_token)),
])
def test_codec_input_shapes(model_type, name, shape, tmp_path):
    model, inputs = _inputs(model_type, tmp_path / model_type)
    assert tuple(inputs[name].shape) == shape(model.config)
    model(**inputs)


def test_codec_features_follow_the_waveform(tmp_path):
    """X-Codec-2: one semantic feature frame per acoustic frame (hop_length samples)."""
    model, inputs = _inputs("xcodec2", tmp_path / "xcodec2")
    assert inputs["input_features"].shape[1] == inputs["input_values"].shape[-1] // (
        model.config.hop_length)
    model(**inputs)


def test_waveform_padding_mask_counts_audio_tokens(tmp_path):
    """VibeVoice: the padding mask it needs is built, the audio tokens it makes are placed, and
    building the inputs leaves the global RNG as it was (its latents are sampled)."""
    import torch

    model, _ = _inputs("vibevoice", tmp_path / "vibevoice")
    model._tinytrio_layout = None
    from tinytrio.model.inputs import make_inputs

    state = torch.get_rng_state()
    inputs = make_inputs(model)
    assert torch.equal(state, torch.get_rng_state())
    assert inputs["padding_mask"].shape == inputs["input_values"].shape[::2]
    n = (inputs["input_ids"] == model.config.audio_token_id).sum(-1)
    assert (n == -(-inputs["input_values"].shape[-1] // model.config.audio_config.hop_length)).all()
    assert "attention_mask" in inputs  # generate() reads it though the forward does not name it
    model(**inputs)


def test_codebook_labels(tmp_path):
    """CSM: labels carry one code per codebook per frame; its loss trains the backbone on
    codebook 0 and the depth decoder on the rest."""
    from tinytrio.model.inputs import make_inputs

    model, _ = _inputs("csm", tmp_path / "csm")
    inputs = make_inputs(model.train(), labels=True)
    assert inputs["labels"].shape == (*inputs["input_ids"].shape, model.config.num_codebooks)
    out = model(**inputs)
    assert out.depth_decoder_loss is not None
    out.loss.backward()
