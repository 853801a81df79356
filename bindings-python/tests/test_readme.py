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
