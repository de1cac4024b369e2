import os
import sys

# `python -m bench.suite` from the repository root finds the package; `python bench/suite`
# (a folder run as a script) needs the root on the path.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from bench.suite.run import main  # noqa: E402

main()
