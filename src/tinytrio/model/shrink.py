"""Shrink a transformers config dict into a tiny one: a pure function, no torch, no disk.

The idea: every integer in a config belongs to a *family* (width, ffn, heads, layers, experts …,
see registry.py), and each family has one rule. Rules map *values*, not keys, within one config
level, so that sizes equal before stay equal after (a projector's `out_hidden_size` still equals
the text model's `hidden_size`). Layer patterns are kept verbatim and decide how many layers
survive, so every distinct kind of layer is in the tiny model. Token ids are left for pairing.py.

Left out on purpose: anything that needs the model class (derived attributes, validation), which
build.py does by instantiating the real transformers config.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import OptionError
from . import registry as R
from .blocks import channel_multipliers, follow_parts, scale_specs, spec_channels, width_splits
from .blocks import timm_model_args, vq_top_width
from .imagegrid import image_token_counts, shrink_image_grid
from .linked import heads_for_width, linked_sizes, width_coefficient, width_multiple
from .layers import (_apply_layers, _int, _layer_kinds, _per_layer,  # noqa: F401
                     choose_layers, follow_tower_layers)
from .moe import shrink_experts
from .rope import _apportion, shrink_rope

SUBCONFIG_SKIP = frozenset({"quantization_config", "rope_scaling", "rope_parameters",
                            "auto_map", "id2label", "label2id", "task_specific_params",
                            "generation_config", "compression_config"})
WIDTH_KEYS = ("hidden_size", "d_model", "n_embd", "embed_dim", "dim", "hidden_dim")
LAYER_KEYS = ("num_hidden_layers", "n_layer", "num_layers", "n_layers", "encoder_layers",
              "depth")


@dataclass(frozen=True)
class ShrinkSpec:
    """The tiny sizes asked for. None means the default from registry.DEFAULTS."""

    hidden_size: int | None = None
    layers: int | None = None
    heads: int | None = None
    vocab_size: int | None = None  # the tiny tokenizer's size; None keeps min(original, DEFAULT_VOCAB)

    def get(self, name: str) -> int:
        value = getattr(self, name, None)
        return R.DEFAULTS[name] if value is None else value


@dataclass
class ShrinkReport:
    """What the shrinker did, for the model card and the sweep's fidelity figure."""

    kept: int = 0            # non-size keys unchanged
    total: int = 0           # non-size keys
    layer_kinds: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (kept, total)
    layers: dict[str, tuple[int, int]] = field(default_factory=dict)       # path -> (orig, tiny)


def family(key: str, model_type: str | None) -> str | None:
    """The size family of a config key, or None when it is not a size.

    >>> family("vision_intermediate_size", "llava"), family("rope_theta", "llama")
    ('ffn', None)
    """
    if (model_type, key) in R.ARCH_KEYS:
        return R.ARCH_KEYS[(model_type, key)]
    if key in R.NOT_SIZES:
        return None
    if key in R.EXACT:
        return R.EXACT[key]
    for suffix in sorted(R.SUFFIX, key=len, reverse=True):
        if key.endswith(suffix):
            return R.SUFFIX[suffix]
    return None


def is_token_id_key(key: str) -> bool:
    return key in R.TOKEN_ID_KEYS or key.endswith(R.TOKEN_ID_SUFFIXES)


def is_subconfig(key: str, value: Any) -> bool:
    return isinstance(value, dict) and key not in SUBCONFIG_SKIP and (
        "model_type" in value or key.endswith("_config"))


def is_audio_positions(key: str, d: dict) -> bool:
    """Does this position key count audio frames (Whisper's encoder), not tokens?"""
    return key in R.AUDIO_POSITIONS and "num_mel_bins" in d


def _multiple(v: int, m: int) -> int:
    """The smallest multiple of m that is >= v (at least m)."""
    return max(m, m * math.ceil(v / m))


def _round(v: float, multiple: int, lo: int, hi: int) -> int:
    return int(min(hi, max(lo, multiple * round(v / multiple))))


