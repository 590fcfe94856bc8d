"""Classes with no forward (model/entry.py): inputs from the entry method's signature, the checks
call it; Bark's nested generation config is derived from the tiny config (model/gen_derived.py)."""

import json

import pytest
import torch

from tinytrio import make_tiny_model
from tinytrio.model.entry import entry_name, has_forward
from tinytrio.model.gen_derived import derived_generation


def test_a_class_without_forward_needs_an_entry_method():
    class NoForward(torch.nn.Module):
        pass

    assert not has_forward(NoForward())
    with pytest.raises(TypeError, match="ENTRY_METHODS names no entry"):
        entry_name(NoForward())
    assert entry_name(torch.nn.Linear(2, 2)) == "forward"


def test_bark_generation_ids_reproduce_suno_bark_on_its_config():
    from transformers import BarkConfig

    config = BarkConfig(semantic_config={"input_vocab_size": 129600},
                        coarse_acoustics_config={"input_vocab_size": 12096})
    gen = derived_generation(config)
    sem, coarse, fine = (gen[k] for k in ("semantic_config", "coarse_acoustics_config",
                                          "fine_acoustics_config"))
    assert (sem["semantic_vocab_size"], sem["text_encoding_offset"], sem["text_pad_token"],
            sem["semantic_infer_token"], sem["max_input_semantic_length"]) == (
        10000, 10048, 129595, 129599, 256)
    assert (coarse["coarse_semantic_pad_token"], coarse["coarse_infer_token"],
            coarse["max_coarse_history"]) == (12048, 12050, 630)
    assert (fine["n_fine_codebooks"], fine["max_fine_input_length"], gen["codebook_size"]) == (
        8, 1024, 1024)


def test_glm_image_vq_model_runs_through_encode(tmp_path):
    r = make_tiny_model("glm_image_vqmodel", tmp_path / "vq")
    checks = r.check["checks"]
    assert checks["forward"]["status"] == "pass" and "via encode" in checks["forward"]["detail"]
    assert checks["backward"]["status"] == "pass"  # the straight-through estimator + codebook loss
    tiny = json.loads((tmp_path / "vq" / "config.json").read_text())
    assert tiny["latent_channels"] == tiny["embed_dim"] == 64  # a width, shrunk


def test_bark_runs_through_generate_and_says_it_cannot_train(tmp_path):
    r = make_tiny_model("bark", tmp_path / "bark")
    checks = r.check["checks"]
    assert checks["forward"]["status"] == "pass" and "via generate" in checks["forward"]["detail"]
    assert checks["save_reload"]["status"] == "pass"
    assert checks["backward"]["status"] == "skip"
    assert "Training is not implemented yet for Bark" in checks["backward"]["detail"]
