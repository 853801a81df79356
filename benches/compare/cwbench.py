"""What the timing comparisons share: one BLAS thread, the repository's folders, and the criterion
bench binary that runs channelwise's side in its comparison mode (`CW_<NAME>_COMPARE`).

Import it before numpy (it sets the BLAS thread variables): clv.py, leads_predictive.py."""

from __future__ import annotations

import glob
import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "benches", "data")
RESULTS = os.path.join(HERE, "results")


def bench_binary(name: str) -> str:
    """The newest built `target/release/deps/<name>-*` criterion binary."""
    cands = [p for p in glob.glob(os.path.join(ROOT, "target", "release", "deps", f"{name}-*")) if os.access(p, os.X_OK) and not p.endswith(".d")]
    if not cands:
        raise SystemExit(f"build first: cargo bench -p channelwise-benches --bench {name} --no-run")
    return max(cands, key=os.path.getmtime)
