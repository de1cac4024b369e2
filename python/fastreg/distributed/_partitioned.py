"""A genotype design partitioned by columns across Dask workers, for X larger than one
machine: the elastic-net path with the working-set solver on the client.

Each worker owns some blocks of columns (``.bed`` filesets, memory-mapped there, opened
by the worker: nothing else of X is on it). Per alpha:

1. strong rule: the workers return the columns with |x_j^T r| > 2 alpha - alpha_prev for
   the previous alpha's residual r (glmnet's sequential strong rule), added to the
   working set W;
2. the client fits the path's next alpha on W's columns, fetched once from the workers
   that own them as their 2-bit ``.bed`` codes (n / 4 bytes a column) and cached, with
   fastreg's own core (warm-started);
3. KKT check: the client sends the residual (n floats) to every worker; each returns its
   columns outside W with |x_j^T r| > n alpha l1_ratio (with their gradients); none: the
   alpha is done; else they join W and the client solves again.

alpha_max is one more question of the same kind. Bytes moved each way and the rounds are
counted and returned. The answers equal the single-process path on the merged files at
the solver's tolerance (the working-set solve stops at the same duality gap: to 1e-10
relative at tol 1e-14, tests/test_distributed_partitioned.py).
"""

from __future__ import annotations

import threading
import time

import numpy as np

from . import _blocks
from ._client import resolve_client


class BlockLostError(RuntimeError):
    """A worker holding a block of a partitioned design was lost during the path."""


def enet_path(parts, y, *, client, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=False,
              tol=1e-4, max_iter=1000, dtype=np.float64, return_info=False, poll=0.5):
    """The elastic-net path over a design partitioned by columns across Dask workers.

    The objective, grid and arguments are those of :func:`fastreg.enet_path` (no sample
    weights, penalty factors or standardization here); the coefficients are the columns
    of ``parts``, concatenated in order.

    Parameters
    ----------
    parts : list of str or of lists of str
        The blocks: each a ``.bed`` prefix, a pattern (``"data/chr{1:4}"``) or a list of
        prefixes, opened on one worker (blocks go to the workers in turn). The files must
        be readable from the workers (a shared filesystem) and share their ``.fam``.
    y : array-like of shape (n_samples,)
    client : distributed.Client or str
        The cluster (a client, a scheduler address, or ``'auto'``).
    l1_ratio, eps, alphas, fit_intercept, tol, max_iter
        As :func:`fastreg.enet_path`.
    return_info : bool, default=False
        Also return a dict: ``rounds`` (KKT rounds per alpha), ``bytes_to_workers`` and
        ``bytes_from_workers`` (per alpha: residuals sent; violators and fetched columns
        received), ``working_set`` (its size per alpha), ``blocks`` (the worker of each),
        ``seconds``.
    poll : float, default=0.5
        Seconds between checks that the blocks' workers are alive while waiting.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
        Of the working set's problem at each alpha (the full problem's, as every other
        column satisfies its KKT condition).
    info : dict
        With ``return_info=True``.

    Raises
    ------
    BlockLostError
        When a worker holding a block is lost: the message names the block and its files.
    """
    from .. import _validation as v
    from ..genotypes import Genotypes
    from ..genotypes._plink1_multi import prefixes_of
    from ..linear_model import enet_path as local_path

    t0 = time.perf_counter()
    client = resolve_client(client)
    l1_ratio = v.unit_interval(l1_ratio, "l1_ratio")
    if l1_ratio == 0:
        raise ValueError("l1_ratio: the partitioned path needs l1_ratio > 0 (its working "
                         "set is the columns an L1 penalty keeps at zero)")
    if not isinstance(parts, (list, tuple)) or not parts:
        raise TypeError("parts: expected a non-empty list of .bed prefixes (or lists of "
                        "them), one block each")
    blocks = [prefixes_of(part) for part in parts]
    workers = sorted(client.scheduler_info(n_workers=-1)["workers"])
    if not workers:
        raise ValueError("client: the cluster has no workers")
    owner = [workers[b % len(workers)] for b in range(len(blocks))]
    names = [" + ".join(p + ".bed" for p in prefs) for prefs in blocks]
    held = [client.submit(_blocks.open_block, prefs, workers=[w], allow_other_workers=False,
                          pure=False)
            for prefs, w in zip(blocks, owner)]
    ask = _Asker(client, held, owner, names, poll)

    infos = ask(lambda b: (_blocks.block_info, held[b]))
    n = infos[0][0]
    for b, (n_b, _, digest) in enumerate(infos):
        if n_b != n or digest != infos[0][2]:
            raise ValueError(f"parts[{b}]: {names[b]} has other samples than {names[0]} "
                             "(the blocks' .fam files must agree)")
    sizes = np.array([i[1] for i in infos])
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    p = int(offsets[-1])
    y = np.asarray(v.target_array(y, n, np.dtype(dtype)), dtype=np.float64)
    if y.ndim != 1:
        raise ValueError("y: the partitioned path takes one target (a 1-d y)")
    center = bool(fit_intercept)
    ybar = y.mean() if center else 0.0
    r = y - ybar
    stride = (n + 3) // 4

    # the grid: alpha_max from every block's |x_j^T (y - ybar)|
    sent = received = 0
    a_max = max(ask(lambda b: (_blocks.alpha_max, held[b], r, center)))
    sent += 8 * n * len(blocks)
    received += 8 * len(blocks)
    a_max /= n * l1_ratio
    if np.ndim(alphas) == 0:
        k = v.positive_int(alphas, "alphas")
        grid = (np.full(k, a_max) if a_max <= 0 else
                np.geomspace(a_max, a_max * v.positive_real(eps, "eps"), k))
    else:
        grid = np.sort(np.asarray(alphas, dtype=np.float64))[::-1]
    info = dict(rounds=[], bytes_to_workers=[sent], bytes_from_workers=[received],
                working_set=[], blocks=list(zip(names, owner)))
    sent = received = 0

    W = np.empty(0, dtype=np.int64)      # working set, global column indices, sorted
    codes = np.empty((0, stride), dtype=np.uint8)  # their .bed codes, in W's order
    w = np.empty(0)
    coefs = np.zeros((p, len(grid)))
    gaps = np.zeros(len(grid))
    prev = a_max
    for i, alpha in enumerate(grid):
        rounds = 0
        thresholds = [n * l1_ratio * max(2 * alpha - prev, 0.0), n * l1_ratio * alpha]
        for step, threshold in enumerate(thresholds):
            while True:
                # columns to add: the strong rule once, then the KKT check until it passes
                found = ask(lambda b: (_blocks.above, held[b], r, center, threshold,
                                       _local(W, offsets, b)))
                rounds += 1
                sent += 8 * n * len(blocks)
                new = np.concatenate([idx + offsets[b] for b, (idx, _) in enumerate(found)])
                received += 16 * new.size
                if new.size:
                    fetched = ask(lambda b: (_blocks.column_codes, held[b], found[b][0]),
                                  only=[b for b, (idx, _) in enumerate(found) if idx.size])
                    add = np.concatenate([c for c in fetched if c is not None])
                    received += add.nbytes
                    W, order = np.unique(np.concatenate([W, new]), return_index=True)
                    codes = np.concatenate([codes, add])[order]
                    w = np.concatenate([w, np.zeros(new.size)])[order]
                if not new.size and step == 1:
                    break
                if W.size:
                    XW = Genotypes("bed", np.ascontiguousarray(codes).reshape(-1), n, W.size,
                                   dtype=dtype, source="working set")
                    _, c, g, b0 = local_path(XW, y, l1_ratio=l1_ratio, alphas=[alpha],
                                              coef_init=w, tol=tol, max_iter=max_iter,
                                              fit_intercept=fit_intercept,
                                              return_intercept=True)
                    w = c[:, 0].astype(np.float64)
                    gaps[i] = float(g[0])
                    r = y - XW @ w - float(b0[0])
                if step == 0:
                    break
        coefs[W, i] = w
        prev = alpha
        info["rounds"].append(rounds)
        info["working_set"].append(int(W.size))
        info["bytes_to_workers"].append(sent)
        info["bytes_from_workers"].append(received)
        sent = received = 0
    for f in held:
        f.release()
    info["seconds"] = time.perf_counter() - t0
    out = (grid, coefs, gaps)
    return out + (info,) if return_info else out


