"""Shrink one row's media and texts, walking the value alongside its `datasets` feature.

- Image: longest side <= `image_size`, aspect ratio kept (each side at least 1 px), re-encoded —
  PNG when the source was PNG or has transparency, else JPEG (quality 90); EXIF and other
  metadata are dropped. Undecodable bytes raise `SkipRow`, and the caller reports the row.
- Audio: decoded with `soundfile` (WAV, FLAC, OGG, MP3; the standard `wave` module for PCM WAV if
  soundfile is missing), cut to `audio_seconds`, resampled by linear interpolation to the
  feature's `sampling_rate` (16 kHz when it declares none), written as 16-bit PCM WAV.
- Video: kept when at most `VIDEO_MAX_BYTES`, else dropped (None) with a note: cutting video
  needs a decoder tinytrio does not depend on.
- Text: every string longer than `max_chars` is cut on a character boundary, never inside a
  combining sequence.

Media are handled as stored (`{"bytes", "path"}` structs), so `datasets` never decodes them and no
torchcodec is needed. Paths are cut to their file name: no local directory leaks into the output.

Left out: anti-aliased resampling (linear interpolation is fine for tests, not for listening);
other media kinds (PDF, NIfTI, meshes) are kept as they are.
"""

from __future__ import annotations

import dataclasses
import io
import os
import unicodedata
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DEFAULT_SAMPLING_RATE = 16_000
VIDEO_MAX_BYTES = 1_000_000
MEDIA = ("Image", "Audio", "Video")


class SkipRow(Exception):
    """This row cannot be kept (undecodable media); the message says why."""


@dataclass
class Options:
    image_size: int = 32
    audio_seconds: float = 1.0
    max_chars: int | None = None
    base_dir: Path | None = None
    notes: list[str] = field(default_factory=list)


def kind(feature) -> str:
    return type(feature).__name__


def shrink_row(row: dict, features, opts: Options) -> dict:
    if features is None:
        return {k: _generic(v, opts) for k, v in row.items()}
    return {k: shrink_value(v, features.get(k), opts, k) for k, v in row.items()}


def shrink_value(value, feature, opts: Options, where: str):
    if value is None:
        return None
    k = kind(feature)
    if k == "Image":
        return shrink_image(value, opts, where)
    if k == "Audio":
        return shrink_audio(value, feature, opts, where)
    if k == "Video":
        data = media_bytes(value, opts, where)
        if len(data) > VIDEO_MAX_BYTES:
            opts.notes.append(f"{where}: video of {len(data):,} bytes dropped (None)")
            return None
        return {"bytes": data, "path": _name(value.get("path"))}
    if isinstance(feature, dict):
        if not isinstance(value, dict):
            return _generic(value, opts)
        return {k2: shrink_value(v, feature.get(k2), opts, f"{where}.{k2}")
                for k2, v in value.items()}
    if k in ("List", "LargeList", "Sequence"):
        if isinstance(value, dict):  # a Sequence of dicts is stored as a dict of lists
            return {k2: shrink_value(v, _inner_list(feature.feature, k2), opts, f"{where}.{k2}")
                    for k2, v in value.items()}
        return [shrink_value(v, feature.feature, opts, f"{where}[{i}]")
                for i, v in enumerate(value)]
    return _generic(value, opts)


def _inner_list(inner, key):
    from datasets import List

    sub = inner.get(key) if isinstance(inner, dict) else None
    return List(sub) if sub is not None else None


def _generic(value, opts: Options):
    if isinstance(value, str):
        return truncate(value, opts.max_chars)
    if isinstance(value, dict):
        return {k: _generic(v, opts) for k, v in value.items()}
    if isinstance(value, list):
        return [_generic(v, opts) for v in value]
    return value


def truncate(text: str, max_chars: int | None) -> str:
    """At most `max_chars` characters, never separating a base character from its accents."""
    if max_chars is None or len(text) <= max_chars:
        return text
    cut = max_chars
    while cut > 0 and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut]


def _name(path: str | None, suffix: str | None = None) -> str | None:
    if not path:
        return None
    name = os.path.basename(str(path).split("::")[0])
    return str(Path(name).with_suffix(suffix)) if suffix and Path(name).suffix else name


