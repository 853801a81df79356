"""A seeded event log for the scale tests (Spark, the warehouse SQL, polars buckets)."""

import numpy as np
import pandas as pd

DAY = 86_400


def event_log(n: int, seed: int, channels, days: int = 60, step: int = 1, per_user: int = 8):
    """About ``n`` events (85% touches) of ``n / per_user`` users over ``days`` days, times in
    multiples of ``step`` seconds (a coarse step makes same-second ties), whole-number values
    (sums exact in any order) and a ``type`` column with 20% leads."""
    rng = np.random.default_rng(seed)
    users = max(1, n // per_user)
    n_t = int(n * 0.85)
    n_c = n - n_t
    slots = days * DAY // step
    touches = pd.DataFrame(
        {
            "user_id": np.char.add("u", rng.integers(0, users, n_t).astype(str)),
            "timestamp": rng.integers(0, slots, n_t) * step,
            "channel": np.array(channels)[rng.integers(0, len(channels), n_t)],
        }
    )
    conversions = pd.DataFrame(
        {
            "user_id": np.char.add("u", rng.integers(0, users, n_c).astype(str)),
            "timestamp": rng.integers(0, slots, n_c) * step,
            "value": rng.integers(0, 20_000, n_c).astype(np.float64),
            "type": np.where(rng.random(n_c) < 0.2, "lead", "purchase"),
        }
    )
    return touches, conversions
