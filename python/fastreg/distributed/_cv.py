"""LassoCV and ElasticNetCV on a Dask cluster: their core calls split into tasks.

The single-process fit runs, per l1_ratio, all the fold paths (and the path on all the
data) in one core call whose paths share their passes over X. Here that batch of paths is
cut into chunks, one task per chunk and worker, each chunk again one core call sharing its
passes. A path's arithmetic in such a call does not depend on which other paths share it
(the shared pass computes each path's products separately), so with chunks of two paths
or more every path gives the same numbers, bit for bit, as in the single-process fit; the
CV curves, the choice of alpha and the one-standard-error rule are then computed on the
client by the estimator's own code from the folds' results. (A path alone in a call takes
the single-path kernels, whose sums round differently: a batch of one stays whole.)

The fold paths' coefficients stay on the workers: the client gets their validation
errors, stopping points and convergence flags; the paths on all the data come back whole.
"""

from __future__ import annotations

import numpy as np

from ._client import resolve_client, share, worker_threads


def paths_runner(client, X, y):
    """A function with ``_paths_core``'s signature that runs its paths on `client`'s
    workers, X and y scattered once."""
    return _Runner(resolve_client(client), X, y)


class _Runner:
    def __init__(self, client, X, y):
        self.client = client
        self.X = share(client, X)
        self.y = share(client, y)
        self.tasks_run = 0

    def __call__(self, X, y, tasks, *, progress=None, **kw):
        n_workers = max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))
        # the alpha grids (max_alphas=0) cost no pass: one task; otherwise chunks of two
        # paths or more (see the module's docstring), at most one per worker
        n_chunks = 1 if kw.get("max_alphas") == 0 else max(1, min(n_workers, len(tasks) // 2))
        chunks = [c for c in np.array_split(np.arange(len(tasks)), n_chunks) if c.size]
        futures = [self.client.submit(_run_chunk, self.X, self.y, [tasks[i] for i in c], kw,
                                      pure=False, retries=1)
                   for c in chunks]
        self.tasks_run += len(futures)
        out = [None] * len(tasks)
        from distributed import as_completed

        for future, chunk in _completed(as_completed(futures, loop=self.client.loop),
                                        futures, chunks):
            results = future.result()
            for i, res in zip(chunk, results):
                out[i] = res
                if progress is not None:  # the alphas this path computed or skipped
                    progress[0] += len(res["val_mse"]) if res.get("val_mse") is not None \
                        else len(res["alphas"])
        return out


def _completed(done, futures, chunks):
    where = {f.key: c for f, c in zip(futures, chunks)}
    for future in done:
        yield future, where[future.key]


def _run_chunk(X, y, tasks, kw):
    """One core call on a worker (the single-process code), fold paths' coefficients
    dropped before they travel back."""
    from ..linear_model._cv import _paths_core

    if kw.get("n_threads") is None:
        kw = dict(kw, n_threads=worker_threads())
    results = _paths_core(X, y, tasks, **kw)
    for task, res in zip(tasks, results):
        if task[2] is not None:  # a fold (validation weights): its errors are what counts
            res["coefs_csc"] = None
    return results
