"""Progress and cancellation of the long calls: ``progress=True`` (tqdm, or a plain counter
without it), ``progress=callable``, a callable that stops the work, and Ctrl-C (in process and
as a real SIGINT to a child process), each stopping promptly without a partial result."""

from __future__ import annotations

import _thread
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pandas as pd
import polars as pl
import pytest

import channelwise as cw

SMALL = pd.DataFrame(
    {
        "path": ["a>b", "b", "a>c", "c", "b>c>a", "d>a"],
        "conversions": [3, 1, 2, 0, 4, 1],
        "nulls": [1, 4, 2, 3, 2, 5],
        "value": [30.0, 10.0, 25.0, 0.0, 44.0, 9.0],
    }
)


def big_table(rows: int = 3000, channels: int = 12, seed: int = 1) -> pd.DataFrame:
    """A table whose order-2 Markov bootstrap costs milliseconds a replicate."""
    rng = np.random.default_rng(seed)
    paths = [">".join(f"ch{c}" for c in rng.integers(0, channels, rng.integers(1, 8))) for _ in range(rows)]
    conversions = rng.integers(0, 5, rows)
    return pd.DataFrame(
        {
            "path": paths,
            "conversions": conversions,
            "nulls": rng.integers(0, 20, rows),
            "value": conversions * rng.uniform(0, 100, rows),
        }
    )


class Recorder:
    def __init__(self, stop_at: int | None = None) -> None:
        self.calls: list = []
        self.stop_at = stop_at
        self.threads: set = set()

    def __call__(self, done: int, total: int):
        self.calls.append((done, total))
        self.threads.add(threading.get_ident())
        if self.stop_at is not None and done >= self.stop_at:
            return False
        return None


def check_reports(calls: list, total: int) -> None:
    assert calls, "no report"
    dones = [d for d, _ in calls]
    assert all(t == total for _, t in calls)
    assert dones == sorted(set(dones)), dones  # strictly increasing
    assert dones[-1] == total


def series_frame(n_series: int = 6, n: int = 48, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_series):
        t = np.arange(n)
        y = 50 + 5 * s + 0.3 * t + 4 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, n)
        ds = pd.date_range("2020-01-01", periods=n, freq="MS")
        rows.append(pd.DataFrame({"unique_id": f"s{s}", "ds": ds, "y": y}))
    return pd.concat(rows, ignore_index=True)


# --- the callable form --------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda p: cw.attribution.markov(SMALL, ci=dict(replicates=300, seed=2), progress=p),
        lambda p: cw.attribution.shapley(SMALL, ci=dict(replicates=300, seed=2), progress=p),
        lambda p: cw.attribution.Markov().fit(SMALL).shapley("sampled", permutations=400, seed=3, progress=p),
        lambda p: cw.attribution.Markov().fit(SMALL).shapley("exact", progress=p),
    ],
    ids=["markov_ci", "shapley_ci", "markov_shapley_sampled", "markov_shapley_exact"],
)
def test_callable_progress_is_complete_and_changes_no_number(call):
    plain = call(False)
    rec = Recorder()
    with_progress = call(rec)
    pd.testing.assert_frame_equal(plain, with_progress, check_exact=True)
    total = rec.calls[-1][1]
    check_reports(rec.calls, total)
    assert rec.threads == {threading.get_ident()}, "the callback runs on the calling thread"


def test_callable_returning_false_stops_with_cancelled_error():
    t0 = time.perf_counter()
    with pytest.raises(cw.CancelledError) as e:
        cw.attribution.markov(SMALL, ci=dict(replicates=5_000_000), progress=lambda d, t: d < 100)
    assert time.perf_counter() - t0 < 10
    assert e.value.code == "cancelled"
    assert isinstance(e.value, cw.ChannelwiseError) and isinstance(e.value, ValueError)
    assert str(e.value).startswith("bootstrap intervals cancelled after ")
    assert str(e.value).endswith(" of 5000000 replicates")


def test_an_exception_in_the_callback_stops_the_work_and_propagates():
    def boom(done, total):
        raise RuntimeError(f"callback failed at {done}")

    with pytest.raises(RuntimeError, match="callback failed"):
        cw.attribution.shapley(SMALL, ci=dict(replicates=5_000_000), progress=boom)


def test_bad_progress_argument():
    for call in (
        lambda: cw.attribution.markov(SMALL, ci=True, progress="yes"),
        lambda: cw.attribution.markov(SMALL, progress=3),
        lambda: cw.forecast.AutoEts().fit_many([[1.0, 2.0, 3.0, 4.0, 5.0]], progress=[1]),
    ):
        with pytest.raises(cw.InvalidParameterError, match="invalid progress"):
            call()


# --- progress=True ------------------------------------------------------------------------


def test_progress_true_draws_a_tqdm_bar(capsys):
    pytest.importorskip("tqdm")
    out = cw.attribution.markov(SMALL, ci=dict(replicates=400), progress=True)
    err = capsys.readouterr().err
    assert "bootstrap" in err and "400/400" in err, err
    pd.testing.assert_frame_equal(out, cw.attribution.markov(SMALL, ci=dict(replicates=400)))


