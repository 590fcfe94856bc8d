"""Generate `corpus.txt`, the small embedded corpus that from-scratch tokenizers are trained on.

Idea: a tiny tokenizer only needs to *see* every script, the shape of code and the common
punctuation/whitespace runs, not meaningful prose. So the corpus is built from hand-written word
lists and templates (nothing copied from other corpora), mixed by a seeded RNG: prose-like lines in
many scripts, numbers and dates, emoji, and snippets of Python, JavaScript, JSON, shell, SQL,
Markdown and HTML. Running this script again rewrites a byte-identical file.

Left out: real grammar, real frequencies, rare scripts (Thai, Hebrew, Georgian … appear only in a
short sample line each). Run: `python -m tinytrio.data.make_corpus` (or as a plain script).
"""

from __future__ import annotations

import random
from pathlib import Path

TARGET_BYTES = 300_000
SEED = 20240601

# hand-written word lists, one per language or script; words are common, short, generic
WORDS = {
    "en": "the of and to in is it that was for on are with as be at by this have from or one had "
    "not but what all were when we there can an your which their said if do will each about how up "
    "out them then she many some so these would other into has more her two like him see time could "
    "no make than first been its who now people my made over did down only way find use may water "
    "long little very after words called just where most know model token data train small tiny "
    "fast test build shape layer weight batch debug random seed".split(),
    "fr": "le la les un une des et est dans pour que qui sur avec pas plus par au du ce il elle nous "
    "vous ils être avoir faire très été déjà où ça après français garçon élève noël fenêtre".split(),
    "de": "der die das und ist nicht ein eine zu den mit sich des auf für im dem auch es an als "
    "über größe straße schön müssen können würde fünf zwölf mädchen grüße weiß".split(),
    "es": "el la de que y en un ser se no haber por con su para como estar tener le lo todo pero "
    "más año niño señor mañana corazón canción también aquí allí".split(),
    "pt": "não são então ação coração você também até já irmã maçã pão mãe avô".split(),
    "pl": "że się nie jest być który żółw łódź źródło gęś ćma świat".split(),
    "tr": "bir ve bu için çok değil ağaç şehir ılık göz işçi öğrenci".split(),
    "vi": "tiếng việt người nước không được những một của và có là".split(),
    "ru": "и в не на я быть он с что а по это она этот к но они мы как из у который то за свой "
    "весь год от так о для ты же все тот мочь вы человек такой его сказать только или ещё".split(),
    "uk": "і що це як він та але вона вони їх ґанок їжак єнот".split(),
    "el": "και το η ο να του σε με τα για που τη στο από δεν θα είναι ένα λόγος καλημέρα ευχαριστώ".split(),
    "zh": "的 一 是 不 了 人 我 在 有 他 这 中 大 来 上 国 个 到 说 们 为 子 和 你 地 出 道 也 时 年 "
    "模型 数据 训练 测试 小 快 世界 学习 语言 计算机 中文 分词".split(),
    "ja": "の に は を た が で て と し れ さ ある いる する こと これ それ 日本語 東京 "
    "カタカナ ひらがな テスト モデル データ ありがとう".split(),
    "ko": "이 그 저 것 수 있다 하다 되다 없다 한국어 안녕하세요 감사합니다 데이터 모델".split(),
    "ar": "في من على إلى أن هذا التي الذي عن مع كان هو هي لا ما كل بين العربية مرحبا شكرا".split(),
    "hi": "का के की है में और को से पर यह एक हैं था भी नहीं हिन्दी नमस्ते धन्यवाद भारत".split(),
    "bn": "আমি তুমি সে এবং বাংলা ভাষা".split(),
    "ta": "நான் நீ அவன் தமிழ் மொழி".split(),
}
EXTRA_LINES = [  # one short line for scripts too rare to deserve a word list
    "ภาษาไทย สวัสดี ขอบคุณ", "עברית שלום תודה", "ქართული გამარჯობა", "Հայերեն բարեւ",
    "አማርኛ ሰላም", "ᐃᓄᒃᑎᑐᑦ", "ꦧꦱꦗꦮ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙 𝒮𝒸𝓇𝒾𝓅𝓉", "Ω≈ç√∫˜µ≤≥÷ ∀x∈ℝ: x²≥0 ∑ ∏ ∞ ≠ ±",
    "½ ¾ ‰ € £ ¥ ₹ ₽ © ® ™ § ¶ † ‡ • … — – « » „ “ ” ‘ ’", "\u00a0non-breaking\u2009thin\u200bzero-width",
    "e\u0301 n\u0303 a\u0308 (combining marks)", "👨‍👩‍👧‍👦 🏳️‍🌈 👍🏽 🇫🇷 🇯🇵 ❤️ 1️⃣",
]
EMOJI = list("😀😂🥲😍🤔😎🙃😭🔥✨🚀🎉👍👀💡📦🐍🦀🌍🌧️⚡✅❌⭐🍕☕🎵🤖🧠📈🔧")
PUNCT = [".", ".", ".", "!", "?", "…", ";", ":", ",", "。", "！", "？", "،", "।"]

