"""Audio-code decoders (MusicGen, Dia): their vocab is a codec's codes, not text ids. It shrinks
in the codebook family with its special ids kept at its end (ties.code_vocab_specials), the text
vocab is the text encoder's (pairing.is_code_vocab), and decoder_input_ids are codes, one row
per codebook or [B, T, codebooks] (the "codes" layout), with labels in the head's shape."""

import json

import pytest

from tinytrio import make_tiny_model


def test_code_vocab_keeps_its_specials_at_the_end():
    from tinytrio.model.shrink import shrink_config

    cfg = {"model_type": "dia", "encoder_config": {"model_type": "dia_encoder", "vocab_size": 256},
           "decoder_config": {"model_type": "dia_decoder", "vocab_size": 1028,
                              "eos_token_id": 1024, "pad_token_id": 1025, "bos_token_id": 1026}}
    dec = shrink_config(cfg)[0]["decoder_config"]
    v = dec["vocab_size"]
    assert v < 1028 and (dec["eos_token_id"], dec["pad_token_id"], dec["bos_token_id"]) == (
        v - 4, v - 3, v - 2)
    from tinytrio.model.pairing import text_vocab

    assert text_vocab(cfg) == 256  # the encoder's bytes, not the decoder's codes


@pytest.mark.parametrize("model_type,ids_dims,label_shape", [
    ("musicgen", 2, lambda b, t, k: (b, t, k)),   # ids [B*K, T]; labels [B, T, K]
    ("dia", 3, lambda b, t, k: (b * k, t)),       # ids [B, T, K]; labels [B*K, T]
])
def test_code_decoder_inputs(model_type, ids_dims, label_shape, tmp_path):
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs
    from tinytrio.model.media_av import CODEBOOK_COUNT_KEYS, code_decoder

    out = tmp_path / model_type
    make_tiny_model(model_type, out, check=False)
    cls, _ = pick_model_class(json.loads((out / "config.json").read_text()))
    model = cls.from_pretrained(out).train()
    dec = code_decoder(model.config)
    k = next(getattr(dec, n) for n in CODEBOOK_COUNT_KEYS if hasattr(dec, n))
    assert dec.vocab_size <= 68 and dec.bos_token_id <= dec.vocab_size
    inputs = make_inputs(model, labels=True)
    ids = inputs["decoder_input_ids"]
    assert ids.dim() == ids_dims and ids.max() <= dec.vocab_size
    t = ids.shape[1] if ids_dims == 3 else ids.shape[-1]
    assert tuple(inputs["labels"].shape) == label_shape(2, t, k)
    assert inputs["input_ids"].max() >= dec.vocab_size  # text ids span the text vocab
    model(**inputs).loss.backward()


def test_code_token_ids_follow_their_table():
    """Ids into an audio-code table (registry_derived.CODE_TOKEN_IDS) are no text ids: near the
    table's end they keep their distance from it, near its start they stay."""
    from tinytrio.model.pairing import follow_code_ids, text_vocab, token_id_slots

    kyutai = {"model_type": "kyutai_speech_to_text", "vocab_size": 8001, "num_codebooks": 32,
              "codebook_vocab_size": 2049, "audio_bos_token_id": 2048,
              "audio_pad_token_id": 8001 + 32 * 2049, "pad_token_id": 3}
    tiny = {**kyutai, "vocab_size": 514, "codebook_vocab_size": 257}
    follow_code_ids(kyutai, tiny)
    assert (tiny["audio_bos_token_id"], tiny["audio_pad_token_id"]) == (256, 514 + 32 * 257)
    assert [p[-1] for p, _ in token_id_slots(kyutai)] == ["pad_token_id"]  # text ids only
    csm = {"model_type": "csm", "vocab_size": 2051, "text_vocab_size": 128256,
           "codebook_pad_token_id": 2050, "codebook_eos_token_id": 0}
    tiny = {**csm, "vocab_size": 259}
    follow_code_ids(csm, tiny)
    assert (tiny["codebook_pad_token_id"], tiny["codebook_eos_token_id"]) == (258, 0)
    assert text_vocab(csm) == 128256  # vocab_size is Mimi's codes


def test_frame_code_inputs(tmp_path):
    """Kyutai STT's forward takes a text id plus one code per codebook per frame; its labels are
    the text ids; its generate() takes the waveform its processor makes."""
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs
    from tinytrio.model.media_av import room_to_generate

    out = tmp_path / "kyutai"
    make_tiny_model("kyutai_speech_to_text", out, check=False)
    cls, _ = pick_model_class(json.loads((out / "config.json").read_text()))
    model = cls.from_pretrained(out).train()
    c = model.config
    assert c.codebook_vocab_size == c.codec_config.codebook_size + 1
    assert c.audio_pad_token_id == c.vocab_size + c.num_codebooks * c.codebook_vocab_size
    inputs = make_inputs(model, labels=True)
    ids = inputs["input_ids"]
    assert ids.shape[-1] == 1 + c.num_codebooks and ids[..., 1:].max() < c.audio_bos_token_id
    assert inputs["labels"].shape == inputs["attention_mask"].shape == ids.shape[:2]
    model(**inputs).loss.backward()
    assert list(room_to_generate(c, inputs, 3)) == ["input_values"]
