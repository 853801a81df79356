//! Time-decay attribution: touches closer to the conversion earn more, halving every half-life.

use serde::{Deserialize, Serialize};

use super::credit::ChannelCredit;
use crate::error::{Error, Result};
use crate::journey::Journeys;

/// A half-life in seconds: finite and greater than 0.
///
/// ```
/// use channelwise::{attribution::HalfLife, ErrorKind};
/// assert_eq!(HalfLife::hours(168.0)?, HalfLife::days(7.0)?);
/// assert_eq!(HalfLife::days(1.0)?.as_seconds(), 86_400.0);
/// assert_eq!(HalfLife::seconds(0.0).unwrap_err().kind(), ErrorKind::InvalidParameter);
/// assert_eq!(HalfLife::seconds(f64::NAN).unwrap_err().kind(), ErrorKind::NonFinite);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct HalfLife(f64);

impl HalfLife {
    /// A half-life of `s` seconds.
    ///
    /// # Errors
    /// [`Error::NonFinite`] if `s` is NaN or infinite; [`Error::InvalidParameter`] if `s <= 0`.
    pub fn seconds(s: f64) -> Result<Self> {
        Self::checked("half_life_seconds", s)
    }

    /// A half-life of `h` hours.
    ///
    /// # Errors
    /// As [`HalfLife::seconds`], for `h * 3600`.
    pub fn hours(h: f64) -> Result<Self> {
        Self::checked("half_life_hours", h).and_then(|_| Self::seconds(h * 3600.0))
    }

    /// A half-life of `d` days.
    ///
    /// # Errors
    /// As [`HalfLife::seconds`], for `d * 86400`.
    pub fn days(d: f64) -> Result<Self> {
        Self::checked("half_life_days", d).and_then(|_| Self::seconds(d * 86_400.0))
    }

    /// The half-life in seconds.
    pub fn as_seconds(self) -> f64 {
        self.0
    }

    fn checked(field: &str, x: f64) -> Result<Self> {
        if !x.is_finite() {
            return Err(Error::NonFinite { field: field.into(), value: x });
        }
        if x <= 0.0 {
            return Err(Error::param(field, x, "must be greater than 0"));
        }
        Ok(HalfLife(x))
    }
}

