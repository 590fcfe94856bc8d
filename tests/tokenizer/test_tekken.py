"""A tiny Tekken tokenizer from scratch: mistral-common and the HF tokenizer.json agree."""

import pytest

pytest.importorskip("mistral_common")


def test_tekken_from_scratch_loads_in_mistral_common(tmp_path):
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    from tinytrio.tokenizer import tokenizer_from_scratch
    from tinytrio.tokenizer.tekken import is_tekken_type

    assert is_tekken_type("voxtral") and not is_tekken_type("llama")
    tiny = tokenizer_from_scratch("voxtral", None, ["<|extra|>"])
    (tmp_path / "tekken.json").write_bytes(tiny.native_files["tekken.json"])
    tek = Tekkenizer.from_file(tmp_path / "tekken.json")
    hf = tiny.tokenizer
    assert tek.n_words == len(hf)
    assert tek.get_special_token("[AUDIO]") == 24 == hf.convert_tokens_to_ids("[AUDIO]")
    assert hf.convert_tokens_to_ids("<|extra|>") < 48  # a free special slot
    text = "The quick brown fox, 42 times."
    assert tek.encode(text, bos=False, eos=False) == hf(text, add_special_tokens=False).input_ids
    assert tek.audio is not None and tek.audio.chunk_length_s == 30.0


def test_tekken_types_are_those_transformers_gives_mistral_common():
    from transformers.models.auto.tokenization_auto import TOKENIZER_MAPPING_NAMES

    from tinytrio.tokenizer.tekken import TEKKEN_TYPES

    assert TEKKEN_TYPES == {t for t, c in TOKENIZER_MAPPING_NAMES.items()
                            if c == "MistralCommonBackend"}
