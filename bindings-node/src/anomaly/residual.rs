//! `anomaly.residualAlerts`: actuals outside their prediction interval, each with the reason
//! (also what `FittedEts.alerts` returns).

use channelwise::anomaly::residual::{residual_alerts as core_alerts, ResidualAlert};
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;

use crate::convert::{self, opt};
use crate::error::{guard, Result};

/// One actual outside its interval.
#[napi(object, js_name = "ResidualAlert")]
pub struct ResidualAlertRow {
    /// Position in the input.
    pub index: f64,
    /// The observed value.
    pub actual: f64,
    /// The expected (forecast) value.
    pub expected: f64,
    /// Lower bound of the interval.
    pub lower: f64,
    /// Upper bound of the interval.
    pub upper: f64,
    /// Interval level in percent.
    pub level: f64,
    /// Standardised residual (signed; infinite when the crossed side has zero width).
    pub score: f64,
    /// `"above"` or `"below"`.
    pub direction: String,
    /// A sentence saying why.
    pub reason: String,
}

pub(crate) fn alert_rows(alerts: Vec<ResidualAlert>) -> Vec<ResidualAlertRow> {
    alerts
        .into_iter()
        .map(|a| ResidualAlertRow {
            index: a.index as f64,
            actual: a.actual,
            expected: a.expected,
            lower: a.lower,
            upper: a.upper,
            level: a.level,
            score: a.score,
            direction: a.direction.as_str().to_string(),
            reason: a.reason,
        })
        .collect()
}

/// Actuals outside `[lower, upper]`: `series` is `{ actual, expected, lower, upper }` (equal
/// lengths), `options.level` the interval's level in percent (default 95).
#[napi(namespace = "anomaly", js_name = "residualAlerts")]
pub fn residual_alerts(
    series: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<Vec<ResidualAlertRow>> {
    guard(|| {
        let opts = convert::options(options, "options", &["level"])?;
        let level = opt(opts.as_ref(), "level", convert::number)?.unwrap_or(95.0);
        let s = convert::object(series, "series")?;
        let col = |name: &str| convert::numbers(convert::require(&s, name, name)?, name);
        let (actual, expected) = (col("actual")?, col("expected")?);
        let (lower, upper) = (col("lower")?, col("upper")?);
        Ok(alert_rows(core_alerts(
            &actual, &expected, &lower, &upper, level,
        )?))
    })
}
