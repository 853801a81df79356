"""Writing shared vectors: JSON numbers with non-finite values spelled as strings, one file per
case under tests/vectors/<module>/ (the schema is in core/tests/common/mod.rs)."""

from __future__ import annotations

import json
import math
import os

import numpy as np


def f(v) -> float | str:
    """JSON number, or the string spelling of a non-finite value."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def arr(a) -> list:
    """A flat list of vector numbers."""
    return [f(v) for v in np.asarray(a, dtype=float).ravel()]


def write(root: str, module: str, name: str, vec: dict) -> None:
    """Writes `vec` as tests/vectors/<module>/<name>.json under `root`."""
    d = os.path.join(root, "tests", "vectors", module)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".json"), "w") as fh:
        json.dump(vec, fh, indent=1)
        fh.write("\n")
