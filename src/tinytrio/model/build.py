"""make_tiny_model: SOURCE → tiny config + tiny tokenizer → random weights → validated artifact.

Data flow: sources.resolve → normalized config → tokenizer (shrunk or from scratch) → shrink_config
→ pair ids → overrides → transformers config (its validators run) → meta-device count of the
original → seeded random init of the tiny model → save into a temporary sibling → check → rename.
The original weights are never read: the original model exists only on the meta device.
"""

from __future__ import annotations

import contextlib
import copy
import json
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_output_dir, check_output_dir
from ..errors import OptionError, ShrinkError, TinyError
from ..sources import config_class, normalized_config, resolve_model_source
from ..tokenizer.load import DEFAULT_VOCAB
from . import pairing
from .classes import complete_defaults, pick_model_class
from .liven import liven_zero_matrices
from .overrides import apply_overrides, parse_size
from .shrink import ShrinkSpec, shrink_config

DTYPES = ("auto", "float32", "float16", "bfloat16")


@dataclass(frozen=True)
class Recipe:
    """Everything that decides the artifact's bytes; written into the card and the rebuild script."""

    source: str
    hidden_size: int | None = None
    layers: int | None = None
    heads: int | None = None
    vocab_size: int | None = None
    tokenizer: str = "auto"
    dtype: str = "auto"
    seed: int = 0
    shard_size: str | None = None
    set: tuple[str, ...] = ()
    trust_remote_code: bool = False

    def command(self, out: str = "OUT") -> str:
        parts = ["tinytrio", "model", self.source, "-o", out]
        for flag, value in (("--hidden-size", self.hidden_size), ("--layers", self.layers),
                            ("--heads", self.heads), ("--vocab-size", self.vocab_size),
                            ("--shard-size", self.shard_size)):
            if value is not None:
                parts += [flag, str(value)]
        if self.tokenizer != "auto":
            parts += ["--tokenizer", self.tokenizer]
        if self.dtype != "auto":
            parts += ["--dtype", self.dtype]
        if self.seed:
            parts += ["--seed", str(self.seed)]
        for s in self.set:
            parts += ["--set", s]
        if self.trust_remote_code:
            parts.append("--trust-remote-code")
        return " ".join(parts)


@dataclass
class ModelResult:
    """What happened, measured."""

    path: Path
    model_type: str
    architecture: str
    task: str
    params: int
    bytes: int
    original_params: int | None
    vocab_size: int
    original_vocab_size: int | None
    tokenizer: str | None
    fidelity: dict = field(default_factory=dict)
    seconds: float = 0.0
    check: dict | None = None
    sizes: dict = field(default_factory=dict)
    processors: dict = field(default_factory=dict)  # what processors/ wrote, or why none
    substitutions: list = field(default_factory=list)  # sub-configs replaced (backbones.py)

    def to_json(self) -> dict:
        d = asdict(self)
        d["path"] = str(self.path)
        return d


