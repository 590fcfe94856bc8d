"""`ddp`: N training steps under DistributedDataParallel in `--nproc` processes.

The processes are started by torch's own launcher (`python -m torch.distributed.run --standalone`,
which rendezvouses on a free port it picks) running this module, so nothing of the caller's
`__main__` is re-imported. Backend gloo on CPU, nccl on CUDA (one GPU per rank). Each rank trains
on its own shard of the corpus dataset (DistributedSampler), so the ranks see different losses;
DDP averages the gradients, so the parameters must come out bit-identical: every rank hashes its
parameters and the hashes are all-gathered and compared. Everything is bounded: the process group
has a timeout and the parent kills the launcher's process group when the whole run exceeds
`ctx.timeout` seconds, so a hang fails the check instead of blocking.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .core import Ctx, Skip


def params_digest(model) -> int:
    import torch

    h = hashlib.sha256()
    for name, p in sorted(model.named_parameters()):
        h.update(name.encode())
        h.update(p.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy().tobytes())
    return int.from_bytes(h.digest()[:8], "little", signed=True)


def _worker(path: str, steps: int, device: str, outdir: str, pg_timeout: float) -> None:
    """One rank, started by torchrun (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_* in the environment)."""
    from datetime import timedelta

    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    local = int(os.environ.get("LOCAL_RANK", rank))
    # the rank's own output goes to a log the parent shows when the rank fails
    log = os.open(os.path.join(outdir, f"rank{rank}.log"), os.O_WRONLY | os.O_CREAT, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    from .._quiet import quiet_transformers

    quiet_transformers()
    backend = "nccl" if device == "cuda" else "gloo"
    if device == "cuda":
        torch.cuda.set_device(local)
    dev = torch.device(f"cuda:{local}" if device == "cuda" else "cpu")
    dist.init_process_group(backend, rank=rank, world_size=world,
                            timeout=timedelta(seconds=pg_timeout))
    try:
        result = _train_rank(rank, world, Path(path), steps, dev)
        Path(outdir, f"rank{rank}.json").write_text(json.dumps(result))
        dist.barrier()  # nobody tears down while another rank still talks
    finally:
        dist.destroy_process_group()


def _train_rank(rank: int, world: int, path: Path, steps: int, dev) -> dict:
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel
    from torch.utils.data import DataLoader, DistributedSampler

    from ..model.classes import pick_model_class
    from ..remote import load_remote, wants_remote
    from ..sources import read_json
    from .basic import TOKENIZER_FILES
    from .core import quiet, to_device
    from .train import BATCH, plan_training

    config = read_json(path / "config.json", "config.json")
    if wants_remote(config, trust=True):  # the parent ran the checks with --trust-remote-code:
        load_remote(path, config)           # it only reaches DDP after loading that code
    cls, _ = pick_model_class(config)
    tokenizer = None
    with quiet():
        model = cls.from_pretrained(path).to(dev)
        if any((path / f).exists() for f in TOKENIZER_FILES):
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(path)
    plan = plan_training(model, tokenizer, path)
    model = plan.model.to(dev).train()
    start = params_digest(model)
    torch.manual_seed(0)
    ddp = DistributedDataParallel(model, device_ids=[dev.index] if dev.type == "cuda" else None,
                                  find_unused_parameters=True)
    sampler = DistributedSampler(plan.dataset, num_replicas=world, rank=rank, shuffle=True,
                                 seed=0)
    loader = DataLoader(plan.dataset, batch_size=BATCH, sampler=sampler, collate_fn=plan.collator)
    opt = torch.optim.AdamW(ddp.parameters(), lr=1e-3)
    losses, batches, epoch = [], iter(loader), 0
    for _ in range(steps):
        try:
            batch = next(batches)
        except StopIteration:
            epoch += 1
            sampler.set_epoch(epoch)
            batches = iter(loader)
            batch = next(batches)
        with quiet():
            loss = ddp(**to_device(batch, dev)).loss
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
    digest = torch.tensor([params_digest(model)], dtype=torch.int64, device=dev)
    gathered = [torch.zeros_like(digest) for _ in range(world)]
    dist.all_gather(gathered, digest)
    return {"rank": rank, "losses": losses, "start": start, "digests": [int(t.item()) for t in
                                                                        gathered],
            "kind": plan.kind, "backend": dist.get_backend()}


def _log_tail(outdir: str) -> str:
    """The last meaningful line a rank (else the launcher) wrote: the error, usually."""
    for name in sorted(Path(outdir).glob("rank*.log")) + [Path(outdir, "launcher.log")]:
        try:
            text = name.read_text(errors="replace")
        except OSError:
            continue
        lines = [x.strip() for x in text.splitlines()
                 if x.strip() and "reducer.cpp" not in x and not x.startswith(("W", "I"))]
        errors = [x for x in lines if "Error" in x or "error" in x] or lines
        if errors:
            return f" ({name.stem}: {errors[-1][:300]})"
    return ""


def run_ddp(path: Path, nproc: int, steps: int, device: str, timeout: float) -> list[dict]:
    """Train in `nproc` processes started by torchrun; per-rank results, AssertionError if not.

    torchrun --standalone picks a free port itself; the launcher runs in its own session so that
    on timeout the whole group (launcher and ranks) is killed.
    """
    import tinytrio

    with tempfile.TemporaryDirectory(prefix="tinytrio-ddp-") as d:
        src = str(Path(tinytrio.__file__).resolve().parent.parent)
        env = {**os.environ, "OMP_NUM_THREADS": "1", "TORCH_CPP_LOG_LEVEL": "ERROR",
               "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               f"--nproc-per-node={nproc}", "--max-restarts=0", "--monitor-interval=0.1",
               "-m", "tinytrio.check.distributed", str(Path(path).resolve()), str(steps), device,
               d, str(max(timeout / 2, 10))]
        with open(os.path.join(d, "launcher.log"), "wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    start_new_session=True)
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                raise AssertionError(f"DDP did not finish within {timeout:.0f}s"
                                     f"{_log_tail(d)}") from None
            finally:
                if proc.poll() is None:
                    _kill_group(proc)
        if code != 0:
            raise AssertionError(f"torchrun exited with code {code}{_log_tail(d)}")
        return [json.loads(Path(d, f"rank{r}.json").read_text()) for r in range(nproc)]


def _kill_group(proc) -> None:
    """End the launcher we started and its ranks (its own session), politely then not."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def check_ddp(ctx: Ctx) -> str:
    if not ctx.nproc:
        raise Skip("pass --nproc N to train under DDP in N processes")
    results = run_ddp(ctx.path, ctx.nproc, ctx.train_steps, ctx.device, ctx.timeout)
    digests = {tuple(r["digests"]) for r in results}
    if len(digests) != 1:
        raise AssertionError("ranks disagree about the gathered checksums")
    gathered = results[0]["digests"]
    if len(set(gathered)) != 1:
        raise AssertionError(f"parameters differ across ranks after {ctx.train_steps} DDP steps "
                             f"(checksums {gathered})")
    if gathered[0] == results[0]["start"]:
        raise AssertionError("the parameters did not change during training")
    for r in results:
        if not all(math.isfinite(x) for x in r["losses"]):
            raise AssertionError(f"rank {r['rank']} loss not finite: {r['losses']}")
    losses = "; ".join(f"rank {r['rank']} loss " + " ".join(f"{x:.3f}" for x in r["losses"])
                       for r in results)
    return (f"{ctx.nproc} processes, {results[0]['backend']}, {results[0]['kind']}, "
            f"{ctx.train_steps} steps; parameters identical on all ranks "
            f"(checksum {gathered[0] & 0xffffffff:08x}); {losses}")


if __name__ == "__main__":  # a rank, started by run_ddp through torchrun
    _worker(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]))