# --- one config level ----------------------------------------------------------------------------

class _Level:
    """Shrinks one config dict (no recursion); remembers what the parent needs to know."""

    def __init__(self, d: dict, spec: ShrinkSpec, path: str, report: ShrinkReport,
                 outer: str | None = None):
        self.d, self.spec, self.path, self.report, self.outer = d, spec, path, report, outer
        self.mt = d.get("model_type")
        self.grid: tuple[int, int] | None = None  # (original, tiny) patches per image side

    def width0(self) -> int | None:
        for k in WIDTH_KEYS:
            if _int(self.d.get(k)):
                return self.d[k]
        return None

    def run(self) -> dict:
        d, spec = self.d, self.spec
        H = spec.get("hidden_size")
        H0 = self.width0()
        heads0 = next((d[k] for k in ("num_attention_heads", "n_head", "num_heads", "n_heads",
                                      "encoder_attention_heads") if _int(d.get(k))), None)
        A = spec.get("heads")
        if heads0 is not None and heads0 < A and H % heads0 == 0 and spec.heads is None:
            A = heads0
        H = width_multiple(d, H, A)  # a width the code divides (LiLT's 6 layout embeddings)
        A = A if spec.heads is not None else heads_for_width(d, H, A)  # CLVP: 32-wide heads
        if H % A:
            raise OptionError(f"--hidden-size {H} is not divisible by --heads {A}; "
                              f"heads must divide the hidden size")
        head_dims = [v for k, v in d.items() if _int(v) and family(k, self.mt) == "head_dim"]
        hd_max = max(head_dims) if head_dims else None
        hd0 = d.get("head_dim") if _int(d.get("head_dim")) else (
            H0 // heads0 if H0 and heads0 else None)
        if hd0 and head_dims:
            hd_max = max(hd_max, hd0)  # partial rotary (`rotary_dim`) stays a fraction of a head
        self._layers()
        new: dict[str, Any] = {}
        for key, value in d.items():
            fam = family(key, self.mt)
            if fam is None or fam == "keep" or is_token_id_key(key):
                continue
            if _int(value) and value > 0:  # 0 switches a part off (GLM-5 NoPE: rope dim 0)
                new[key] = self._rule(fam, key, value, H, H0, A, heads0, hd_max)
            elif fam == "kv_heads" and isinstance(value, list) and all(_int(x) for x in value):
                new[key] = [self._rule(fam, key, v, H, H0, A, heads0, hd_max) for v in value]
        widths = {v: new[k] for k, v in d.items() if _int(v) and _int(new.get(k))
                  and family(k, self.mt) == "width"}
        for key, value in d.items():  # half of a width of this level (x and y sine features)
            if _int(value) and family(key, self.mt) == "half_width" and 2 * value in widths:
                new[key] = widths[2 * value] // 2
        halves = {v: new[k] for k, v in d.items() if _int(v) and _int(new.get(k))
                  and family(k, self.mt) == "half_width"}  # a list of them follows them too
        new.update(self._lists(H, {**halves, **widths}))
        new.update(vq_top_width(d, new, lambda k: family(k, self.mt)))  # VQGAN attention
        for key, lk in R.STACKED_WIDTHS.items():  # width x (last state + the listed ones)
            if _int(new.get(key)) and isinstance(d.get(lk), list):
                new[key] *= 1 + len(d[lk])
        top = max([x for k, v in d.items() if isinstance(v, list) and family(k, self.mt) == "width"
                   for x in v if _int(x)] or [0])
        for key, value in d.items():  # a scalar width that is the first stage of a per-stage
            if not (_int(value) and family(key, self.mt) == "width"):  # width list follows it
                continue                                          # (SAM2 Hiera hidden_size)
            for lk, lv in d.items():
                if isinstance(lv, list) and lv and lv[0] == value and value < max(lv) and \
                        isinstance(new.get(lk), list) and family(lk, self.mt) == "width":
                    new[key] = new[lk][0]
                    break
        for key, value in d.items():  # a pyramid's base width shares its stage lists' scale
            if _int(value) and family(key, self.mt) == "pyramid" and top > H:
                new[key] = _multiple(round(value * H / top), 8)
        for key, value in d.items():  # per-layer overrides shrink by this level's rules
            if _per_layer(value):
                d[key] = {i: {k: (self._rule(family(k, self.mt), k, v, H, H0, A, heads0, hd_max)
                                  if _int(v) and family(k, self.mt) not in (None, "keep")
                                  else None) or v for k, v in o.items()}
                          for i, o in value.items()}
        d.update({k: v for k, v in new.items() if v is not None})
        hd = d.get("head_dim") if _int(d.get("head_dim")) else H // A
        if hd0:
            for key in ("rope_parameters", "rope_scaling"):
                if isinstance(d.get(key), dict):
                    d[key] = shrink_rope(d[key], hd0, hd)
        shrink_experts(self.d, self.mt)
        self.grid = shrink_image_grid(d, lambda k: family(k, self.mt), self.outer)
        self._ssm(H0)
        return d

    def _ssm(self, H0) -> None:
        d = self.d
        if not any(_int(d.get(k)) for k in ("state_size", "mamba_d_state")):
            return
        H = d.get("hidden_size")
        for hk, dk, ek, gk, ik in R.SSM_KEYS:
            heads, expand = d.get(hk), d.get(ek)
            if not (_int(heads) and _int(d.get(dk)) and _int(expand) and _int(H)):
                continue
            if ik and _int(d.get(ik)) and H0 and d[ik] != expand * H0:
                d[ik] = heads * d[dk]          # an explicit inner width: heads x head dim
            else:
                inner = expand * H
                if inner % heads:
                    continue
                d[dk] = inner // heads
            if _int(d.get(gk)) and heads % d[gk]:
                d[gk] = math.gcd(heads, d[gk])

    def _rule(self, fam, key, v, H, H0, A, heads0, hd_max):
        if fam == "width":
            return H if v >= H else v
        if fam == "ffn":
            scale = H / H0 if H0 else min(1.0, R.DEFAULTS["ffn_ratio"] * H / v)
            return _round(v * scale, 16, 16, R.DEFAULTS["ffn_ratio"] * H) if v > 16 else v
        if fam == "heads":  # value-consistent: 32 value heads over 16 key heads stay 2:1
            if heads0 and v != heads0 and v * A % heads0 == 0:  # and a divisor of the width
                return max(x for x in range(1, v * A // heads0 + 1) if H % x == 0)
            return A if v >= A else v
        if fam == "kv_heads":
            if heads0 is None or v >= heads0:
                return A
            if v == 1:
                return 1
            # GQA stays strictly between MQA and MHA: the original ratio if it fits, else the
            # largest proper divisor of the heads
            if A * v % heads0 == 0 and 1 < A * v // heads0 < A:
                return A * v // heads0
            divisors = [x for x in range(2, A) if A % x == 0]
            if not divisors:
                raise OptionError(f"{A} heads cannot keep grouped-query attention ({heads0} heads,"
                                  f" {v} kv heads): kv heads must divide heads and lie strictly "
                                  f"between 1 and {A}; use --heads 4")
            return min((x for x in divisors if x >= A * v / heads0), default=max(divisors))
        if fam == "head_dim":
            base = H // A
            return max(2, 2 * round(base * v / hd_max / 2)) if hd_max else base
        if fam == "rank":
            return min(v, max(4, H // 2))
        if fam == "layers":
            return None  # handled by _layers
        if fam == "positions" and is_audio_positions(key, self.d):
            # whole seconds (feature extractors count their window in seconds) and whole groups
            return min(v, math.lcm(R.DEFAULTS["audio_positions"],
                                   R.AUDIO_POSITION_MULTIPLE.get(self.mt, 1)))
        if fam == "positions" and any(k in self.d for k in R.ROPE_KEYS):  # rotary models have
            return v  # no position table; their scaling (yarn, longrope) reads it: keep it
        if fam in ("positions", "pos_table"):  # pos_table: a learned table, even beside rope
            return min(v, R.DEFAULTS["positions"])
        if fam == "window":
            return min(v, R.DEFAULTS["window"])
        if fam == "half_width":
            return H // 2 if H0 is None or 2 * v >= H0 else v
        if fam == "queries":
            return min(v, R.DEFAULTS["queries"])
        if fam == "codebook":
            return min(v, R.CODEBOOK_CAPS.get(self.mt, R.DEFAULTS["codebook"]))
        if fam == "filters":  # base channels doubled per down-sampling: the top stays small
            n = max([len(self.d[k]) for k in R.FILTER_DOUBLINGS
                     if isinstance(self.d.get(k), list)] or [0])
            return max(1, min(v, R.DEFAULTS["filters"], R.DEFAULTS["filters_top"] >> n))
        if fam == "vq_base":
            return min(v, R.DEFAULTS["vq_base"])
        if fam == "vocab":
            return None  # pairing sets the text vocab; other vocabularies are contracts
        return None  # experts, top-k, groups, image: handled together in shrink_experts / _image

    def _lists(self, H: int, int_widths: dict | None = None) -> dict:
        """Per-stage lists: widths share one scale (so `in_channels[i+1] == out_channels[i]`
        still holds), each stage's width stays a multiple of its head count, stage depths are
        capped at the default layer count. A list made only of this level's scalar widths
        (RT-DETR `decoder_in_channels` = [d_model] * 3) follows those scalars instead."""
        d, out, int_widths = self.d, {}, int_widths or {}
        lists = {k: v for k, v in d.items() if isinstance(v, list) and v and all(
            _int(x) for x in v) and not is_token_id_key(k)}
        fams = {k: family(k, self.mt) for k in lists}
        widths = [x for k, v in lists.items() if fams[k] == "width" for x in v] + spec_channels(d)
        top = max(widths) * width_coefficient(d) if widths else None  # built widths <= H
        heads = [v for k, v in lists.items() if fams[k] == "heads"]
        A = self.spec.get("heads")
        stages = max([len(v) for k, v in lists.items() if fams[k] == "stage_layers"] or [0])
        if (heads or stages > 1) and not widths:
            # a pyramid (Swin, FocalNet): one base width doubled per stage, heads grow with it
            for key in [k for k in lists if fams[k] == "heads"]:
                m = max(lists[key])
                out[key] = [max(1, round(h * A / m)) for h in lists[key]] if m > A else lists[key]
            heads = [out[k] for k in lists if fams[k] == "heads"] or [[1]]
            ratio = max([max(h) / h[0] for h in heads] + [2 ** (stages - 1)])
            base = _multiple(max(8, round(H / ratio)), math.lcm(8, *[x for h in heads for x in h]))
            ws = {k: v for k, v in d.items() if _int(v) and family(k, self.mt) == "width"}
            W0, r = self.width0() or 0, int(ratio)  # the base stage, or the top one (CLAP audio)
            lo = W0 // r if W0 // r * r == W0 and W0 // r in ws.values() else W0
            out.update({k: base * v // lo for k, v in ws.items() if v in (lo, W0) and lo})
        # group norms split channels (and a bottleneck's quarter of them) into groups
        groups = [min(v, 8) for k, v in d.items() if _int(v) and k in R.GROUP_KEYS and v > 1]
        out.update({k: min(v, 8) for k, v in d.items() if _int(v) and k in R.GROUP_KEYS})
        for key, value in lists.items():
            fam = fams[key]
            if fam == "width" and all(x in int_widths for x in value):
                out[key] = [int_widths[x] for x in value]
            elif fam == "width" and top:
                scaled = [_round(x * H / top, 8, 8, 4 * H) for x in value]
                for hl in heads:  # a stage's width must split into that stage's heads
                    if len(hl) == len(value):
                        scaled = [_multiple(w, math.lcm(8, h)) if h > 0 else w
                                  for w, h in zip(scaled, hl)]
                for g in groups:
                    scaled = [_multiple(w, math.lcm(8, 4 * g)) for w in scaled]
                if value[0] == d.get("num_channels") or (self.mt, key) in R.STEM_FIRST:
                    scaled[0] = value[0]  # the pixel channels (hgnet `stem_channels`) or a stem
                out[key] = scaled                            # width fixed in code: a contract
            elif fam == "ffn":
                out[key] = [_round(x * H / max(value), 8, 8, R.DEFAULTS["ffn_ratio"] * H)
                            for x in value]
            elif fam == "width_parts" and sum(value) == self.width0():  # parts that sum to it
                out[key] = _apportion(value, H)
            elif fam == "stage_layers":
                cap = self.spec.layers or R.DEFAULTS["layers"]
                out[key] = [min(x, cap) for x in value]
        out.update(scale_specs(d, H, top, self.mt) | width_splits(d, H, self.width0()))
        out.update(channel_multipliers(d))
        return out

    def _layers(self) -> None:
        d = self.d
        main = next((k for k in LAYER_KEYS if _int(d.get(k))), None)
        wanted = self.spec.layers  # a layer count that is the stage count (Muse-Spark audio) stays
        stages = {len(v) for k, v in d.items() if family(k, self.mt) == "stage_layers" and
                  isinstance(v, list) and len(v) > 1}
        for key, value in list(d.items()):
            if family(key, self.mt) != "layers" or not _int(value) or value < 1 or value in stages:
                continue
            if key == main:
                kinds0 = set(_layer_kinds(d, value))
                keep = choose_layers(d, value, wanted, self.path or self.mt or "")
                _apply_layers(d, value, keep)
                d[key] = len(keep)
                kinds = set(_layer_kinds(d, len(keep)))
                self.report.layers[self.path or "."] = (value, len(keep))
                self.report.layer_kinds[self.path or "."] = (len(kinds & kinds0), len(kinds0))
            else:
                d[key] = min(value, wanted if wanted is not None else R.DEFAULTS["layers"])


# --- the tree ------------------------------------------------------------------------------------

def shrink_config(config: dict, spec: ShrinkSpec = ShrinkSpec()) -> tuple[dict, ShrinkReport]:
    """Shrink every size of a config dict (and its sub-configs); keep everything else.

    >>> tiny, _ = shrink_config({"model_type": "llama", "hidden_size": 4096,
    ...     "num_attention_heads": 32, "num_key_value_heads": 8, "num_hidden_layers": 32})
    >>> tiny["hidden_size"], tiny["num_attention_heads"], tiny["num_key_value_heads"]
    (64, 4, 2)
    """
    report = ShrinkReport()
    original = config
    tiny = copy.deepcopy(config)
    grids: list[tuple[int, int]] = []

    def walk(d: dict, path: str, outer: str | None = None) -> None:
        for key, value in d.items():
            if is_subconfig(key, value):
                walk(value, f"{path}.{key}" if path else key, d.get("model_type") or outer)
        follow_tower_layers(d, path, report.layers)
        level = _Level(d, spec, path, report, outer)
        level.run()
        timm_model_args(d)
        follow_parts(d)
        linked_sizes(d)
        if level.grid:
            grids.append(level.grid)
        image_token_counts(d, grids)

    walk(tiny, "")
    from .fidelity import fidelity  # fidelity reads family(): imported here, not at the top
    from .ties import tie_sizes  # whole-tree ties: one image side for a composite's levels …
    tie_sizes(original, tiny)
    report.kept, report.total = fidelity(original, tiny)
    return tiny, report