def test_progress_true_without_tqdm_prints_a_plain_counter(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes `import tqdm...` raise ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    fits = cw.forecast.AutoEts(season_length=12).fit_many(series_frame(3), progress=True)
    err = capsys.readouterr().err
    assert err.rstrip().endswith("AutoETS: 3/3 series (100%)"), repr(err)
    assert len(fits) == 3


# --- Ctrl-C -------------------------------------------------------------------------------


def test_ctrl_c_stops_a_long_bootstrap_promptly():
    df = big_table()
    t0 = time.perf_counter()
    cw.attribution.markov(df, order=2, ci=dict(replicates=20))
    per_replicate = (time.perf_counter() - t0) / 20
    replicates = max(2000, int(30 / per_replicate))  # a full run would take 30 s or more
    rec = Recorder()
    timer = threading.Timer(0.5, _thread.interrupt_main)
    t0 = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt) as e:
            cw.attribution.markov(df, order=2, ci=dict(replicates=replicates), progress=rec)
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - t0
    assert elapsed < 5, f"stopped after {elapsed:.1f} s"
    cause = e.value.__cause__
    assert isinstance(cause, cw.CancelledError), repr(cause)
    assert f"of {replicates} replicates" in str(cause)
    done = int(str(cause).split(" cancelled after ")[1].split(" of ")[0])
    assert done < replicates / 4


CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    import channelwise as cw

    rng = np.random.default_rng(0)
    ys = [list(100 + np.cumsum(rng.normal(0, 1, 400)) + 10 * np.sin(np.arange(400) * 2 * np.pi / 24)) for _ in range(4000)]

    def report(done, total):
        print(f"progress {done} {total}", flush=True)

    cw.forecast.AutoEts(season_length=24).fit_many(ys, progress=report)
    print("finished", flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_sigint_stops_fit_many_in_a_child_process():
    import signal

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        first = child.stdout.readline()  # the fits have started
        assert first.startswith("progress"), first + child.stderr.read()
        time.sleep(0.3)
        t0 = time.perf_counter()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
        elapsed = time.perf_counter() - t0
    finally:
        child.kill()
    assert "finished" not in out
    assert child.returncode != 0
    assert "KeyboardInterrupt" in err, err
    assert "channelwise.CancelledError: automatic ETS cancelled after" in err, err
    assert elapsed < 10, f"stopped {elapsed:.1f} s after SIGINT"
    last = [line for line in (first + out).splitlines() if line.startswith("progress")][-1]
    done, total = map(int, last.split()[1:])
    assert total == 4000 and done < total / 4


# --- AutoEts.fit_many ---------------------------------------------------------------------


def test_fit_many_long_frame_equals_fit_per_series_in_any_row_order():
    df = series_frame()
    shuffled = df.sample(frac=1.0, random_state=3)
    rec = Recorder()
    spec = cw.forecast.AutoEts(season_length=12)
    fits = spec.fit_many(shuffled, progress=rec)
    assert list(fits) == list(dict.fromkeys(shuffled["unique_id"]))
    check_reports(rec.calls, 6)
    for uid, g in df.groupby("unique_id"):
        one = spec.fit(g.set_index("ds")["y"])
        assert fits[uid].model == one.model
        assert fits[uid].aicc == one.aicc
        np.testing.assert_array_equal(fits[uid].fitted, one.fitted)
    pred = fits["s0"].predict(3, level=[95])
    assert list(pred.index) == list(pd.date_range("2024-01-01", periods=3, freq="MS"))


def test_fit_many_polars_dict_and_list_inputs():
    df = series_frame(3)
    spec = cw.forecast.AutoEts(season_length=12)
    by_pandas = spec.fit_many(df)
    by_polars = spec.fit_many(pl.from_pandas(df))
    series = {uid: g["y"].to_numpy() for uid, g in df.groupby("unique_id", sort=False)}
    by_dict = spec.fit_many(series)
    by_list = spec.fit_many(list(series.values()))
    assert list(by_list) == [0, 1, 2]
    for i, uid in enumerate(series):
        assert by_pandas[uid].aicc == by_polars[uid].aicc == by_dict[uid].aicc == by_list[i].aicc
    assert isinstance(by_polars["s0"].predict(2), pl.DataFrame)


def test_fit_many_names_the_series_that_cannot_be_fitted():
    with pytest.raises(cw.NotEnoughDataError, match=r"^series 'short': "):
        cw.forecast.AutoEts().fit_many({"ok": [float(t % 5) for t in range(30)], "short": [1.0, 2.0]})
    with pytest.raises(cw.InvalidParameterError, match="no column 'y'"):
        cw.forecast.AutoEts().fit_many(pd.DataFrame({"unique_id": ["a"], "ds": [1], "value": [1.0]}))
    with pytest.raises(cw.InvalidParameterError, match="model"):
        cw.forecast.AutoEts(model="ZZX").fit_many([[1.0, 2.0, 3.0, 4.0, 5.0]])


def test_fit_many_refuses_rows_without_an_id_or_a_time():
    # pandas' groupby drops the rows of a missing id: a series would vanish from the result
    # without a word; a missing time has no place in its series. Both are refused, by row.
    df = series_frame(2)
    no_id = df.assign(unique_id=df["unique_id"].where(df.index != 30, None))
    no_time = df.assign(ds=df["ds"].where(df.index != 7, pd.NaT))
    for frame in (no_id, pl.from_pandas(no_id)):
        with pytest.raises(cw.InvalidParameterError, match=r"^invalid data\.unique_id\[30\]: None \(a missing series id"):
            cw.forecast.AutoEts(season_length=12).fit_many(frame)
    for frame in (no_time, pl.from_pandas(no_time)):
        with pytest.raises(cw.InvalidParameterError, match=r"^invalid data\.ds\[7\]: None \(a missing time"):
            cw.forecast.AutoEts(season_length=12).fit_many(frame)
    # without a time column, only the id is needed
    assert list(cw.forecast.AutoEts(season_length=12).fit_many(df.drop(columns="ds"), time_col=None)) == ["s0", "s1"]
