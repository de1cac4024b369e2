"""Fits on a Dask cluster (``pip install 'fastreg[dask]'``): the same answers as one
process, X never shipped per task.

- ``LassoCV(..., client=client)`` / ``ElasticNetCV(..., client=client)``: the fold paths
  (per l1_ratio) run as Dask tasks, in chunks that share their passes over X as the
  single-process fit does; the CV curve and the one-standard-error rule are computed on the
  client (_cv.py);
- :func:`fit_phenotypes`: one model per phenotype column, one task each (_phenotypes.py);
- :func:`lasso_path`, :func:`enet_path`: a genotype design partitioned by columns across
  the workers, the working-set solver on the client (_partitioned.py, _blocks.py).

A :class:`fastreg.Genotypes` read from files travels as its paths, sample selection and
covariates (each worker maps the files itself: a shared filesystem); any other X is
scattered to every worker once per fit (``client.scatter(X, broadcast=True)``). Dask is
imported when these run, never by ``import fastreg``. See docs/distributed.md.
"""

__all__ = ["fit_phenotypes", "lasso_path", "enet_path", "BlockLostError"]

_WHERE = {"fit_phenotypes": "_phenotypes", "lasso_path": "_partitioned",
          "enet_path": "_partitioned", "BlockLostError": "_partitioned"}


def __getattr__(name):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'fastreg.distributed' has no attribute {name!r}")
