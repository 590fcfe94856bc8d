"""Speech LLMs and a seq2seq whose code reads tokens by number, or whose audio bounds the text:
pinned token ids (registry.PINNED_TOKEN_IDS), generate's room in the audio
(media_av.room_to_generate) and inputs taken through **kwargs (inputs.KWARGS_INPUTS)."""

import json

import pytest

from tinytrio import make_tiny_model


@pytest.mark.parametrize("model_type, key, string", [
    ("prophetnet", "pad_token_id", "[PAD]"),  # positions start at pad + 1: pad must be 0
    ("voxtral", "audio_token_id", "[AUDIO]")])  # VoxtralProcessor reads id 24: Tekken's [AUDIO]
def test_pinned_token_ids_keep_the_config_id(model_type, key, string, tmp_path):
    from transformers import AutoTokenizer

    from tinytrio.sources import default_config

    out = tmp_path / model_type
    make_tiny_model(model_type, out, check=False)
    config = json.loads((out / "config.json").read_text())
    assert config[key] == default_config(model_type)[key]
    assert AutoTokenizer.from_pretrained(out).convert_ids_to_tokens(config[key]) == string


def test_prophetnet_generates(tmp_path):
    result = make_tiny_model("prophetnet", tmp_path / "p")  # raises when a fast check fails
    assert result.check["checks"]["generate"]["status"] == "pass"


def test_audio_bounded_generate_and_kwargs_inputs(tmp_path):
    """Voxtral-Realtime's generate stops at its audio tokens: the prompt leaves room for the new
    ones; its text model alone takes the delay's time conditioning (t_cond) through **kwargs."""
    import torch

    from tinytrio.model.media_av import room_to_generate

    result = make_tiny_model("voxtral_realtime", tmp_path / "r")
    assert result.check["checks"]["generate"]["status"] == "pass"
    result = make_tiny_model("voxtral_realtime_text", tmp_path / "t")
    assert "t_cond" in result.check["checks"]["forward"]["detail"]

    class Config:  # a plain text model: its inputs go to generate as they are
        model_type = "llama"

    inputs = {"input_ids": torch.ones(1, 6, dtype=torch.long)}
    assert room_to_generate(Config(), inputs, 3) is inputs
