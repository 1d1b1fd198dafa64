"""Sharding an evaluation over worker processes (``guardrail eval --workers N``).

One event loop spends a few milliseconds of CPU per ticket (the gate's deterministic
layers, the SDK's request and response handling, the record's JSON), which caps how
many judge requests it keeps in flight. With ``--workers N`` the tickets still to do
are dealt round-robin to N forked worker processes; each runs its own loop, its own
judge clients (a lease opens them on the worker's loop) and ``concurrency / N`` tickets
at a time, and sends each finished record, already one JSON line, up a pipe.

This process is the only writer of ``results.jsonl``: it appends every line it receives
whole and flushes after each batch, so a crash loses at most the tickets in flight (and
the lines still in a pipe), never a line that breaks resume; a torn last line is ended
by the next run. The first error in a worker (a config error, an agent that raised)
stops the others and is re-raised here; a worker that dies without a word is an error
naming its exit code. Workers exit when this process dies (their next write to the
pipe fails: a worker closes every read end it inherited).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
import warnings
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TextIO

from ..errors import UserError
from ..pipeline import Guardrail
from ._judge import Judge
from ._score import RunSettings, score_all
from ._tickets import Agent, Ticket

__all__ = ["run_sharded", "split_concurrency"]

_ERROR = b"\x00"


def split_concurrency(concurrency: int, workers: int) -> list[int]:
    """``concurrency`` tickets in flight dealt over ``workers`` (the first get one more)."""
    return [
        concurrency // workers + (1 if i < concurrency % workers else 0) for i in range(workers)
    ]


def _worker(
    tickets: Sequence[Ticket],
    conn: Connection,
    gate: Guardrail,
    judge: Judge,
    agent: Agent | None,
    settings: RunSettings,
    concurrency: int,
    inherited: Sequence[Connection],
) -> None:
    """A worker process: score its shard, one line per record up the pipe; on error,
    the pickled exception behind a NUL byte."""
    for reader in inherited:  # read ends: only the parent may hold them (else no EPIPE)
        reader.close()

    def emit(line: str) -> None:
        conn.send_bytes(line.encode("utf-8"))

    try:
        asyncio.run(
            score_all(
                tickets,
                gate=gate,
                judge=judge,
                agent=agent,
                settings=settings,
                concurrency=concurrency,
                emit=emit,
            )
        )
    except (BrokenPipeError, ConnectionResetError):
        return  # the parent is gone: nobody to report to
    except BaseException as exc:  # reported to the parent, which re-raises
        try:
            payload = pickle.dumps(exc)
            pickle.loads(payload)
        except Exception:  # it does not survive pickling
            payload = pickle.dumps(UserError(f"worker error {type(exc).__name__}: {exc}"))
        try:
            conn.send_bytes(_ERROR + payload)
        except OSError:
            return
    finally:
        conn.close()


def run_sharded(
    todo: Sequence[Ticket],
    *,
    gate: Guardrail,
    judge: Judge,
    agent: Agent | None,
    settings: RunSettings,
    workers: int,
    sink: TextIO,
    tick: Callable[[], None],
) -> None:
    """Score ``todo`` over ``workers`` forked processes, appending each record to ``sink``
    (flushed per batch) and calling ``tick`` per record."""
    context = multiprocessing.get_context("fork")
    procs: list[Any] = []
    readers: dict[Connection, Any] = {}
    try:
        for index, concurrency in enumerate(split_concurrency(settings.concurrency, workers)):
            reader, writer = context.Pipe(duplex=False)
            inherited = [*readers, reader]
            proc = context.Process(
                target=_worker,
                args=(
                    todo[index::workers],
                    writer,
                    gate,
                    judge,
                    agent,
                    settings,
                    concurrency,
                    inherited,
                ),
                name=f"guardrail-eval-{index}",
                daemon=True,
            )
            with warnings.catch_warnings():
                # Python 3.12+ warns on fork() in a process with threads (a lock another
                # thread holds stays held in the child). A worker takes none of them: it runs
                # its own loop and clients, and talks to the parent only through its pipe.
                warnings.filterwarnings("ignore", r".*fork\(\)", DeprecationWarning)
                proc.start()
            writer.close()
            procs.append(proc)
            readers[reader] = proc
        while readers:
            for ready in wait(list(readers)):
                assert isinstance(ready, Connection)
                _drain(ready, readers, sink, tick)
            sink.flush()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join()
        for reader in readers:
            reader.close()


def _drain(
    conn: Connection,
    readers: dict[Connection, Any],
    sink: TextIO,
    tick: Callable[[], None],
) -> None:
    """Write every line waiting on ``conn``; at its end, check how the worker exited."""
    try:
        while True:
            data = conn.recv_bytes()
            if data.startswith(_ERROR):
                error = pickle.loads(data[1:])
                if isinstance(error, BaseException):
                    raise error
                raise UserError("a worker process failed")
            sink.write(data.decode("utf-8"))
            tick()
            if not conn.poll():
                return
    except EOFError:
        proc = readers.pop(conn)
        conn.close()
        proc.join()
        if proc.exitcode != 0:
            raise UserError(
                f"eval worker {proc.name} exited with code {proc.exitcode}; the tickets "
                "scored so far are kept, rerun to resume"
            ) from None
