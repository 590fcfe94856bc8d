"""The full checks on audio models: Dia decodes from its bos (registry_fill.DECODER_START_KEYS) and
trains on code labels in the head's shape (train.code_labels); CLAP runs the zero-shot audio
classification pipeline; a speech-to-text model led by text ids (Voxtral-Realtime) is an ASR
model to the pipeline check; loaded weights own their memory (core.own_memory)."""

import json

import pytest

from tinytrio.check import check_model


def _ctx(path):
    from tinytrio.check import basic
    from tinytrio.check.core import Ctx

    ctx = Ctx(path, json.loads((path / "config.json").read_text()), full=True)
    for step in (basic.check_load, basic.check_tokenizer, basic.check_forward):
        step(ctx)
    return ctx


def test_dia_generates_from_encoder_inputs_and_trains_on_codes(tiny):
    path = tiny("dia")
    gen = json.loads((path / "generation_config.json").read_text())
    assert gen["decoder_start_token_id"] == gen["bos_token_id"] != gen["pad_token_id"]
    report = check_model(path, fast=False, raise_on_fail=False)
    checks = report["checks"]
    assert all(checks[n]["status"] == "pass" for n in ("generate", "train", "pipeline")), checks
    assert "from encoder inputs alone" in checks["generate"]["detail"]
    assert checks["train"]["detail"].startswith("dummy inputs")


def test_code_labels_send_training_to_dummy_inputs(tiny):
    from tinytrio.check.train import code_labels

    ctx = _ctx(tiny("dia"))
    assert code_labels(ctx.model)  # [B * codebooks, T]
    assert not code_labels(_ctx(tiny("llama")).model)  # text labels [B, T]


def test_clap_runs_zero_shot_audio_classification(tiny):
    from tinytrio.check.pipeline import check_pipeline, pipeline_task

    ctx = _ctx(tiny("clap"))
    assert pipeline_task(ctx.model) == "zero-shot-audio-classification"
    assert check_pipeline(ctx).startswith("zero-shot-audio-classification: scores")


def test_text_led_speech_model_is_asr_and_meta_load_is_exact(tiny):
    from tinytrio.check.core import Skip
    from tinytrio.check.loading import check_meta_load, check_sharded
    from tinytrio.check.pipeline import check_pipeline, pipeline_task

    ctx = _ctx(tiny("voxtral_realtime"))
    assert pipeline_task(ctx.model) == "automatic-speech-recognition"
    # its [1, hidden] t_cond projection rounds by the weights' alignment: every loaded model
    # owns its memory (core.own_memory), so reloads from other file offsets stay bit-equal
    assert all(p.data_ptr() % 64 == 0 for p in ctx.model.parameters())
    assert "outputs equal" in check_meta_load(ctx)
    assert "outputs equal" in check_sharded(ctx)
    with pytest.raises(Skip):  # no feature extractor in the directory: said, not failed
        check_pipeline(ctx)


def test_audio_llm_is_no_asr_pipeline_model(tiny):
    """Qwen3-ASR is mapped to speech seq2seq, but its prompt holds audio placeholders that only its
    processor's chat path writes: the processor check drives it by chat, not the ASR pipeline."""
    from tinytrio.check.pipeline import pipeline_task
    from tinytrio.check.processor import check_processor

    ctx = _ctx(tiny("qwen3_asr"))
    assert pipeline_task(ctx.model) != "automatic-speech-recognition"
    assert check_processor(ctx).startswith("chat with 1 s of audio")


def test_csm_runs_text_to_audio(tiny):
    """CSM's codes index its tiny Mimi codebook (vocab_size in the codebook family), so the
    text-to-audio pipeline decodes what it generates."""
    from tinytrio.check.pipeline import check_pipeline, pipeline_task

    ctx = _ctx(tiny("csm"))
    assert ctx.model.config.vocab_size <= ctx.model.config.codec_config.codebook_size + 3
    assert pipeline_task(ctx.model) == "text-to-audio"
    assert check_pipeline(ctx).startswith("text-to-audio: audio")
