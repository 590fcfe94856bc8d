"""Speech-prompt processors (PocketTTS, and Gradium Phonon on its processor): the prompt only as
their chat template renders it (processors.registry.SPEECH_PROMPTS), the voice as a codec's latents
where the processor holds no audio tokenizer (PRECOMPUTED_AUDIO), the optional voice BOS named on
the tokenizer where the config names its id (tokens._OPTIONAL_READS)."""

import json

import pytest

from tinytrio import make_tiny_model


@pytest.mark.parametrize("model_type, prompt", [
    ("pocket_tts", "<|audio_prompt_bos|><|audio_prompt|>hi<|audio_bos|>"),
    ("gradium_phonon_tts", "<|audio_prompt|>hi<|audio_bos|>")])  # no voice BOS in its config
def test_speech_prompt_processor_runs_to_forward(model_type, prompt, tmp_path):
    from transformers import AutoProcessor

    out = tmp_path / model_type
    result = make_tiny_model(model_type, out)  # raises when the processor check fails
    processor = result.check["checks"]["processor"]
    assert processor["status"] == "pass" and "audio_prompt_latents" in processor["detail"]
    proc = AutoProcessor.from_pretrained(out)
    messages = [{"role": "user", "content": [{"type": "audio"}, {"type": "text", "text": "hi"}]}]
    assert proc.apply_chat_template(messages, add_generation_prompt=True, tokenize=False) == prompt
    config = json.loads((out / "config.json").read_text())
    ids = proc.tokenizer.convert_tokens_to_ids([proc.audio_token, proc.audio_bos_token])
    assert ids == [config["audio_prompt_token_id"], config["audio_bos_token_id"]]
