"""Generation settings derived from the tiny config, for a generate() that reads token ids and
sizes the model config does not hold: model_type -> function(config) -> {generation key: value}.

Each function spells out the original checkpoint's id layout as arithmetic on the config, so it
gives the published values on the original config and consistent ones on the tiny config.
"""

from __future__ import annotations


def _bark(config) -> dict:
    """Bark (suno/bark): generate() chains semantic -> coarse -> fine sub-models through token
    ids its nested generation config names. The semantic model's output is S semantic units + 48
    specials (eos = pad = S); text ids enter shifted by that output vocab, the text pad and the
    infer token are the last rows of its input vocab; the coarse vocab holds S units, then one
    codebook_size block per coarse codebook, then its pad (+0) and infer (+2) tokens; codebooks
    are the codec's. On BarkConfig() this gives suno/bark's 10000 / 10048 / 129595 / 129599 /
    12048 / 12050 / 1024 / 8 and its window lengths."""
    from transformers.models.bark import generation_configuration_bark as g

    sem, fine = config.semantic_config, config.fine_acoustics_config
    codebook = config.codec_config.codebook_size
    # the window lengths (semantic 256, coarse 256 + 630 history + 60, fine 1024 / 512) fill
    # suno/bark's 1024-position contexts: they scale with each model's block_size
    def fit(block: int, **lengths) -> dict:
        return {k: max(1, v * block // 1024) for k, v in lengths.items()}

    units = sem.output_vocab_size - 48
    coarse_codebooks = 2  # BarkCoarseGenerationConfig's n_coarse_codebooks: EnCodec's first two
    semantic = g.BarkSemanticGenerationConfig(
        eos_token_id=units, semantic_pad_token=units, semantic_vocab_size=units,
        text_encoding_offset=sem.output_vocab_size, text_pad_token=sem.input_vocab_size - 5,
        semantic_infer_token=sem.input_vocab_size - 1,
        **fit(sem.block_size, max_input_semantic_length=256))
    coarse = g.BarkCoarseGenerationConfig(
        n_coarse_codebooks=coarse_codebooks,
        coarse_semantic_pad_token=units + coarse_codebooks * codebook,
        coarse_infer_token=units + coarse_codebooks * codebook + 2,
        **fit(config.coarse_acoustics_config.block_size, max_coarse_input_length=256,
              max_coarse_history=630, sliding_window_len=60))
    fine = g.BarkFineGenerationConfig(n_fine_codebooks=fine.n_codes_total, **fit(
        fine.block_size, max_fine_input_length=1024, max_fine_history_length=512))
    # whole dicts, as suno/bark's generation_config.json holds them (generate() reads the rest)
    return {
        **{k: {n: v for n, v in c.to_diff_dict().items() if n != "transformers_version"}
           for k, c in (("semantic_config", semantic), ("coarse_acoustics_config", coarse),
                        ("fine_acoustics_config", fine))},
        "codebook_size": codebook,
        "sample_rate": config.codec_config.sampling_rate,
    }


GENERATION_DERIVED = {"bark": _bark}


def derived_generation(config) -> dict:
    fn = GENERATION_DERIVED.get(config.model_type)
    return fn(config) if fn else {}