PY_NAMES = "x y i j n k total count items model tokenizer batch config result value path data out".split()
PY_FUNCS = "load save train evaluate build shrink encode decode forward step parse merge".split()
JS_NAMES = "el node req res app user list map ctx opts state props key idx".split()


def _sentence(rng: random.Random, lang: str) -> str:
    words = [rng.choice(WORDS[lang]) for _ in range(rng.randint(3, 14))]
    sep = "" if lang in ("zh", "ja") else " "
    text = sep.join(words)
    if lang not in ("zh", "ja", "ko", "ar", "hi") and rng.random() < 0.7:
        text = text[0].upper() + text[1:]
    if rng.random() < 0.15:
        text += " " + rng.choice(EMOJI)
    return text + rng.choice(PUNCT[:4] if lang not in ("zh", "ja") else PUNCT[8:11])


def _numbers(rng: random.Random) -> str:
    forms = [
        lambda: f"{rng.randint(1900, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        lambda: f"{rng.random() * 1000:.3f}",
        lambda: f"{rng.randint(0, 10**9):,}",
        lambda: f"{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}",
        lambda: f"0x{rng.getrandbits(32):08x}",
        lambda: f"{rng.randint(1, 99)}% of {rng.randint(100, 999)} = {rng.uniform(0, 99):.2f}",
        lambda: f"+1 ({rng.randint(200, 999)}) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        lambda: f"{rng.uniform(-90, 90):.4f}°, {rng.uniform(-180, 180):.4f}°",
        lambda: f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['AM', 'PM'])}",
        lambda: f"${rng.randint(1, 9999)}.{rng.randint(0, 99):02d} / €{rng.randint(1, 999)},{rng.randint(0, 99):02d}",
    ]
    return " ".join(rng.choice(forms)() for _ in range(rng.randint(2, 5)))


def _python(rng: random.Random) -> str:
    f, a, b = rng.choice(PY_FUNCS), rng.choice(PY_NAMES), rng.choice(PY_NAMES)
    n = rng.randint(1, 64)
    snippets = [
        f"def {f}_{a}({a}, {b}=None, *args, **kwargs):\n    \"\"\"{f.title()} the {a}.\"\"\"\n"
        f"    if {b} is None:\n        {b} = []\n    for i in range({n}):\n        {b}.append({a} * i)\n"
        f"    return {b}\n",
        f"class {a.title()}{f.title()}:\n    def __init__(self, {a}: int = {n}) -> None:\n"
        f"        self.{a} = {a}\n\n    def __repr__(self) -> str:\n        return f\"{a.title()}({{self.{a}!r}})\"\n",
        f"import os\nimport json\nfrom pathlib import Path\n\n{a} = json.loads(Path('{b}.json').read_text())\n"
        f"print(f\"{{len({a})}} {b}s\", {a}.get('{f}', {n}))\n",
        f"with open('{a}.txt', encoding='utf-8') as fh:\n    {b} = [line.rstrip('\\n') for line in fh if line.strip()]\n"
        f"assert len({b}) >= {n}, \"too few\"\n",
        f"try:\n    {a} = {f}({b})\nexcept (ValueError, KeyError) as e:\n    raise RuntimeError(f'{f} failed: {{e}}') from e\n",
        f"{a} = {{k: v for k, v in zip(range({n}), '{b}')}}\n{b} = sorted({a}.items(), key=lambda kv: -kv[0])[:{n % 7 + 1}]\n",
        f"@torch.no_grad()\ndef {f}(model, {a}):\n    out = model(**{a})\n    return out.logits[:, -1, :].argmax(dim=-1)\n",
    ]
    return rng.choice(snippets)


