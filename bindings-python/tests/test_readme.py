"""The README example: the lead copies the block between the markers into README.md."""


def test_readme_example():
    # START: readme-python
    import pandas as pd
    import channelwise as cw

    paths = pd.DataFrame({
        "path": ["search>display", "email", "search>search>email", "display"],
        "conversions": [3, 1, 2, 0],
        "nulls": [1, 4, 0, 5],
        "value": [300.0, 50.0, 180.0, 0.0],
    })
    credit = cw.attribution.markov(paths, order=1, ci=dict(replicates=200, seed=0))
    print(credit[["channel", "conversions", "conversions_lo", "conversions_hi"]])
    side_by_side = cw.attribution.compare(paths)  # heuristics, Markov, Shapley
    # END: readme-python
    assert abs(credit["conversions"].sum() - 6.0) < 1e-9
    assert set(side_by_side["model"]) >= {"last_touch", "markov", "shapley"}


def test_readme_forecast_example():
    # START: readme-python-forecast
    import numpy as np
    import pandas as pd
    import channelwise as cw

    days = pd.date_range("2026-01-01", periods=364, freq="D")
    week = np.tile([1.1, 1.05, 1.0, 1.0, 0.95, 0.85, 0.9], 52)
    conversions = pd.Series(200 * week * (1 + np.arange(364) / 1000) + np.sin(np.arange(364)) * 5, index=days)
    conversions.iloc[300] *= 0.3  # a tracking outage

    model = cw.forecast.AutoEts(season_length=7).fit(conversions)  # statsforecast's names
    print(model.model, round(model.aicc, 1))
    fc = model.predict(h=28, level=[80, 95])  # mean, lo-80, hi-80, lo-95, hi-95 on dates
    alerts = model.alerts(level=99)  # why each flagged day is anomalous
    parts = cw.forecast.stl(conversions, period=7, robust=True)  # trend, seasonal, resid
    sesd = cw.anomaly.seasonal_esd(conversions, period=7, max_anoms=0.02)
    X = np.column_stack([conversions, week])
    forest = cw.anomaly.IsolationForest(contamination=0.01, seed=0).fit(X)
    flagged = np.flatnonzero(forest.predict(X) == -1)
    # model.plot(h=28), parts.plot() and sesd.plot() draw it (matplotlib)
    # END: readme-python-forecast
    assert list(fc.columns) == ["mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    assert fc.index[0] == pd.Timestamp("2026-12-31")
    assert 300 in set(alerts["index"])
    assert 0.5 < parts.seasonal_strength <= 1.0
    assert 300 in set(sesd.indices)
    assert 300 in set(flagged)