def lasso_path(parts, y, *, client, **params):
    """:func:`enet_path` with ``l1_ratio=1`` (the lasso)."""
    return enet_path(parts, y, client=client, l1_ratio=1.0, **params)


def _local(W, offsets, b):
    """The working set's columns in block b, as the block's own indices."""
    lo, hi = np.searchsorted(W, [offsets[b], offsets[b + 1]])
    return W[lo:hi] - offsets[b]


class _Asker:
    """Runs one question per block on the block's worker and waits for the answers,
    checking meanwhile that the workers are alive: a task pinned to a lost worker would
    wait for it forever, so a lost one is an error naming its block."""

    def __init__(self, client, held, owner, names, poll):
        self.client, self.held, self.owner, self.names, self.poll = client, held, owner, names, poll
        self.opened = False  # whether the blocks are open (after the first question)

    def __call__(self, question, only=None):
        which = range(len(self.held)) if only is None else only
        futures = {}
        for b in which:
            fn, *args = question(b)
            futures[b] = self.client.submit(fn, *args, workers=[self.owner[b]],
                                            allow_other_workers=False, pure=False)
        # result() of a task whose worker died after it finished waits for it to run
        # again, pinned to that worker: the results are fetched on a helper thread while
        # this one checks the workers, and cancelled when one is lost
        box = {}

        def fetch():
            try:
                box["out"] = {b: f.result() for b, f in futures.items()}
            except BaseException as e:  # noqa: BLE001 (re-raised below, on this thread)
                box["error"] = e

        helper = threading.Thread(target=fetch, daemon=True)
        helper.start()
        while True:
            helper.join(self.poll)
            try:
                self._check()
            except BlockLostError:
                self.client.cancel(list(futures.values()))
                raise
            if not helper.is_alive():
                break
        if "error" in box:
            raise box["error"]
        self.opened = True
        out = [None] * len(self.held)
        for b, value in box["out"].items():
            out[b] = value
        return out

    def _check(self):
        alive = set(self.client.scheduler_info(n_workers=-1)["workers"])
        for b, (w, f) in enumerate(zip(self.owner, self.held)):
            # a block's future runs again (pending) once its worker is gone
            if w not in alive or f.status in ("error", "cancelled", "lost") or (
                    self.opened and f.status != "finished"):
                raise BlockLostError(
                    f"block {b} ({self.names[b]}) was lost with its worker {w}: the "
                    "partitioned path cannot go on without it; start the path again")

