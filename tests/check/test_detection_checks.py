"""Closed-set object detectors: the object-detection pipeline, and their per-image targets (a list
of dicts) through the train check's collator."""

import torch

from tinytrio.check.pipeline import pipeline_task
from tinytrio.check.train import ConcatCollator


def _tiny_detr(head: bool):
    from transformers import DetrConfig, DetrForObjectDetection, DetrModel

    config = DetrConfig(backbone_config={
        "model_type": "resnet", "embedding_size": 8, "hidden_sizes": [8, 8, 8, 8],
        "depths": [1, 1, 1, 1], "out_indices": [1, 2, 3, 4]}, d_model=16, encoder_layers=1,
        decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=16, decoder_ffn_dim=16, num_queries=4)
    return (DetrForObjectDetection if head else DetrModel)(config)


def test_a_detection_head_runs_the_object_detection_pipeline():
    assert pipeline_task(_tiny_detr(head=True)) == "object-detection"
    assert pipeline_task(_tiny_detr(head=False)) == "image-feature-extraction"


def test_concat_collator_joins_per_image_targets():
    rows = [{"pixel_values": torch.zeros(1, 3, 4, 4), "labels": [{"boxes": torch.ones(1, 4)}]}
            for _ in range(3)]
    batch = ConcatCollator()(rows)
    assert batch["pixel_values"].shape[0] == 3 and len(batch["labels"]) == 3
