"""From-scratch builds, the shrink_tokenizer API, bad input and validation."""

from __future__ import annotations

import json
import time

import pytest

from tinytrio.errors import OutputError, SourceError, TokenizerError
from tinytrio.tokenizer import (
    default_vocab_size,
    find_tokenizer_files,
    shrink_tokenizer,
    tokenizer_from_scratch,
    tokenizer_from_source,
    validate_tokenizer,
)

from .conftest import TEXTS


@pytest.mark.parametrize("model_type", ["llama", "gpt2", "bert", "t5", "whisper", "qwen2"])
def test_scratch(model_type, tmp_path):
    start = time.perf_counter()
    tiny = tokenizer_from_scratch(model_type, 1000, ["<image>"])
    assert time.perf_counter() - start < 3
    tok = tiny.tokenizer
    assert len(tok) == 1000 and tiny.kind.startswith("scratch:") and tiny.id_map == {}
    assert sorted(tok.get_vocab().values()) == list(range(1000))
    assert "<image>" in tok.all_special_tokens
    for s in tok.all_special_tokens:
        assert tok.encode(s, add_special_tokens=False) == [tok.convert_tokens_to_ids(s)]
    tok.save_pretrained(tmp_path)
    validate_tokenizer(tmp_path)
    if model_type in ("llama", "gpt2", "qwen2", "whisper"):  # byte-level / byte-fallback: lossless
        ids = tok.encode(TEXTS[2], add_special_tokens=False)
        assert tok.decode(ids) == TEXTS[2]


def test_scratch_deterministic_and_default_size():
    a = tokenizer_from_scratch("t5", None).tokenizer
    b = tokenizer_from_scratch("t5", None).tokenizer
    assert a.backend_tokenizer.to_str() == b.backend_tokenizer.to_str()
    assert len(a) == default_vocab_size(104 + 256) == 616  # T5: 4 specials + 100 extra ids + 256 chars + 256


def test_shrink_is_byte_identical(spm_bpe, tmp_path):
    for src in (spm_bpe, "llama"):
        shrink_tokenizer(src, tmp_path / "a", 700, force=True)
        shrink_tokenizer(src, tmp_path / "b", 700, force=True)
        names = sorted(p.name for p in (tmp_path / "a").iterdir())
        assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
        assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)


def test_hub_id_offline(tmp_path, monkeypatch):
    from tinytrio.errors import OfflineError

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "cache"))
    with pytest.raises(OfflineError, match="not cached"):
        shrink_tokenizer("some-org/some-model", tmp_path / "o")


def test_scratch_fallback_and_minimum():
    tiny = tokenizer_from_scratch("deepseek_v3", 600)
    assert len(tiny.tokenizer) == 600 and tiny.tokenizer.pad_token == "<|pad|>"
    with pytest.raises(TokenizerError, match="minimum"):
        tokenizer_from_scratch("llama", 100)


def test_shrink_deepseek_dir(deepseek_dir, tmp_path):
    start = time.perf_counter()
    r = shrink_tokenizer(deepseek_dir, tmp_path / "o", 3000)
    assert time.perf_counter() - start < 15
    assert (r.vocab_size, r.original_vocab_size, r.kind) == (3000, 129280, "bpe-bytelevel")
    cfg = json.loads((tmp_path / "o" / "tokenizer_config.json").read_text())
    assert cfg["model_max_length"] == 2048 and cfg["bos_token"] == "<｜begin▁of▁sentence｜>"
    assert find_tokenizer_files(tmp_path / "o")
    # a tiny artifact is itself a valid source
    r2 = shrink_tokenizer(tmp_path / "o", tmp_path / "o2", 2000)
    assert r2.vocab_size == 2000


def test_shrink_minilm_keeps_class(minilm_dir, tmp_path):
    from transformers import AutoTokenizer

    shrink_tokenizer(minilm_dir, tmp_path / "o", 1000)
    tok = AutoTokenizer.from_pretrained(tmp_path / "o")
    assert type(tok).__name__ == "BertTokenizer" and len(tok) == 1000
    ids = tok("hello world")["input_ids"]
    assert ids[0] == tok.cls_token_id and ids[-1] == tok.sep_token_id


def test_chat_template_travels(minilm_dir, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for f in minilm_dir.iterdir():
        if f.is_file() and f.name.startswith(("tokenizer", "special")):
            (src / f.name).write_bytes(f.read_bytes())
    (src / "chat_template.jinja").write_text("{% for m in messages %}{{ m['content'] }}{% endfor %}")
    shrink_tokenizer(src, tmp_path / "o", 1000)
    assert (tmp_path / "o" / "chat_template.jinja").read_text().startswith("{% for m in messages")


def test_retrain(minilm_dir, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(TEXTS * 50))
    tiny = tokenizer_from_source(minilm_dir, 300, method="retrain", corpus=corpus)
    assert len(tiny.tokenizer) <= 300 and tiny.kind == "retrain:wordpiece"


def test_bad_inputs_write_nothing(tmp_path, deepseek_dir):
    out = tmp_path / "o"
    with pytest.raises(SourceError):
        shrink_tokenizer(tmp_path / "missing", out)
    broken = tmp_path / "tokenizer.json"
    broken.write_text((deepseek_dir / "tokenizer.json").read_text(encoding="utf-8")[:5000])
    with pytest.raises(TokenizerError, match="cannot read"):
        shrink_tokenizer(broken, out)
    notatok = tmp_path / "x.json"
    notatok.write_text('{"hello": 1}')
    with pytest.raises(TokenizerError, match="model.vocab"):
        shrink_tokenizer(notatok, out)
    with pytest.raises(TokenizerError, match="minimum 1539"):
        shrink_tokenizer(deepseek_dir, out, 100)
    with pytest.raises(SourceError):
        shrink_tokenizer("not-a-model-type-or-path", out)
    assert not out.exists()
    out.mkdir()
    (out / "keep").write_text("x")
    with pytest.raises(OutputError):
        shrink_tokenizer("gpt2", out, 600)


def test_validate_rejects_gaps(tmp_path):
    tokenizer_from_scratch("gpt2", 600).tokenizer.save_pretrained(tmp_path)
    tj = json.loads((tmp_path / "tokenizer.json").read_text())
    tj["model"]["vocab"]["zzz-gap"] = 5000
    (tmp_path / "tokenizer.json").write_text(json.dumps(tj))
    with pytest.raises(TokenizerError, match="not 0"):
        validate_tokenizer(tmp_path)


def test_scratch_identical_across_processes():
    """The Rust trainers number characters in hash order (random per process); we pin it."""
    import subprocess
    import sys

    code = (
        "import hashlib; from tinytrio.tokenizer import tokenizer_from_scratch as f; "
        "print([hashlib.md5(f(t, 900).tokenizer.backend_tokenizer.to_str().encode()).hexdigest() "
        "for t in ('bert', 'clip', 'llama', 't5')])"
    )
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 1
