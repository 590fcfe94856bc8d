"""Audio language models get one audio placeholder token per audio embedding beside their mel
features (media_av.place_audio_tokens), so the forward really merges the audio into the text."""

import json

import pytest

from tinytrio import make_tiny_model


# counted by get_audio_features with a required argument the forward passes as None (MOSS),
# by the audio tower's output-length rule (Qwen2-Audio has no getter), and Voxtral (its audio
# token filled by TYPE_DEFAULTS, its tower positions a whole number of 4-frame projector groups)
@pytest.mark.parametrize("model_type", ["moss_transcribe_diarize", "qwen2_audio", "voxtral"])
def test_audio_lm_gets_audio_placeholders(model_type, tmp_path):
    import torch

    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs
    from tinytrio.model.media_av import audio_token_id

    out = tmp_path / model_type
    make_tiny_model(model_type, out, check=False)
    cls, _ = pick_model_class(json.loads((out / "config.json").read_text()))
    model = cls.from_pretrained(out).train()
    inputs = make_inputs(model, labels=True)
    token = audio_token_id(model.config)
    assert "input_features" in inputs and token is not None
    assert (inputs["input_ids"] == token).sum(-1).min() > 0  # every row carries its audio
    assert (inputs["labels"][inputs["input_ids"] == token] == -100).all()
    model(**inputs).loss.backward()  # placeholders and features agree, or the forward raises
    assert any(p.grad is not None for p in model.parameters())
    with torch.no_grad():
        model.eval()(**{k: v for k, v in inputs.items() if k != "labels"})


def test_transducer_labels_only_with_a_mapped_loss(tmp_path):
    """Parakeet's RNN-T head has a transformers loss: it gets [start]+labels. Nemotron ASR's has
    none (loss_type None: its loss_function falls back to the causal-LM loss, which cannot read
    joint logits), so it gets no labels and the backward trains from its logits."""
    from tinytrio.check.basic import surrogate_loss
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs

    out = tmp_path / "nemotron_asr_streaming"
    make_tiny_model("nemotron_asr_streaming", out, check=False)
    cls, _ = pick_model_class(json.loads((out / "config.json").read_text()))
    model = cls.from_pretrained(out).train()
    inputs = make_inputs(model, labels=True)
    assert "labels" not in inputs and "decoder_input_ids" in inputs
    out = model(**inputs)
    assert out.loss is None
    surrogate_loss(out).backward()
    assert next(model.joint.parameters()).grad is not None  # the head's logits, not states


def test_voxtral_feature_chunks_fit_its_processor_class_defaults(tmp_path):
    """VoxtralProcessor hard-codes 30 s chunks (3000 mel frames) in its class audio_kwargs, which
    no saved setting overrides: the tiny tower keeps its 1500 positions and the tiny feature
    extractor makes the same chunk, so the processor's defaults fit the tiny model."""
    from transformers import AutoFeatureExtractor
    from transformers.models.voxtral.processing_voxtral import VoxtralProcessor

    out = tmp_path / "voxtral"
    make_tiny_model("voxtral", out, check=False)
    config = json.loads((out / "config.json").read_text())
    defaults = VoxtralProcessor.audio_kwargs
    assert config["audio_config"]["max_source_positions"] * 2 == defaults["max_source_positions"]
    fe = AutoFeatureExtractor.from_pretrained(out)
    assert fe.nb_max_frames == defaults["max_source_positions"]
    assert fe.n_samples == defaults["pad_to_multiple_of"]