def make_tiny_model(source: str, out: str | Path, *, hidden_size: int | None = None,
                    layers: int | None = None, heads: int | None = None,
                    vocab_size: int | None = None, tokenizer: str = "auto", dtype: str = "auto",
                    seed: int = 0, shard_size: str | None = None, set: list[str] | tuple = (),
                    check: bool = True, force: bool = False, progress=None,
                    trust_remote_code: bool = False) -> ModelResult:
    """Build a tiny random model from SOURCE into OUT and validate it.

    trust_remote_code: build a checkpoint's own code (`auto_map`) rather than refuse it; the
    code files are copied into OUT (see remote.py).

    >>> r = make_tiny_model("llama", "tiny-llama")      # doctest: +SKIP
    >>> r.params, r.bytes, r.original_params            # doctest: +SKIP
    """
    t0 = time.perf_counter()
    say = progress or (lambda msg: None)
    from .._quiet import quiet_transformers

    quiet_transformers()
    recipe = Recipe(str(source), hidden_size, layers, heads, vocab_size, tokenizer, dtype, seed,
                    shard_size, tuple(set), trust_remote_code)
    _validate_options(recipe)
    check_output_dir(out, force)  # fail fast, before any work
    say(f"resolving {source}")
    resolved = resolve_model_source(source, trust_remote_code)
    original = normalized_config(resolved.config)
    complete_defaults(original)
    from .backbones import substitute_timm_backbones

    substitutions = substitute_timm_backbones(original)  # where timm cannot be imported
    mt = original["model_type"]
    published_dtype = resolved.config.get("dtype") or resolved.config.get("torch_dtype")

    say("shrinking the tokenizer" if tokenizer == "auto" else "preparing the tokenizer")
    from .tokenizing import tiny_tokenizer_for

    tok = tiny_tokenizer_for(resolved, original, recipe)
    spec = ShrinkSpec(hidden_size, layers, heads, None)
    tiny, report = shrink_config(original, spec)
    from .vocabmap import add_map_tokens, fill_map

    add_map_tokens(tiny, tok)  # image-code tokens (Chameleon, Emu3) count in the vocab
    orig_vocab = pairing.text_vocab(original)
    if tok is not None:
        vocab = pairing.padded_vocab(len(tok.tokenizer), orig_vocab, tok.original_size or None)
        if vocab_size is not None and vocab_size < len(tok.tokenizer):
            raise OptionError(f"--vocab-size {vocab_size} is below the tokenizer's size "
                              f"{len(tok.tokenizer)}; raise it or pass --tokenizer none")
        vocab = max(vocab, vocab_size or 0)
    else:
        from ..tokenizer.chars import NO_TEXT_TOKENIZER  # ids that are no text: a fixed vocab

        keep = orig_vocab if mt in NO_TEXT_TOKENIZER and tokenizer == "auto" else None
        vocab = vocab_size or keep or min(orig_vocab or DEFAULT_VOCAB, DEFAULT_VOCAB)
    pairing.set_vocab(tiny, vocab, orig_vocab)
    _follow_text_vocab(tiny, vocab, orig_vocab)
    pairing.follow_code_ids(original, tiny)
    from .tokenizing import remap_token_ids

    remap_token_ids(tiny, tok, vocab)
    fill_map(tiny, tok, vocab)
    if tiny.get("is_encoder_decoder") and tiny.get("decoder_start_token_id") is None:
        # T5's default config names no start token; T5 (and its loss) start decoding from pad
        start = tiny.get("pad_token_id", tiny.get("bos_token_id"))
        tiny["decoder_start_token_id"] = start[0] if isinstance(start, list) else start
    pairing.positions_cover_pad(original, tiny)
    apply_overrides(tiny, list(set))
    from .validate import validate_tiny

    validate_tiny(tiny)

    say("building the model")
    torch_dtype = _dtype(dtype, published_dtype)
    config_obj = _config_object(tiny)
    model_cls, task = pick_model_class(tiny)
    if model_cls is None:
        raise ShrinkError(f"transformers has no model class for model_type {mt!r}")
    original_params = _meta_params(model_cls, original)
    model = _instantiate(model_cls, config_obj, seed, torch_dtype)
    params = sum(p.numel() for p in model.parameters())

    with atomic_output_dir(out, force) as tmp:
        say("saving")
        _save(model, tmp, shard_size)
        gen = _generation_config(model, resolved, tok, vocab)
        if gen is not None:
            gen.save_pretrained(tmp)
        if tok is not None:
            tok.tokenizer.save_pretrained(tmp)
        from ..processors import write_processors

        processors = write_processors(tmp, resolved, original, tiny, tok)
        if tok is not None:  # after the processor, which saves the tokenizer again
            for name, blob in tok.native_files.items():
                (tmp / name).write_bytes(blob)
        nbytes = sum(p.stat().st_size for p in tmp.iterdir() if p.is_file())
        result = ModelResult(
            path=Path(out).absolute(), model_type=mt, architecture=type(model).__name__,
            task=task, params=params, bytes=nbytes, original_params=original_params,
            vocab_size=vocab, original_vocab_size=orig_vocab,
            tokenizer=tok.kind if tok else None,
            fidelity={"kept": report.kept, "total": report.total,
                      "layer_kinds": {k: list(v) for k, v in report.layer_kinds.items()},
                      "layers": {k: list(v) for k, v in report.layers.items()}},
            sizes=_main_sizes(original, tiny), processors=processors,
            substitutions=substitutions)
        from ..card import write_model_card

        write_model_card(tmp, result, recipe, resolved.base_model)
        result.bytes = sum(p.stat().st_size for p in tmp.iterdir() if p.is_file())
        if check:
            say("checking")
            from ..check import check_model

            result.check = check_model(tmp, fast=True, trust_remote_code=trust_remote_code)
            result.check["path"] = str(result.path)
        result.seconds = round(time.perf_counter() - t0, 3)
    return result


