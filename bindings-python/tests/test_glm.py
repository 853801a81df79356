"""cw.glm.LogisticRegression's penalties beyond the shared vectors (which run every penalty from
rows, numpy, pandas and polars): scikit-learn's names, the elastic net's l1_ratio, typed errors."""

import numpy as np
import pytest

import channelwise as cw

X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]
Y = [0, 0, 1, 0, 1, 1]


def test_l1_zeroes_a_weak_coefficient_and_l1_ratio_zero_is_l2():
    assert cw.glm.LogisticRegression(penalty="l1", c=0.01).fit(X, Y).coef_[0] == 0.0
    assert cw.glm.LogisticRegression(penalty="l1").fit(X, Y).coef_[0] > 0.0
    l2 = cw.glm.LogisticRegression().fit(X, Y).coef_
    net0 = cw.glm.LogisticRegression(penalty="elasticnet", l1_ratio=0.0).fit(X, Y).coef_
    np.testing.assert_allclose(net0, l2, rtol=0, atol=1e-12)
    net = cw.glm.LogisticRegression(penalty="elasticnet", l1_ratio=0.5)
    assert net.fit(X, Y).coef_[0] > 0.0
    assert "l1_ratio=0.5" in repr(net)


def test_bad_penalties_are_typed():
    with pytest.raises(cw.InvalidParameterError, match="penalty"):
        cw.glm.LogisticRegression(penalty="l3")
    with pytest.raises(cw.InvalidParameterError, match="l1_ratio"):
        cw.glm.LogisticRegression(penalty="elasticnet")
    with pytest.raises(cw.OutOfRangeError, match="l1_ratio"):
        cw.glm.LogisticRegression(penalty="elasticnet", l1_ratio=1.5).fit(X, Y)
    with pytest.raises(cw.NonFiniteError, match="l1_ratio"):
        cw.glm.LogisticRegression(penalty="elasticnet", l1_ratio=float("nan")).fit(X, Y)
