"""The Dask client an entry point runs on, and the data every task shares.

Dask is imported here, when a fit is given a client, never by ``import fastreg``."""

from __future__ import annotations


def import_distributed():
    try:
        import distributed
    except ImportError:
        raise ImportError("client: fits on a Dask cluster need dask.distributed: "
                          "pip install 'fastreg[dask]'") from None
    return distributed


def resolve_client(client):
    """A ``distributed.Client`` from `client`: a Client, a scheduler address (str), or
    'auto' for the client of the current context (``distributed.get_client()``)."""
    distributed = import_distributed()
    if isinstance(client, distributed.Client):
        return client
    if isinstance(client, str):
        if client == "auto":
            try:
                return distributed.get_client()
            except ValueError:
                raise ValueError("client='auto': no Dask client is running; start one "
                                 "(distributed.Client(...)) or pass it") from None
        return distributed.Client(client, set_as_default=False)
    raise TypeError(f"client: expected a distributed.Client, a scheduler address or "
                    f"'auto', got {type(client).__name__}")


def share(client, value):
    """A future of `value` held by every worker: scattered once (a Genotypes read from
    files pickles as its paths, so each worker maps the files itself)."""
    return client.scatter(value, broadcast=True, hash=False)


def worker_threads():
    """Threads the worker running this task gives it (its ``nthreads``), None outside a
    worker: the core then uses no more, whatever CPUs the machine has."""
    try:
        from distributed import get_worker

        return int(get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):
        return None
