"""A tiny Tekken tokenizer (Mistral's `tekken.json`) from scratch.

Where mistral-common is installed, transformers tokenizes some types (Mistral, Pixtral, Voxtral …:
those its tokenizer auto mapping sends to `MistralCommonBackend`) through mistral-common, which
reads only `tekken.json`; Voxtral's processor has no other audio path. Data flow, one way: train
byte-level BPE merges on the embedded corpus (`tokenizers`) -> ranks (the 256 single bytes, then
each merge result in merge order) -> `tekken.json` (specials first, at Tekken's own ids) -> the
equivalent HF `tokenizer.json` (`tiktoken.ranks_to_tokenizer_json`, specials first), so the same
ids come out of either loader.

Left out: the audio section is Voxtral's (16 kHz, 128 mel bins, 30 s chunks, 12.5 audio tokens a
second), written as data, not read from a checkpoint.
"""

from __future__ import annotations

import base64
import json

from .tiktoken import _bpe, ranks_to_tokenizer_json

# Tekken's special tokens at their ids (mistral-common's DEPRECATED_SPECIAL_TOKENS for 0-19; the
# rest as Voxtral's tekken.json numbers them: the processor reads [AUDIO] at id 24)
SPECIALS: dict[int, str] = dict(enumerate([
    "<unk>", "<s>", "</s>", "[INST]", "[/INST]", "[AVAILABLE_TOOLS]", "[/AVAILABLE_TOOLS]",
    "[TOOL_RESULTS]", "[/TOOL_RESULTS]", "[TOOL_CALLS]", "[IMG]", "<pad>", "[IMG_BREAK]",
    "[IMG_END]", "[PREFIX]", "[MIDDLE]", "[SUFFIX]", "[SYSTEM_PROMPT]", "[/SYSTEM_PROMPT]",
    "[TOOL_CONTENT]"])) | {20: "[ARGS]", 21: "[CALL_ID]", 24: "[AUDIO]", 25: "[BEGIN_AUDIO]",
                          34: "[TRANSCRIBE]", 35: "[THINK]", 36: "[/THINK]"}
NUM_SPECIALS = 48  # ids 0..47; unnamed ones are <SPECIAL_i>, free for the config's extra tokens
VERSION = "v11"  # audio and the [ARGS]/[CALL_ID] tool format
# Tekken's split regex (mistral-common's tekken_240911.json)
PATTERN = (r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|"
           r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}|"
           r" ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")
# Voxtral's audio design: VoxtralProcessor hard-codes 30 s chunks (3000 mel frames), so the tiny
# tower keeps its 1500 positions (registry ARCH_KEYS) and its projector merges 4 positions per
# token: 375 tokens per 30 s chunk
AUDIO = {"sampling_rate": 16000, "frame_rate": 12.5, "chunk_length_s": 30.0,
         "audio_encoding_config": {"num_mel_bins": 128, "hop_length": 160, "window_size": 400}}


# The types transformers 5.23 tokenizes with MistralCommonBackend where mistral-common is installed
# (its tokenizer auto mapping; TokenizersBackend otherwise). Listed, not read from that mapping,
# so that the tiny tokenizer is the same with or without the library (determinism): a Tekken
# vocabulary, as `tekken.json` for mistral-common and as the equivalent `tokenizer.json`.
TEKKEN_TYPES = frozenset({"ministral", "ministral3", "mistral", "mistral3", "mistral_large4",
                          "mixtral", "pixtral", "voxtral", "voxtral_realtime"})


def is_tekken_type(model_type: str) -> bool:
    """Is `model_type` tokenized by Tekken (mistral-common, where installed)?"""
    return model_type in TEKKEN_TYPES


def special_tokens(extra=()) -> list[str]:
    """The specials in id order; `extra` tokens Tekken does not name take the first free ids."""
    out = [SPECIALS.get(i) for i in range(NUM_SPECIALS)]
    free = iter(i for i, s in enumerate(out) if s is None)
    for token in dict.fromkeys(t for t in extra if t not in SPECIALS.values()):
        i = next(free, None)
        if i is None:
            out.append(token)
        else:
            out[i] = token
    return [s or f"<SPECIAL_{i}>" for i, s in enumerate(out)]


def train_ranks(n_ranks: int, lines) -> list[bytes]:
    """256 single bytes, then byte-level BPE merge results in merge order (`n_ranks` in all)."""
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers, trainers

    from .formats import bytes_to_unicode

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PATTERN), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    trainer = trainers.BpeTrainer(vocab_size=len(alphabet) + max(n_ranks - 256, 0), show_progress=False,
                                  special_tokens=alphabet, initial_alphabet=alphabet,
                                  limit_alphabet=len(alphabet))
    tok.train_from_iterator(lines, trainer)
    back = {c: b for b, c in bytes_to_unicode().items()}
    merges = json.loads(tok.to_str())["model"]["merges"]
    ranks = [bytes([b]) for b in range(256)]
    known = set(ranks)
    for m in merges:
        a, b = m if not isinstance(m, str) else m.split(" ", 1)
        token = bytes(back[c] for c in a + b)
        if token not in known and len(ranks) < n_ranks:
            ranks.append(token)
            known.add(token)
    return ranks


def build(vocab_size: int, lines, extra=()) -> tuple[dict, dict]:
    """`(tekken_json, tokenizer_json)` for `vocab_size` ids: specials first, then the ranks."""
    specials = special_tokens(extra)
    ranks = train_ranks(vocab_size - len(specials), lines)
    lookup: dict[bytes, int] = {}
    merges = []
    for r, t in enumerate(ranks):
        if len(t) > 1:
            parts = _bpe(t, lookup)
            if len(parts) != 2:  # cannot happen for merge results; keep the ranks consistent
                raise AssertionError(f"rank {r} {t!r} does not split in two")
            merges.append((parts[0], parts[1]))
        lookup[t] = r
    vocab = [{"rank": r, "token_bytes": base64.b64encode(t).decode(),
              "token_str": t.decode("utf-8") if _utf8(t) else None} for r, t in enumerate(ranks)]
    tekken = {
        "config": {"pattern": PATTERN, "num_vocab_tokens": len(ranks),
                   "default_vocab_size": len(specials) + len(ranks),
                   "default_num_special_tokens": len(specials), "version": VERSION},
        "vocab": vocab,
        "special_tokens": [{"rank": i, "token_str": s, "is_control": True} for i, s in enumerate(specials)],
        "audio": json.loads(json.dumps(AUDIO)),
    }
    return tekken, ranks_to_tokenizer_json(ranks, merges, specials, PATTERN, specials_first=True)


def _utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
