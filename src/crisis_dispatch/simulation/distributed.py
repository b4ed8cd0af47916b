"""Replications and sweeps on Dask: a local cluster by default, or an existing scheduler.

``executor(fn, args)`` maps a picklable function over arguments and returns the results in
order; :func:`dask_executor` builds one on a ``dask.distributed`` client,
:func:`local_executor` runs in this process (tests, single runs).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

Executor = Callable[[Callable[..., Any], list[Any]], list[Any]]


def local_executor(fn: Callable[..., Any], args: list[Any]) -> list[Any]:
    return [fn(a) for a in args]


@contextlib.contextmanager
def dask_executor(
    scheduler: str | None = None, *, workers: int = 2, progress: Callable[[int], None] | None = None
) -> Iterator[Executor]:
    """An executor on a Dask cluster: ``scheduler`` address, or a local cluster of processes."""
    import logging

    from dask.distributed import Client, LocalCluster, as_completed

    logging.getLogger("distributed").setLevel(logging.ERROR)
    cluster = None
    if scheduler is None:
        # ":0": any free port for the scheduler's HTTP server. None still means 8787, so a
        # second cluster on the machine (another run, another test session) started with a
        # port-in-use warning, an error where warnings are errors (pytest).
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
    else:
        client = Client(scheduler)

    def run(fn: Callable[..., Any], args: list[Any]) -> list[Any]:
        futures = client.map(fn, args, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        out: list[Any] = [None] * len(futures)
        for fut in as_completed(futures):
            out[index[fut.key]] = fut.result()
            if progress:
                progress(1)
        return out

    try:
        yield run
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
