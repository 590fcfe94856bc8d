"""Fuzzing make_tiny_model's options over architectures: a valid model or a clean TinyError."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinytrio import make_tiny_model
from tinytrio.errors import CheckFailed, TinyError

ARCHS = ["llama", "gpt2", "bert", "t5", "mixtral", "qwen3_moe", "gemma2", "falcon", "bloom",
         "whisper", "vit", "llava", "deepseek_v3", "mamba", "bart", "qwen2"]


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(mt=st.sampled_from(ARCHS), hidden=st.integers(1, 160), heads=st.none() | st.integers(
    1, 9), layers=st.none() | st.integers(0, 5), vocab=st.none() | st.integers(0, 3000),
       seed=st.integers(0, 2**31 - 1))
def test_options_give_a_valid_model_or_a_clean_error(mt, hidden, heads, layers, vocab, seed):
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "o"
        try:
            r = make_tiny_model(mt, out, hidden_size=hidden, heads=heads, layers=layers,
                                vocab_size=vocab, seed=seed)
        except CheckFailed as e:  # a build that passes validation but fails a check is a bug
            raise AssertionError(f"{mt}: {e}") from None
        except TinyError as e:
            assert str(e) and "\n" not in str(e).strip()
            assert not out.exists()
            return
        assert r.check["ok"] and out.is_dir()
