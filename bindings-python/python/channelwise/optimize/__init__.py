"""What each channel's spend returns: response curves (:class:`Saturation`, :class:`Adstock`, in
pymc-marketing's and Robyn's parameterisations) and the media mix model (:class:`MMM`, fitted
into :class:`FittedMMM` with Laplace or bootstrap intervals), and budget allocation over the
curves (:func:`allocate`, with curve factories such as :func:`Hill` and :func:`Logistic`), and
plans over several periods with carry-over (:func:`plan` over :class:`Channel`).

>>> import channelwise as cw
>>> float(cw.optimize.Saturation("michaelis_menten", alpha=10.0, lam=50.0).value(50.0))
5.0
"""

from . import bids, budget, mmm, periods, response
from .bids import Bid, BidModel, FittedBids
from .budget import (
    Allocation,
    CurveDraws,
    DelayedAdstock,
    GeometricAdstock,
    Hill,
    Log,
    Logistic,
    MichaelisMenten,
    Power,
    Tanh,
    WeibullCDFAdstock,
    WeibullPDFAdstock,
    allocate,
    steady_state,
)
from .mmm import MMM, PRIORS, FittedMMM
from .periods import Channel, Plan, plan
from .recommend import Recommendations, insights, recommend
from .response import Adstock, Saturation

__all__ = ["bids", "budget", "mmm", "response", "BidModel", "FittedBids", "Bid", "Saturation", "Adstock", "MMM", "FittedMMM", "PRIORS", "recommend", "insights", "Recommendations"]
__all__ += budget.__all__
__all__ += ["periods"] + periods.__all__