def media_bytes(value: dict, opts: Options, where: str) -> bytes:
    data = value.get("bytes")
    if data is not None:
        return data
    path = value.get("path")
    if not path:
        raise SkipRow(f"{where}: neither bytes nor a path")
    candidates = [Path(path)] + ([opts.base_dir / path] if opts.base_dir else [])
    for p in candidates:
        if p.is_file():
            return p.read_bytes()
    try:
        from datasets.utils.file_utils import xopen

        with xopen(path, "rb") as f:
            return f.read()
    except Exception as e:
        raise SkipRow(f"{where}: cannot read {path} ({type(e).__name__})") from e


def shrink_image(value: dict, opts: Options, where: str) -> dict:
    from PIL import Image, UnidentifiedImageError

    data = media_bytes(value, opts, where)
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except UnidentifiedImageError as e:
        raise SkipRow(f"{where}: undecodable image ({_name(value.get('path')) or 'bytes'} is not "
                      f"in a format pillow reads)") from e
    except (OSError, ValueError, SyntaxError) as e:  # truncated or corrupt data
        raise SkipRow(f"{where}: undecodable image ({_name(value.get('path')) or 'bytes'}: "
                      f"{' '.join(str(e).split())})") from e
    src_format = img.format
    w, h = img.size
    scale = min(1.0, opts.image_size / max(w, h))
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        if img.mode in ("P", "1"):
            img = img.convert("RGBA" if "transparency" in img.info else "RGB")
        if img.mode not in ("L", "LA", "RGB", "RGBA", "I", "I;16", "F"):
            img = img.convert("RGB")
        img = img.resize(size, Image.Resampling.BICUBIC)
    alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    out = io.BytesIO()
    if src_format == "PNG" or alpha or img.mode not in ("L", "RGB", "CMYK"):
        if img.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            img = img.convert("RGBA" if alpha else "RGB")
        img.save(out, format="PNG", optimize=False)
        suffix = ".png"
    else:
        img.save(out, format="JPEG", quality=90)
        suffix = ".jpg"
    return {"bytes": out.getvalue(), "path": _name(value.get("path"), suffix)}


def shrink_audio(value: dict, feature, opts: Options, where: str) -> dict:
    data = media_bytes(value, opts, where)
    try:
        samples, rate = decode_audio(data)
    except Exception as e:
        why = " ".join(str(e).split())
        raise SkipRow(f"{where}: undecodable audio ({type(e).__name__}: {why})") from e
    target = getattr(feature, "sampling_rate", None) or DEFAULT_SAMPLING_RATE
    keep = int(np.ceil(opts.audio_seconds * rate))
    samples = samples[:keep]
    if rate != target and len(samples):
        n_out = max(1, int(round(len(samples) * target / rate)))
        t_in = np.arange(len(samples)) / rate
        t_out = np.arange(n_out) / target
        samples = np.stack([np.interp(t_out, t_in, samples[:, c])
                            for c in range(samples.shape[1])], axis=1)
    samples = samples[:int(round(opts.audio_seconds * target))]
    return {"bytes": encode_wav(samples, target), "path": _name(value.get("path"), ".wav")}


def decode_audio(data: bytes) -> tuple[np.ndarray, int]:
    """(frames × channels float array in [-1, 1], sampling rate)."""
    try:
        import soundfile
    except ImportError:
        with wave.open(io.BytesIO(data)) as w:
            width, ch, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
        if width not in (2, 4):
            raise ValueError(f"{8 * width}-bit WAV needs the soundfile package") from None
        pcm = np.frombuffer(raw, dtype="<i2" if width == 2 else "<i4").reshape(-1, ch)
        return pcm.astype(np.float64) / float(2 ** (8 * width - 1)), rate
    samples, rate = soundfile.read(io.BytesIO(data), dtype="float64", always_2d=True)
    return samples, int(rate)


def encode_wav(samples: np.ndarray, rate: int) -> bytes:
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(pcm.shape[1] if pcm.ndim == 2 else 1)
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(pcm.tobytes())
    return out.getvalue()


def output_features(features):
    """The features written out: media decode back on, Audio at the rate its files now have."""
    if features is None:
        return None

    def fix(f):
        if isinstance(f, dict):
            return type(f)({k: fix(v) for k, v in f.items()})
        k = kind(f)
        if k == "Audio":
            return dataclasses.replace(f, decode=True,
                                       sampling_rate=f.sampling_rate or DEFAULT_SAMPLING_RATE)
        if k in MEDIA:
            return dataclasses.replace(f, decode=True)
        if k in ("List", "LargeList", "Sequence"):
            return dataclasses.replace(f, feature=fix(f.feature))
        return f

    return fix(features)
