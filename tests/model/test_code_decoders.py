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
