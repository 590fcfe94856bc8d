"""A small process pool with a per-task timeout: a task that hangs or crashes its worker becomes a
failed result, and the worker is replaced; the other tasks go on.

`concurrent.futures` cannot kill one hung task, so each worker is a spawned process with a pipe;
the parent hands out one task at a time and waits on all pipes with a deadline.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import time
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator

RECYCLE_AFTER = 40  # tasks per worker before a fresh process (bounds leaked memory and state)


def _resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _serve(conn, target: str, init: str | None) -> None:
    """Worker loop: receive (key, args), send (key, result) until told to stop."""
    if init:
        _resolve(init)()
    fn = _resolve(target)
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        key, args = msg
        try:
            result = fn(*args)
        except BaseException as e:  # a task's exception is its result, never the pool's
            result = {"status": "fail", "reason": f"{type(e).__name__}: {e}"[:500]}
        conn.send((key, result))


class _Worker:
    def __init__(self, ctx, target: str, init: str | None):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, target, init), daemon=True)
        self.proc.start()
        child.close()
        self.key = None
        self.deadline = 0.0
        self.started = 0.0
        self.done = 0

    def give(self, key, args, timeout: float) -> None:
        self.key, self.started = key, time.monotonic()
        self.deadline = self.started + timeout
        self.conn.send((key, args))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run_tasks(tasks: Iterable[tuple], target: str, *, jobs: int = 2, timeout: float = 60.0,
              init: str | None = None) -> Iterator[tuple]:
    """Run `target(*args)` for each `(key, args)` in worker processes; yield `(key, result)` as
    each finishes. A task past `timeout` seconds, or whose worker dies, yields a failure dict."""
    ctx = mp.get_context("spawn")
    todo = list(tasks)[::-1]
    workers: list[_Worker] = []
    try:
        while todo or any(w.key is not None for w in workers):
            while todo and sum(w.key is not None for w in workers) < jobs:
                w = next((w for w in workers if w.key is None), None)
                if w is None:
                    w = _Worker(ctx, target, init)
                    workers.append(w)
                key, args = todo.pop()
                w.give(key, args, timeout)
            busy = [w for w in workers if w.key is not None]
            now = time.monotonic()
            ready = wait([w.conn for w in busy], max(0.0, min(w.deadline for w in busy) - now))
            for w in busy:
                if w.conn in ready:
                    try:
                        key, result = w.conn.recv()
                    except (EOFError, OSError):
                        w.proc.join(1)
                        code = w.proc.exitcode
                        yield w.key, {"status": "fail", "reason": f"worker died (exit code "
                                                                  f"{code}) while building"}
                        workers.remove(w)
                        w.stop(kill=True)
                        continue
                    w.key = None
                    w.done += 1
                    yield key, result
                    if w.done >= RECYCLE_AFTER:
                        workers.remove(w)
                        w.stop()
                elif time.monotonic() >= w.deadline:
                    yield w.key, {"status": "fail", "reason": f"timeout after {timeout:g}s"}
                    workers.remove(w)
                    w.stop(kill=True)
    finally:
        for w in workers:
            w.stop(kill=w.key is not None)
