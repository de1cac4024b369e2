"""Ctrl-C stops an elementwise kernel on a huge array.

Every elementwise kernel (soft_threshold, enet_prox and the dropout family) walks its
elements through one driver, ``parallel_chunks`` in cpp/include/fastreg/parallel.hpp,
which checks for a pending signal between slabs of 2**24 elements. The case here is the one
whose memory stays small for a call that lasts over a second on any machine: a packed
dropout mask of 2**32 elements (512 MB) on one thread. It runs in a fresh interpreter that
sends itself a real SIGINT 0.1 s into the call; the call must raise ``KeyboardInterrupt``
within 0.5 s of the signal, and the kernels must work, with the same answers, afterwards.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


@pytest.mark.large
def test_ctrl_c_stops_a_kernel_on_a_huge_array():
    code = """
        import os, signal, threading, time
        import numpy as np, fastreg
        fastreg.set_num_threads(1)
        small = np.linspace(-2, 2, 1001)
        def answers():
            return (fastreg.soft_threshold(small, 0.5), fastreg.enet_prox(small, 0.5, 0.5),
                    fastreg.dropout(small, 0.5, seed=3), fastreg.dropout_mask(10**5, 0.5, seed=3))
        before = answers()
        sent = []
        def send():
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)
        threading.Timer(0.1, send).start()
        start = time.perf_counter()
        try:
            fastreg.dropout_mask(1 << 32, 0.5, seed=1, packed=True)
        except KeyboardInterrupt:
            print("stopped", time.perf_counter() - sent[0])
        else:
            print("finished", time.perf_counter() - start)
        print(all(np.array_equal(a, b) for a, b in zip(before, answers())))
        """
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    word, seconds, same = proc.stdout.split()
    assert word == "stopped", proc.stdout
    assert float(seconds) < 0.5, proc.stdout
    assert same == "True", proc.stdout
