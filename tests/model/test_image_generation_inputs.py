"""Image-to-image generators (GLM-Image) get the inputs their forward reads (model/media_gen.py):
each row's grids plus the grid of the image to generate, the count of both per row, one
placeholder per VQ code of the source image, wrapped in the image-start / image-end ids."""

import json

from tinytrio import make_tiny_model


def test_glm_image_target_grids_and_code_placeholders(tmp_path):
    from tinytrio.model.classes import pick_model_class
    from tinytrio.model.inputs import make_inputs

    out = tmp_path / "glm_image"
    make_tiny_model("glm_image", out, check=False)
    config = json.loads((out / "config.json").read_text())
    cls, _ = pick_model_class(config)
    model = cls.from_pretrained(out)
    inputs = make_inputs(model)
    grids, per_row = inputs["image_grid_thw"], inputs["images_per_sample"]
    assert per_row.tolist() == [2, 2] and grids.shape[0] == 4  # source, target per row
    assert (grids[1::2] == grids[0::2]).all()
    ids = inputs["input_ids"]
    codes = int(grids[0].prod())  # one VQ code per source patch (merge 1)
    assert ((ids == config["image_token_id"]).sum(-1) == codes).all()
    start = (ids == config["image_start_token_id"]).nonzero()[:, 1]
    end = (ids == config["image_end_token_id"]).nonzero()[:, 1]
    assert ((end - start - 1) == codes).all()  # the run sits between its bounds
    assert inputs["attention_mask"].shape == ids.shape
    out = model(**inputs).last_hidden_state
    assert out.shape[:2] == ids.shape
