"""`train`: N optimizer steps with the transformers Trainer on a tiny dataset built from the corpus
shipped in the package, with the data collator that fits the model's head.

    head                     dataset                          collator
    masked LM                corpus lines                     DataCollatorForLanguageModeling
    causal LM                corpus lines                     DataCollatorForLanguageModeling(mlm=0)
    encoder-decoder text     line -> next line                DataCollatorForSeq2Seq
    sequence classification  corpus lines, label = i % n      DataCollatorWithPadding
    image classification     8 seeded random images + labels  default_data_collator
    speech (seq2seq, CTC)    8 seeded random clips + line ids SpeechCollator (pads labels -100)
    audio classification     8 seeded random clips + labels   SpeechCollator
    anything else w/ labels  the model's own dummy inputs     ConcatCollator

A bare base model (no head, no loss, e.g. a sentence-transformers BertModel) is trained through
its architecture's masked-LM (else causal-LM) head class, loaded from the same weights.
"""

from __future__ import annotations

import copy
import inspect
import math
import tempfile
from dataclasses import dataclass
from functools import lru_cache

from .core import Ctx, Skip, quiet

ROWS = 32
MAX_LEN = 32
LABEL_LEN = 12
BATCH = 4  # per device (per rank under DDP)
MEDIA_ROWS = 8  # seeded random images / audio clips


@lru_cache(maxsize=1)
def corpus_lines() -> tuple[str, ...]:
    from importlib.resources import files

    text = (files("tinytrio") / "data" / "corpus.txt").read_text(encoding="utf-8")
    # long lines: enough tokens per row that 15% masking always hits some in a batch of four
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) >= 40]
    return tuple(lines[:ROWS])


@dataclass
class Plan:
    model: object
    dataset: object
    collator: object
    kind: str
    note: str = ""


class ConcatCollator:
    """Rows that are already batches of one (the model's dummy inputs): concatenate them (a list,
    such as a detector's per-image targets, by joining the lists)."""

    def __call__(self, rows):
        import torch

        return {k: sum((r[k] for r in rows), []) if isinstance(rows[0][k], list) else
                torch.cat([r[k] for r in rows]) for k in rows[0]}


class SpeechCollator:
    """Stack the audio input; pad token labels with -100 (labels that are class ids: stack)."""

    def __init__(self, key: str):
        self.key = key

    def __call__(self, rows):
        import torch

        batch = {self.key: torch.stack([torch.as_tensor(r[self.key]) for r in rows])}
        labels = [torch.as_tensor(r["labels"]) for r in rows]
        if labels[0].dim() == 0:
            batch["labels"] = torch.stack(labels)
        else:
            batch["labels"] = torch.nn.utils.rnn.pad_sequence(labels, batch_first=True,
                                                              padding_value=-100)
        return batch


def _head_for_base(model):
    """A base model with no loss: the masked-LM (else causal-LM) head class of its model_type."""
    from transformers.models.auto import modeling_auto as ma

    from ..model.classes import _get_class

    mt = model.config.model_type
    for mapping in ("MODEL_FOR_MASKED_LM_MAPPING_NAMES", "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",
                    "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES"):
        name = getattr(ma, mapping, {}).get(mt)
        cls = _get_class(name) if isinstance(name, str) else None
        if cls is not None:
            return cls
    return None


def _pad_ready(tok):
    tok = copy.deepcopy(tok)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token or tok.unk_token or tok.bos_token
    if tok.pad_token is None:
        tok.add_special_tokens({"pad_token": "<pad>"})
    return tok


def _text(tok, params, lines, max_length=MAX_LEN) -> dict:
    enc = tok(list(lines), truncation=True, max_length=max_length)
    keep = ["input_ids"] + (["attention_mask"] if "attention_mask" in params else [])
    return {k: enc[k] for k in keep}


def code_labels(model) -> bool:
    """Does the head train on audio codes, labels no text collator makes: [B, T, codebooks] (CSM,
    MusicGen) or [B * codebooks, T] (Dia), in the head's shape as the backward check builds them?"""
    from ..model.inputs import make_inputs

    labels = make_inputs(model, batch=1, labels=True).get("labels")
    return labels is not None and hasattr(labels, "dim") and (
        labels.dim() > 2 or labels.dim() == 2 and labels.shape[0] != 1)