def _follow_text_vocab(d: dict, vocab: int, original_vocab: int | None) -> None:
    """Other tables indexed by text token ids (`vocab_size_per_layer_input`, `unpadded_vocab_size`
    …) follow the tiny text vocab when they had the original text vocab's size."""
    from . import registry as R
    from .shrink import is_subconfig

    for key, value in d.items():
        if is_subconfig(key, value):
            _follow_text_vocab(value, vocab, original_vocab)
        elif "vocab_size" in key and key != "vocab_size" and isinstance(value, int) and (
                value == original_vocab or value > R.DEFAULTS["other_vocab"]) and (
                key not in R.NOT_SIZES):
            d[key] = vocab  # a large entity / source / target vocab: as big as the text one


def _validate_options(r: Recipe) -> None:
    for name, value in (("--hidden-size", r.hidden_size), ("--layers", r.layers),
                        ("--heads", r.heads), ("--vocab-size", r.vocab_size)):
        if value is not None and value < 1:
            raise OptionError(f"{name} must be a positive integer, got {value}")
    if r.dtype not in DTYPES:
        raise OptionError(f"--dtype {r.dtype!r} is not one of {', '.join(DTYPES)}")
    if r.hidden_size and r.heads and r.hidden_size % r.heads:
        raise OptionError(f"--hidden-size {r.hidden_size} is not divisible by --heads {r.heads}; "
                          f"heads must divide the hidden size")
    if r.shard_size is not None:
        parse_size(r.shard_size)


def _dtype(dtype: str, published: Any):
    import torch

    name = dtype if dtype != "auto" else (str(published).replace("torch.", "")
                                          if published else "float32")
    return getattr(torch, name, torch.float32) if name in DTYPES else torch.float32


