"""Detection targets, builders as in media.py: what a closed-set object detector's loss reads
(DETR and its descendants, YOLOS, RT-DETR …): one dict per image with `class_labels` [n] and
`boxes` [n, 4], normalized (center x, center y, width, height) in (0, 1), as their image
processors make them from COCO annotations."""

from __future__ import annotations

import torch

OBJECTS = 2  # boxes per image
# detection heads whose forward refuses labels (they compute no loss): head class -> why
NO_LOSS_DETECTORS = {
    **dict.fromkeys(("PPDocLayoutV2ForObjectDetection", "PPDocLayoutV3ForObjectDetection",
                     "PPDocLayoutV4ForObjectDetection"),
                    "labels raise ValueError('... does not support training')"),
}


def closed_set_detector(model) -> bool:
    """Is the class transformers' object-detection head for its model type, one with a loss
    (open-vocabulary detectors, OmDet-Turbo or Grounding DINO, take text prompts and map
    elsewhere)?"""
    from transformers.models.auto import modeling_auto as ma

    name = type(model).__name__
    return ma.MODEL_FOR_OBJECT_DETECTION_MAPPING_NAMES.get(model.config.model_type) == name \
        and name not in NO_LOSS_DETECTORS


def box_targets(config, batch: int, gen: torch.Generator) -> list[dict]:
    classes = max(1, getattr(config, "num_labels", 1) or 1)
    targets = []
    for _ in range(batch):
        size = 0.1 + 0.3 * torch.rand((OBJECTS, 2), generator=gen)
        center = size / 2 + (1 - size) * torch.rand((OBJECTS, 2), generator=gen)
        targets.append({"class_labels": torch.randint(0, classes, (OBJECTS,), generator=gen),
                        "boxes": torch.cat([center, size], dim=1)})
    return targets