def _js(rng: random.Random) -> str:
    a, b, n = rng.choice(JS_NAMES), rng.choice(JS_NAMES), rng.randint(0, 100)
    snippets = [
        f"const {a} = async ({b}) => {{\n  const r = await fetch(`/api/{b}/${{{b}.id}}`);\n  if (!r.ok) throw new Error('bad');\n"
        f"  return r.json();\n}};\n",
        f"function {a}({b}) {{\n  let s = 0;\n  for (let i = 0; i < {b}.length; i++) {{ s += {b}[i] * {n}; }}\n  return s === 0 ? null : s;\n}}\n",
        f"export default {{ name: '{a}', data() {{ return {{ {b}: [], count: {n} }}; }} }};\n",
        f"document.querySelectorAll('.{a}').forEach(({b}) => {b}.addEventListener('click', () => console.log({b})));\n",
        f"interface {a.title()} {{ id: number; {b}?: string[]; }}\nlet x: {a.title()} | undefined = undefined;\n",
    ]
    return rng.choice(snippets)


def _json_like(rng: random.Random) -> str:
    lang = rng.choice(list(WORDS))
    return (
        "{" + f'"id": {rng.randint(1, 99999)}, "lang": "{lang}", "text": "{_sentence(rng, lang)}", '
        f'"score": {rng.random():.4f}, "tags": ["{rng.choice(WORDS["en"])}", "{rng.choice(WORDS["en"])}"], '
        f'"ok": {rng.choice(["true", "false", "null"])}' + "}\n"
    )


def _other_code(rng: random.Random) -> str:
    a, n = rng.choice(PY_NAMES), rng.randint(1, 999)
    snippets = [
        f"#!/usr/bin/env bash\nset -euo pipefail\nfor f in ./{a}/*.txt; do\n  wc -l \"$f\" | awk '{{print $1}}' >> out.log\ndone\n",
        f"$ pip install -e '.[test]' && python -m pytest -q -k {a} --maxfail={n % 5 + 1}\n",
        f"git commit -m 'fix {a}: handle {n} items' && git push origin main\n",
        f"SELECT id, {a}, COUNT(*) AS n FROM {a}s WHERE score > {n} GROUP BY {a} ORDER BY n DESC LIMIT 10;\n",
        f"<div class=\"{a}\" id=\"x{n}\"><a href=\"https://example.com/{a}?q={n}&amp;p=2\">{a}</a></div>\n",
        f"## {a.title()}\n\n- item **{a}** with `code` and [link](http://x.y/{n})\n- {n} > {n // 2}\n\n",
        f"fn {a}(v: &[i32]) -> i32 {{ v.iter().map(|x| x * {n}).sum() }}\n",
        f"#include <stdio.h>\nint main(void) {{ printf(\"%d\\n\", {n}); return 0; }}\n",
        f"{a}:\n  enabled: true\n  size: {n}\n  names: [a, b, c]\n",
        f"\t{a}\t{n}\t{n * 3}\n\t\t{a}_{n}\t  \t\n",
    ]
    return rng.choice(snippets)


def generate(target_bytes: int = TARGET_BYTES, seed: int = SEED) -> str:
    """Return the corpus text; pure and deterministic for a given seed."""
    rng = random.Random(seed)
    parts: list[str] = list(line + "\n" for line in EXTRA_LINES)
    size = sum(len(p.encode()) for p in parts)
    langs = list(WORDS)
    makers = [_python, _js, _json_like, _other_code, _numbers]
    while size < target_bytes:
        r = rng.random()
        if r < 0.55:
            lang = rng.choice(langs)
            part = " ".join(_sentence(rng, lang) for _ in range(rng.randint(1, 4))) + "\n"
        elif r < 0.6:
            part = rng.choice(EXTRA_LINES) + " " + "".join(rng.choices(EMOJI, k=rng.randint(1, 5))) + "\n"
        else:
            part = rng.choice(makers)(rng)
            part = part if part.endswith("\n") else part + "\n"
        if rng.random() < 0.05:
            part += "\n" * rng.randint(1, 2) + " " * rng.randint(0, 8)
        parts.append(part)
        size += len(part.encode())
    return "".join(parts)


def main() -> None:
    out = Path(__file__).with_name("corpus.txt")
    out.write_text(generate(), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
