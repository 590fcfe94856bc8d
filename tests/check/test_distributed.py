"""--nproc 2: real DDP over torch.distributed (gloo on CPU), started by torchrun; bounded."""

from __future__ import annotations

import json
import time

import pytest

from tinytrio.check.distributed import run_ddp

from .conftest import cli


def test_cli_nproc_2_trains_in_two_processes(tiny):
    done = cli("check", tiny("llama"), "--fast", "--nproc", "2", "--json", timeout=400)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-2000:])
    report = json.loads(done.stdout)
    assert list(report["checks"])[-1] == "ddp" and "train" not in report["checks"]
    ddp = report["checks"]["ddp"]
    assert ddp["status"] == "pass", ddp
    assert "2 processes, gloo" in ddp["detail"] and "identical on all ranks" in ddp["detail"]
    assert "causal LM, 3 steps" in ddp["detail"]


def test_ranks_see_different_data_but_end_identical(tiny):
    results = run_ddp(tiny("bert-mlm"), 2, 2, "cpu", timeout=300)  # masked LM collator
    assert [r["rank"] for r in results] == [0, 1]
    assert results[0]["digests"] == results[1]["digests"]
    assert len(set(results[0]["digests"])) == 1 and results[0]["digests"][0] != \
        results[0]["start"]
    assert results[0]["losses"] != results[1]["losses"]  # DistributedSampler shards the data
    assert results[0]["kind"] == "masked LM" and results[0]["backend"] == "gloo"


def test_a_hang_is_bounded(tiny):
    t0 = time.monotonic()
    with pytest.raises(AssertionError, match="did not finish within"):
        run_ddp(tiny("llama"), 2, 3, "cpu", timeout=1)
    assert time.monotonic() - t0 < 30