def _config_object(tiny: dict):
    cls = config_class(tiny["model_type"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            config = cls.from_dict(copy.deepcopy(tiny))
        except Exception as e:
            msg = str(e).strip().splitlines()[-1]
            raise ShrinkError(f"the tiny config is invalid for {cls.__name__}: {msg}") from None
    # a class may add the published checkpoint's quantization on load (Inkling-2's from_dict adds
    # its MXFP8 scheme to a config without transformers_version): the tiny weights are plain
    if "quantization_config" not in tiny and hasattr(config, "quantization_config"):
        del config.quantization_config
    return config


def _meta_params(model_cls, original: dict) -> int | None:
    """Parameter count of the original, built on the meta device: no memory, no weights."""
    import torch

    try:
        cfg = config_class(original["model_type"]).from_dict(copy.deepcopy(original))
        with torch.device("meta"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = model_cls._from_config(cfg)
        return sum(p.numel() for p in model.parameters())
    except Exception:
        return None


def _instantiate(model_cls, config, seed: int, dtype):
    import torch

    torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model = model_cls._from_config(config, dtype=dtype)
        except TinyError:
            raise
        except Exception as e:
            lines = str(e).strip().splitlines() or [type(e).__name__]
            # a missing library is named on its own line ("… requires the X library …")
            msg = next((ln.strip() for ln in lines if "requires" in ln and "librar" in ln),
                       lines[-1])
            raise ShrinkError(f"{model_cls.__name__} cannot be built from the tiny config: "
                              f"{msg}") from None
    liven_zero_matrices(model)  # no dead zero-initialized projection in a random model
    return model.eval()


def _save(model, directory: Path, shard_size: str | None) -> None:
    kwargs = {"max_shard_size": parse_size(shard_size)} if shard_size else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save_pretrained(directory, **kwargs)


def _generation_config(model, resolved, tok, vocab: int):
    """The published generation_config.json, ids remapped; else one derived from the config."""
    if not model.can_generate():
        return None
    import transformers

    # a model's own class (DiffusionGemmaGenerationConfig) refuses the generic keys on load
    GenerationConfig = getattr(model, "generation_config_class", transformers.GenerationConfig)
    from .tokenizing import remap_token_ids

    src = resolved.directory / "generation_config.json" if resolved.directory else None
    if src is not None and src.is_file():
        data = json.loads(src.read_text())
        data.pop("transformers_version", None)
        remap_token_ids(data, tok, vocab)
        _alignment_heads(data, model.config)
        with contextlib.suppress(Exception):
            return GenerationConfig.from_dict(data)
    try:
        gen = GenerationConfig.from_model_config(model.config)
    except NotImplementedError:  # as transformers does: the class's own defaults
        gen = copy.deepcopy(model.generation_config)
    from .registry_fill import DECODER_START_KEYS, GENERATION_DEFAULTS

    start = DECODER_START_KEYS.get(model.config.model_type)
    if start is not None and getattr(model.config, "decoder_start_token_id", None) is None:
        gen.decoder_start_token_id = getattr(gen, start)
    if getattr(model.config, "is_encoder_decoder", False) and getattr(
            gen, "decoder_start_token_id", 0) is None:
        # transformers' T5 default config names no start token; T5 starts decoding from pad
        gen.decoder_start_token_id = gen.pad_token_id if gen.pad_token_id is not None \
            else gen.bos_token_id

    gen.update(**GENERATION_DEFAULTS.get(model.config.model_type, {}))
    from .gen_derived import derived_generation

    derived = derived_generation(model.config)
    for key, value in derived.items():  # keys no GenerationConfig has
        setattr(gen, key, value)
    if derived:  # else from_pretrained drops the keys of a config "from the model config"
        gen._from_model_config = False
    return gen


def _alignment_heads(gen: dict, config) -> None:
    """Whisper's [layer, head] pairs for word timestamps must name tiny layers and heads."""
    pairs = gen.get("alignment_heads")
    if not isinstance(pairs, list):
        return
    layers = getattr(config, "decoder_layers", None) or getattr(config, "num_hidden_layers", 1)
    heads = getattr(config, "decoder_attention_heads", None) or getattr(
        config, "num_attention_heads", 1)
    kept = [p for p in pairs if isinstance(p, list) and len(p) == 2 and p[0] < layers
            and p[1] < heads]
    gen["alignment_heads"] = kept or [[layers - 1, 0]]


def _main_sizes(original: dict, tiny: dict) -> dict:
    """A few headline dims for the card: original vs tiny."""
    keys = ("hidden_size", "d_model", "n_embd", "intermediate_size", "num_hidden_layers",
            "n_layer", "num_layers", "num_attention_heads", "num_key_value_heads", "vocab_size",
            "num_experts", "n_routed_experts", "num_local_experts")
    out = {}
    for path in ((), ("text_config",), ("vision_config",)):
        o, t = original, tiny
        for p in path:
            o, t = o.get(p) or {}, t.get(p) or {}
        for k in keys:
            if isinstance(o.get(k), int) and not isinstance(o.get(k), bool):
                out[".".join(path + (k,))] = [o[k], t.get(k)]
    return out
