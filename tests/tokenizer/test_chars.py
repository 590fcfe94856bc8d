"""Byte- and character-level architectures (tokenizer/chars.py): their own Python-backend class,
built from vocab files written from the corpus, no larger than the original vocab."""

from __future__ import annotations

import json

from transformers import AutoTokenizer

from tinytrio import make_tiny_model
from tinytrio.tokenizer import tokenizer_from_scratch


def _reloaded(tok, tmp_path):
    tok.save_pretrained(tmp_path)
    return AutoTokenizer.from_pretrained(tmp_path)


def test_ctc_char_vocab_json_keeps_the_original_size(tmp_path):
    # wav2vec2 (and sew, which transformers' tokenizer map omits): a vocab.json of characters
    for mt in ("wav2vec2", "sew"):
        tok = tokenizer_from_scratch(mt, None, original_vocab=32).tokenizer
        assert type(tok).__name__ == "Wav2Vec2CTCTokenizer" and len(tok) == 32
    back = _reloaded(tok, tmp_path)
    assert type(back).__name__ == "Wav2Vec2CTCTokenizer" and len(back) == 32
    assert (back.pad_token_id, back.word_delimiter_token) == (0, "|")
    assert back.decode(back("tea ten")["input_ids"]) == "tea ten"


def test_byte_class_needs_no_files_and_char_spm_class(tmp_path):
    perceiver = tokenizer_from_scratch("perceiver", None, original_vocab=262).tokenizer
    assert type(perceiver).__name__ == "PerceiverTokenizer" and len(perceiver) == 262
    speecht5 = tokenizer_from_scratch("speecht5", None, original_vocab=81).tokenizer
    back = _reloaded(speecht5, tmp_path)
    assert type(back).__name__ == "SpeechT5Tokenizer" and len(back) == 81
    assert (back.bos_token_id, back.pad_token_id, back.mask_token_id) == (0, 1, 79)
    assert back.convert_ids_to_tokens(4) == "▁"  # the characters follow the four specials directly


def test_alphabet_class_keeps_its_alphabet(tmp_path):
    # ESM-2: the real EsmTokenizer over the 33-token protein alphabet, the config's vocab
    r = make_tiny_model("esm", tmp_path / "esm", check=False)
    back = AutoTokenizer.from_pretrained(tmp_path / "esm")
    assert type(back).__name__ == "EsmTokenizer" and len(back) == r.vocab_size == 33
    assert (back.pad_token_id, back.mask_token_id, back.cls_token_id) == (1, 32, 0)
    assert back.convert_ids_to_tokens(back("MKTA")["input_ids"]) == ["<cls>", "M", "K", "T", "A", "<eos>"]


def test_byte_specials_type_gets_one_token_per_byte():
    tok = tokenizer_from_scratch("blt", None, original_vocab=260).tokenizer
    assert len(tok) == 260
    assert tok("ab", add_special_tokens=False)["input_ids"] == [4 + ord("a"), 4 + ord("b")]


def test_from_scratch_never_larger_than_a_small_original(tmp_path):
    # Reformer's tokenizers class fits 320 even with the pad and mask the finishing steps add;
    # FastSpeech2Conformer's class needs g2p_en: a character fallback of the original 78
    for mt, vocab in (("reformer", 320), ("fastspeech2_conformer", 78)):
        r = make_tiny_model(mt, tmp_path / mt, check=False)
        assert r.vocab_size == vocab == len(AutoTokenizer.from_pretrained(tmp_path / mt))


def test_imagegpt_has_no_text_tokenizer(tmp_path):
    r = make_tiny_model("imagegpt", tmp_path / "igpt", check=False)
    config = json.loads((tmp_path / "igpt" / "config.json").read_text())
    assert r.tokenizer is None and config["vocab_size"] == 513  # 512 colour clusters + SOS
    assert not (tmp_path / "igpt" / "tokenizer_config.json").exists()


def test_inputs_find_the_vocab_of_an_unnamed_text_sub_config():
    # FastSpeech2ConformerWithHifiGan keeps its vocab in model_config: dummy ids must stay below it
    from transformers import FastSpeech2ConformerWithHifiGanConfig

    from tinytrio.model.media import _text_config
    from tinytrio.model.pairing import object_text_vocab

    config = FastSpeech2ConformerWithHifiGanConfig()
    assert object_text_vocab(config, _text_config(config)) == config.model_config.vocab_size == 78
