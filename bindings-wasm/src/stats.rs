//! `stats.*`: correlation (Pearson, Spearman, Kendall, cross-correlation) and trend tests
//! (Mann-Kendall, Theil-Sen), with the Node binding's names and result shapes. Series are
//! `number[] | Float64Array` (or another non-BigInt typed array), read by
//! [`convert::column`](crate::convert::column); the core checks finiteness, lengths and sizes.

use channelwise::stats;
use channelwise::Error;
use js_sys::Object;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{self, Opts};
use crate::error::{guard, Result};
use crate::values::{array, numbers, set, set_num, JsResult};

fn pair(x: &JsValue, y: &JsValue) -> Result<(Vec<f64>, Vec<f64>)> {
    Ok((convert::column(x, "x")?, convert::column(y, "y")?))
}

/// `{ statistic, pValue, n }`.
fn correlation(c: &stats::Correlation) -> JsValue {
    let o = Object::new();
    set_num(&o, "statistic", c.statistic);
    set_num(&o, "pValue", c.p_value);
    set_num(&o, "n", c.n as f64);
    o.into()
}

/// `options.alpha`, default 0.05.
fn alpha(options: &JsValue) -> Result<f64> {
    let o = Opts::new(options, "options", &["alpha"])?;
    Ok(convert::number_option(&o, "alpha")?.unwrap_or(0.05))
}

/// Pearson's product-moment correlation (`scipy.stats.pearsonr`): `{ statistic, pValue, n }`.
#[wasm_bindgen(js_name = statsPearson)]
pub fn stats_pearson(x: JsValue, y: JsValue) -> JsResult {
    guard(|| {
        let (x, y) = pair(&x, &y)?;
        Ok(correlation(&stats::pearson(&x, &y)?))
    })
}

/// Spearman's rank correlation (`scipy.stats.spearmanr`): `{ statistic, pValue, n }`.
#[wasm_bindgen(js_name = statsSpearman)]
pub fn stats_spearman(x: JsValue, y: JsValue) -> JsResult {
    guard(|| {
        let (x, y) = pair(&x, &y)?;
        Ok(correlation(&stats::spearman(&x, &y)?))
    })
}

/// Kendall's tau-b (`scipy.stats.kendalltau`): `{ statistic, pValue, n }`.
#[wasm_bindgen(js_name = statsKendall)]
pub fn stats_kendall(x: JsValue, y: JsValue) -> JsResult {
    guard(|| {
        let (x, y) = pair(&x, &y)?;
        Ok(correlation(&stats::kendall(&x, &y)?))
    })
}

/// Correlation of `x[t + k]` with `y[t]` for `k = -maxLag..=maxLag` (R's `ccf`):
/// `{ lags, values }`.
#[wasm_bindgen(js_name = statsCrossCorrelation)]
pub fn stats_cross_correlation(x: JsValue, y: JsValue, max_lag: JsValue) -> JsResult {
    guard(|| {
        let (x, y) = pair(&x, &y)?;
        let max_lag = convert::size(&max_lag, "maxLag")?;
        let c = stats::cross_correlation(&x, &y, max_lag)?;
        let out = Object::new();
        set(
            &out,
            "lags",
            &array(c.lags.iter().map(|&k| JsValue::from_f64(k as f64))),
        );
        set(&out, "values", &numbers(&c.values));
        Ok(out.into())
    })
}

/// The Mann-Kendall trend test (`pymannkendall.original_test`), `options.alpha` default 0.05:
/// `{ trend, h, p, z, tau, s, varS, n }`.
#[wasm_bindgen(js_name = statsMannKendall)]
pub fn stats_mann_kendall(x: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let alpha = alpha(&options)?;
        let x = convert::column(&x, "x")?;
        let r = stats::mann_kendall(&x, alpha)?;
        let out = Object::new();
        set(&out, "trend", &JsValue::from_str(r.trend.as_str()));
        set(&out, "h", &JsValue::from_bool(r.h));
        set_num(&out, "p", r.p);
        set_num(&out, "z", r.z);
        set_num(&out, "tau", r.tau);
        set_num(&out, "s", r.s);
        set_num(&out, "varS", r.var_s);
        set_num(&out, "n", r.n as f64);
        Ok(out.into())
    })
}

/// Most points `theilSen` takes here: it keeps all n (n - 1) / 2 pairwise slopes (8 bytes each),
/// and wasm32 memory ends at 4 GiB, where an allocation failure would abort (a trap), not
/// return an error. 16384 points are 1 GiB of slopes.
const THEIL_SEN_MAX_POINTS: usize = 16_384;

/// The Theil-Sen slope of `y` against `x` (`scipy.stats.theilslopes`), `options.alpha` default
/// 0.05: `{ slope, intercept, lowSlope, highSlope }`.
#[wasm_bindgen(js_name = statsTheilSen)]
pub fn stats_theil_sen(x: JsValue, y: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let alpha = alpha(&options)?;
        let (x, y) = pair(&x, &y)?;
        if x.len() > THEIL_SEN_MAX_POINTS && x.len() == y.len() {
            return Err(Error::OutOfRange {
                field: "x.length".into(),
                value: x.len() as f64,
                min: 2.0,
                max: THEIL_SEN_MAX_POINTS as f64,
            });
        }
        let r = stats::theil_sen(&x, &y, alpha)?;
        let out = Object::new();
        set_num(&out, "slope", r.slope);
        set_num(&out, "intercept", r.intercept);
        set_num(&out, "lowSlope", r.low_slope);
        set_num(&out, "highSlope", r.high_slope);
        Ok(out.into())
    })
}
