"""The benchmark suite by regime: fastreg's lasso paths against every installed peer on
real and simulated data, at matched accuracy, printed as one table.

    python -m bench.suite --quick
    python -m bench.suite [--busy | --mask] [--cases PATTERN] [--repeat N]

See bench/suite/README.md for the cases, the protocol and the data sources.
"""