impl<'de> Deserialize<'de> for HalfLife {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        HalfLife::seconds(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Time-decay attribution over [`Journeys`] (it needs timestamps, so it does not take a
/// [`PathTable`](crate::journey::PathTable)).
///
/// Each converting journey's conversion and value are split over its touches with weight
/// `2^(-dt / half_life)`, where `dt` is the conversion time minus the touch time, normalised
/// so the journey's weights sum to 1. A channel touched twice earns both weights. Null journeys
/// earn nothing.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `half_life_seconds` | 604 800 (7 days) | a touch this long before the conversion weighs half of one at the conversion | finite, > 0 |
///
/// ```
/// use channelwise::{attribution::TimeDecay, journey::{Conversion, JourneyBuilder, Touchpoint}};
/// let day = 86_400;
/// let touches = [Touchpoint::new("u", 0, "display"), Touchpoint::new("u", 7 * day, "search")];
/// let journeys = JourneyBuilder::new().build(&touches, &[Conversion::new("u", 7 * day, 30.0)])?;
/// let credit = TimeDecay::default().fit(&journeys)?;
/// // display is one half-life old: weight 1/2 against search's 1, so 1/3 and 2/3.
/// assert_eq!(credit.channels, ["display", "search"]);
/// assert!((credit.conversions[0] - 1.0 / 3.0).abs() < 1e-12);
/// assert!((credit.value[1] - 20.0).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeDecay {
    half_life_seconds: f64,
}

impl Default for TimeDecay {
    fn default() -> Self {
        TimeDecay { half_life_seconds: 7.0 * 86_400.0 }
    }
}

impl TimeDecay {
    /// Sets the half-life in seconds (checked by [`TimeDecay::fit`]).
    pub fn half_life_seconds(mut self, seconds: f64) -> Self {
        self.half_life_seconds = seconds;
        self
    }

    /// Sets an already checked half-life.
    pub fn half_life(mut self, half_life: HalfLife) -> Self {
        self.half_life_seconds = half_life.as_seconds();
        self
    }

    /// Credits every converting journey's conversion and value to its touches.
    ///
    /// Channels and their order are those of [`Journeys::channels`]. Credited conversions sum
    /// to the number of converting journeys, credited value to their total value.
    ///
    /// # Errors
    /// [`Error::NonFinite`] / [`Error::InvalidParameter`] if the half-life is not finite and > 0.
    ///
    /// ```
    /// use channelwise::{attribution::TimeDecay, journey::JourneyBuilder, ErrorKind};
    /// let journeys = JourneyBuilder::new().build(&[], &[])?;
    /// let err = TimeDecay::default().half_life_seconds(-1.0).fit(&journeys).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidParameter);
    /// assert_eq!(err.to_string(), "invalid half_life_seconds: \"-1\" (must be greater than 0)");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn fit(&self, journeys: &Journeys) -> Result<ChannelCredit> {
        let h = HalfLife::seconds(self.half_life_seconds)?.as_seconds();
        let mut credit = ChannelCredit::zeros(journeys.channels());
        let mut w: Vec<f64> = Vec::new();
        for j in journeys.iter() {
            let Some(t_conv) = j.conversion_time else { continue };
            // dt >= 0 since touches precede their conversion; i128 avoids overflow on extremes.
            let dt = |ts: i64| (i128::from(t_conv) - i128::from(ts)).max(0) as f64;
            // Measure from the touch nearest the conversion, so that weights never all underflow.
            let dt_min = j.timestamps.iter().map(|&ts| dt(ts)).fold(f64::INFINITY, f64::min);
            w.clear();
            w.extend(j.timestamps.iter().map(|&ts| (-(dt(ts) - dt_min) / h).exp2()));
            let total: f64 = w.iter().sum();
            if total <= 0.0 {
                continue; // an empty journey; `build` never makes one
            }
            for (&ch, &wi) in j.touches.iter().zip(&w) {
                let share = wi / total;
                credit.conversions[ch as usize] += share;
                credit.value[ch as usize] += share * j.value;
            }
        }
        Ok(credit)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a panic is the failure report
mod tests {
    use super::*;
    use crate::journey::{Conversion, JourneyBuilder, Touchpoint};
    use crate::ErrorKind;

    const DAY: i64 = 86_400;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn hand_computed_weights() {
        // u1: a at -2d, b at -1d, a at 0 (half-life 1 day): weights 1/4, 1/2, 1 -> sum 7/4.
        // a gets (1/4 + 1)/(7/4) = 5/7, b 2/7; value 70 -> a 50, b 20.
        // u2: c alone converts: all to c. u3: never converts: nothing.
        let touches = [
            Touchpoint::new("u1", 10 * DAY, "a"),
            Touchpoint::new("u1", 9 * DAY, "b"),
            Touchpoint::new("u1", 8 * DAY, "a"),
            Touchpoint::new("u2", 0, "c"),
            Touchpoint::new("u3", 0, "b"),
        ];
        let conversions = [Conversion::new("u1", 10 * DAY, 70.0), Conversion::new("u2", 5 * DAY, 3.0)];
        let j = JourneyBuilder::new().build(&touches, &conversions).unwrap();
        let c = TimeDecay::default().half_life(HalfLife::days(1.0).unwrap()).fit(&j).unwrap();
        assert_eq!(c.channels, ["a", "b", "c"]);
        assert!(close(c.conversions[0], 5.0 / 7.0) && close(c.conversions[1], 2.0 / 7.0), "{c:?}");
        assert!(close(c.conversions[2], 1.0));
        assert!(close(c.value[0], 50.0) && close(c.value[1], 20.0) && close(c.value[2], 3.0), "{c:?}");
        assert!(close(c.total_conversions(), 2.0) && close(c.total_value(), 73.0));
    }

    #[test]
    fn far_touches_do_not_underflow() {
        // 10^4 half-lives apart: 2^-10000 underflows, yet the near touch must get all credit
        // and nothing must be lost.
        let touches = [Touchpoint::new("u", 0, "old"), Touchpoint::new("u", 10_000, "new")];
        let j = JourneyBuilder::new().lookback(i64::MAX).build(&touches, &[Conversion::new("u", 20_000, 1.0)]).unwrap();
        let c = TimeDecay::default().half_life_seconds(1.0).fit(&j).unwrap();
        assert_eq!(c.conversions, [1.0, 0.0]);
    }

    #[test]
    fn half_life_bounds() {
        assert!(HalfLife::seconds(f64::MIN_POSITIVE).is_ok());
        assert!(HalfLife::seconds(f64::MAX).is_ok());
        assert_eq!(HalfLife::seconds(0.0).unwrap_err().kind(), ErrorKind::InvalidParameter);
        assert_eq!(HalfLife::seconds(-3.0).unwrap_err().kind(), ErrorKind::InvalidParameter);
        assert_eq!(HalfLife::seconds(f64::INFINITY).unwrap_err().kind(), ErrorKind::NonFinite);
        assert_eq!(HalfLife::days(f64::NAN).unwrap_err().to_string(), "half_life_days must be finite, got NaN");
        // finite days whose seconds overflow
        assert_eq!(HalfLife::days(f64::MAX).unwrap_err().kind(), ErrorKind::NonFinite);
        assert!(serde_json::from_str::<HalfLife>("0.0").is_err());
        assert_eq!(serde_json::from_str::<HalfLife>("60.0").unwrap().as_seconds(), 60.0);
        let j = JourneyBuilder::new().build(&[], &[]).unwrap();
        assert_eq!(TimeDecay::default().half_life_seconds(f64::NAN).fit(&j).unwrap_err().kind(), ErrorKind::NonFinite);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn credit_sums_to_conversions_and_value(
                events in proptest::collection::vec((0u8..4, 0i64..1000, 0u8..3), 1..60),
                convs in proptest::collection::vec((0u8..4, 0i64..1200, 0.0f64..100.0), 0..10),
                half_life in 0.5f64..1e6,
            ) {
                let touches: Vec<_> = events.iter()
                    .map(|&(u, t, c)| Touchpoint::new(format!("u{u}"), t, ["a", "b", "c"][c as usize]))
                    .collect();
                let conversions: Vec<_> = convs.iter().map(|&(u, t, v)| Conversion::new(format!("u{u}"), t, v)).collect();
                let j = JourneyBuilder::new().lookback(500).build(&touches, &conversions).unwrap();
                let c = TimeDecay::default().half_life_seconds(half_life).fit(&j).unwrap();
                let value: f64 = j.iter().filter(|x| x.converted).map(|x| x.value).sum();
                prop_assert!((c.total_conversions() - j.report().conversions as f64).abs() < 1e-9);
                prop_assert!((c.total_value() - value).abs() < 1e-9 * value.max(1.0));
                prop_assert!(c.conversions.iter().chain(&c.value).all(|x| x.is_finite() && *x >= 0.0));
            }
        }
    }
}