def plan_training(model, tokenizer, path=None) -> Plan:
    """What to train and on what: the model (maybe with a head added), dataset and collator."""
    import datasets
    from transformers import (DataCollatorForLanguageModeling, DataCollatorForSeq2Seq,
                              DataCollatorWithPadding, default_data_collator)

    from ..model.inputs import make_inputs

    note = ""
    params = inspect.signature(model.forward).parameters
    if "labels" not in params and path is not None:
        head = _head_for_base(model)
        if head is None:
            raise Skip(f"{type(model).__name__} has no head with a loss and its model_type has no "
                       f"masked- or causal-LM head to train")
        note = f"{type(model).__name__} has no loss; trained {head.__name__} on its weights, "
        with quiet():
            model = head.from_pretrained(path).to(model.device)
        params = inspect.signature(model.forward).parameters
    name = type(model).__name__
    config = model.config
    main = getattr(model, "main_input_name", "input_ids")
    lines = corpus_lines()
    dummy = make_inputs(model, batch=1)
    Dataset = datasets.Dataset.from_dict

    if main in ("input_features", "input_values"):
        # audio rows are big: a few, kept as a plain list of tensors (no Arrow round trip)
        rows = [make_inputs(model, batch=1, seed=i)[main][0] for i in range(MEDIA_ROWS)]
        if name.endswith(("ForAudioClassification", "ForSequenceClassification")):
            labels = [i % max(1, config.num_labels) for i in range(MEDIA_ROWS)]
            kind = "audio classification"
        elif tokenizer is not None:
            limit = min(LABEL_LEN, (getattr(config, "max_target_positions", None) or 64) - 2)
            labels = tokenizer(list(lines[:MEDIA_ROWS]), truncation=True,
                               max_length=limit)["input_ids"]
            kind = "speech seq2seq" if config.is_encoder_decoder else "speech CTC"
        else:
            raise Skip("speech model without a tokenizer: no transcripts to train on")
        data = [{main: r, "labels": y} for r, y in zip(rows, labels)]
        return Plan(model, data, SpeechCollator(main), kind, note)
    if main == "pixel_values" and name.endswith("ForImageClassification"):
        data = [{"pixel_values": make_inputs(model, batch=1, seed=i)["pixel_values"][0],
                 "labels": i % max(1, config.num_labels)} for i in range(MEDIA_ROWS)]
        return Plan(model, data, default_data_collator, "image classification", note)
    # text in, text out (ids with codes per frame, labels of audio codes: the dummy inputs below)
    text_only = set(dummy) <= {"input_ids", "attention_mask", "decoder_input_ids"}
    if tokenizer is not None and "input_ids" in dummy and dummy["input_ids"].dim() == 2 and \
            text_only and not code_labels(model):
        tok = _pad_ready(tokenizer)
        if name.endswith("ForSequenceClassification"):
            data = _text(tok, params, lines)
            data["labels"] = [i % max(1, config.num_labels) for i in range(len(lines))]
            return Plan(model, Dataset(data), DataCollatorWithPadding(tok), "classification",
                        note)
        if name.endswith("ForMaskedLM"):
            if tok.mask_token is None:
                raise AssertionError("a masked-LM model whose tokenizer has no mask token")
            coll = DataCollatorForLanguageModeling(tok, mlm=True, mlm_probability=0.15)
            return Plan(model, Dataset(_text(tok, params, lines)), coll, "masked LM", note)
        if getattr(config, "is_encoder_decoder", False):
            data = _text(tok, params, lines)
            targets = list(lines[1:]) + list(lines[:1])
            data["labels"] = tok(text_target=targets, truncation=True,
                                 max_length=LABEL_LEN)["input_ids"]
            coll = DataCollatorForSeq2Seq(tok, model=model, label_pad_token_id=-100)
            return Plan(model, Dataset(data), coll, "seq2seq", note)
        if name.endswith(("ForCausalLM", "LMHeadModel", "ForConditionalGeneration")) or (
                model.can_generate() and "labels" in params):
            coll = DataCollatorForLanguageModeling(tok, mlm=False)
            return Plan(model, Dataset(_text(tok, params, lines)), coll, "causal LM", note)
    # anything else: the model's own dummy inputs (multimodal, no tokenizer, other heads)
    rows = [make_inputs(model, batch=1, seed=i, labels=True) for i in range(MEDIA_ROWS)]
    if "labels" not in rows[0]:
        raise Skip(f"{name}: no labels for this head, nothing for Trainer to optimize")
    why = "no tokenizer: " if tokenizer is None else ""
    return Plan(model, rows, ConcatCollator(), f"{why}dummy inputs", note)


def training_args(out: str, steps: int, device: str, **extra):
    from transformers import TrainingArguments

    return TrainingArguments(output_dir=out, max_steps=steps, per_device_train_batch_size=BATCH,
                             learning_rate=1e-3, logging_steps=1, save_strategy="no",
                             report_to="none", use_cpu=device == "cpu", disable_tqdm=True,
                             seed=0, dataloader_num_workers=0, remove_unused_columns=False,
                             **extra)


def checksum(model) -> float:
    import torch

    with torch.no_grad():
        return sum(p.double().abs().sum().item() for p in model.parameters())


def check_train(ctx: Ctx) -> str:
    import torch
    from transformers import Trainer
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    model = ctx.load()
    from ..model.entry import entry_name, not_trainable

    if entry_name(model) != "forward":  # Trainer calls model(**batch)
        raise Skip(not_trainable(model) or f"{type(model).__name__} implements no forward for "
                   f"Trainer to call; its entry point is {entry_name(model)}()")
    plan = plan_training(model, ctx.tokenizer, ctx.path)
    model = plan.model.train()
    before = checksum(model)
    with tempfile.TemporaryDirectory(prefix="tinytrio-train-") as d, quiet():
        trainer = Trainer(model=model, args=training_args(d, ctx.train_steps, ctx.device),
                          train_dataset=plan.dataset, data_collator=plan.collator)
        for callback in (PrinterCallback, ProgressCallback):  # the report says it, not stdout
            trainer.remove_callback(callback)
        trainer.train()
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    if trainer.state.global_step != ctx.train_steps:
        raise AssertionError(f"ran {trainer.state.global_step} of {ctx.train_steps} steps")
    if not losses:
        raise AssertionError("Trainer logged no loss")
    if not all(math.isfinite(x) for x in losses):
        raise AssertionError(f"loss not finite: {losses}")
    bad = [n for n, p in model.named_parameters() if not torch.isfinite(p).all()]
    if bad:
        raise AssertionError(f"NaN or inf in {len(bad)} weights after training, e.g. {bad[0]}")
    norms = [h["grad_norm"] for h in trainer.state.log_history if "grad_norm" in h]
    if any(not math.isfinite(x) for x in norms):
        # clipping by an infinite norm scales every gradient to zero: the step does nothing
        raise AssertionError(f"gradient norm not finite: {norms}; clipping zeroed the updates")
    if checksum(model) == before:
        raise AssertionError("the weights did not change")
    shown = " ".join(f"{x:.3f}" for x in losses)
    return f"{plan.note}{plan.kind}, {ctx.train_steps} steps, loss {shown}"
