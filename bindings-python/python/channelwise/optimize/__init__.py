"""What each channel's spend returns: response curves (:class:`Saturation`, :class:`Adstock`, in
pymc-marketing's and Robyn's parameterisations) and the media mix model (:class:`MMM`, fitted
into :class:`FittedMMM` with Laplace or bootstrap intervals).

>>> import channelwise as cw
>>> float(cw.optimize.Saturation("michaelis_menten", alpha=10.0, lam=50.0).value(50.0))
5.0
"""

from . import mmm, response
from .mmm import MMM, PRIORS, FittedMMM
from .response import Adstock, Saturation

__all__ = ["mmm", "response", "Saturation", "Adstock", "MMM", "FittedMMM", "PRIORS"]
