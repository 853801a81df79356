//! `forecast.Ets`, `forecast.AutoEts` and `FittedEts`: exponential smoothing state-space models
//! (the core's [`channelwise::forecast::ets`]), with the Node binding's names and shapes.
//!
//! A fitted model keeps Rust state (the last states the forecasts start from), so it lives in
//! the wasm instance as the exported class [`EtsModel`]; `js/index.js` wraps it in the JS class
//! `FittedEts` (getters `model`, `aicc`, ..., methods `predict`, `alerts`) and never hands the
//! raw handle out. Specs are checked when constructed (`forecastEtsSpec`,
//! `forecastAutoEtsSpec`) and again, from the same options, when fitted.

use channelwise::anomaly::residual::ResidualAlert;
use channelwise::forecast::ets::{
    AutoEts, ErrorType, Ets, FittedEts, InformationCriterion, SeasonType, TrendType,
};
use channelwise::Error;
use js_sys::{Float64Array, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{self, Opts};
use crate::error::{guard, invalid, Result};
use crate::values::{array, set, set_num, JsResult};

/// Longest forecast horizon: simulated intervals keep 5000 paths of `h` values (two copies),
/// and wasm32 memory ends at 4 GiB, where an allocation failure is a trap, not an error.
pub(crate) const MAX_HORIZON: usize = 4096;

/// Most interval levels per call (each holds two series of `h` values).
const MAX_LEVELS: usize = 64;

const ETS_KEYS: &[&str] = &["error", "trend", "damped", "season", "seasonLength", "seed"];
const AUTO_KEYS: &[&str] = &["seasonLength", "model", "damped", "restrict", "ic", "seed"];

/// `Float64Array` copy of `xs`.
pub(crate) fn f64s(xs: &[f64]) -> JsValue {
    Float64Array::from(xs).into()
}

/// `null` for `None`.
fn opt_num(x: Option<f64>) -> JsValue {
    x.map_or(JsValue::NULL, JsValue::from_f64)
}

/// One letter option among `allowed`, default `default`.
fn letter(o: &Opts, key: &str, allowed: &[&str], default: &str) -> Result<String> {
    match o.string(key)? {
        None => Ok(default.into()),
        Some(s) if allowed.contains(&s.as_str()) => Ok(s),
        Some(s) => Err(invalid(
            o.field(key),
            &JsValue::from_str(&s),
            format!("expected one of {}", allowed.join(", ")),
        )),
    }
}

/// `new Ets({ error, trend, damped, season, seasonLength, seed })`.
fn ets_spec(options: &JsValue) -> Result<Ets> {
    let o = Opts::new(options, "options", ETS_KEYS)?;
    let error = match letter(&o, "error", &["A", "M"], "A")?.as_str() {
        "M" => ErrorType::Multiplicative,
        _ => ErrorType::Additive,
    };
    let damped = o.boolean("damped")?.unwrap_or(false);
    let trend = match (letter(&o, "trend", &["N", "A"], "N")?.as_str(), damped) {
        ("A", true) => TrendType::AdditiveDamped,
        ("A", false) => TrendType::Additive,
        (_, true) => {
            return Err(Error::InvalidParameter {
                field: "options.damped".into(),
                value: "true".into(),
                reason: "a damped trend needs trend: 'A'".into(),
            })
        }
        _ => TrendType::None,
    };
    let season = match letter(&o, "season", &["N", "A", "M"], "N")?.as_str() {
        "A" => SeasonType::Additive,
        "M" => SeasonType::Multiplicative,
        _ => SeasonType::None,
    };
    let mut spec = Ets::new(error, trend, season);
    if let Some(m) = o.size("seasonLength")? {
        spec = spec.season_length(m);
    }
    if let Some(seed) = o.unsigned("seed")? {
        spec = spec.seed(seed);
    }
    Ok(spec)
}

/// `new AutoEts({ seasonLength, model, damped, restrict, ic, seed })`.
fn auto_spec(options: &JsValue) -> Result<AutoEts> {
    let o = Opts::new(options, "options", AUTO_KEYS)?;
    let mut spec = AutoEts::new(o.size("seasonLength")?.unwrap_or(1));
    if let Some(model) = o.string("model")? {
        spec = spec.model(&model);
    }
    spec = spec.damped(o.boolean("damped")?);
    if let Some(r) = o.boolean("restrict")? {
        spec = spec.restrict(r);
    }
    if let Some(ic) = o.string("ic")? {
        spec = spec.ic(match ic.as_str() {
            "aic" => InformationCriterion::Aic,
            "aicc" => InformationCriterion::Aicc,
            "bic" => InformationCriterion::Bic,
            _ => {
                return Err(invalid(
                    "options.ic",
                    &JsValue::from_str(&ic),
                    "expected 'aic', 'aicc' or 'bic'",
                ))
            }
        });
    }
    if let Some(seed) = o.unsigned("seed")? {
        spec = spec.seed(seed);
    }
    Ok(spec)
}

/// Validates `new forecast.Ets(options)` without data.
#[wasm_bindgen(js_name = forecastEtsSpec)]
pub fn forecast_ets_spec(options: JsValue) -> std::result::Result<(), JsValue> {
    guard(|| ets_spec(&options).map(|_| ()))
}

/// Validates `new forecast.AutoEts(options)` without data.
#[wasm_bindgen(js_name = forecastAutoEtsSpec)]
pub fn forecast_auto_ets_spec(options: JsValue) -> std::result::Result<(), JsValue> {
    guard(|| auto_spec(&options).map(|_| ()))
}

/// `new forecast.Ets(options).fit(y)`.
#[wasm_bindgen(js_name = forecastEtsFit)]
pub fn forecast_ets_fit(options: JsValue, y: JsValue) -> std::result::Result<EtsModel, JsValue> {
    guard(|| {
        let spec = ets_spec(&options)?;
        let y = convert::column(&y, "y")?;
        Ok(EtsModel { fit: spec.fit(&y)? })
    })
}

/// `new forecast.AutoEts(options).fit(y)`.
#[wasm_bindgen(js_name = forecastAutoEtsFit)]
pub fn forecast_auto_ets_fit(
    options: JsValue,
    y: JsValue,
) -> std::result::Result<EtsModel, JsValue> {
    guard(|| {
        let spec = auto_spec(&options)?;
        let y = convert::column(&y, "y")?;
        Ok(EtsModel { fit: spec.fit(&y)? })
    })
}

/// A fitted ETS model held in the wasm instance (wrapped by `FittedEts` in `js/index.js`).
#[wasm_bindgen]
pub struct EtsModel {
    fit: FittedEts,
}

/// `{ index, actual, expected, lower, upper, level, score, direction, reason }` per alert.
pub(crate) fn alerts_js(alerts: &[ResidualAlert]) -> JsValue {
    array(alerts.iter().map(|a| {
        let o = Object::new();
        set_num(&o, "index", a.index as f64);
        set_num(&o, "actual", a.actual);
        set_num(&o, "expected", a.expected);
        set_num(&o, "lower", a.lower);
        set_num(&o, "upper", a.upper);
        set_num(&o, "level", a.level);
        set_num(&o, "score", a.score);
        set(&o, "direction", &JsValue::from_str(a.direction.as_str()));
        set(&o, "reason", &JsValue::from_str(&a.reason));
        JsValue::from(o)
    }))
}

/// `options.level` (percent), default 95.
pub(crate) fn level_option(options: &JsValue) -> Result<f64> {
    let o = Opts::new(options, "options", &["level"])?;
    Ok(o.number("level")?.unwrap_or(95.0))
}

#[wasm_bindgen]
impl EtsModel {
    /// Everything but the series, in one object: `{ model, aic, aicc, bic, logLik, sigma2,
    /// nParams, seasonLength, seasonalStatesFixed, params, summary }`.
    pub fn info(&self) -> JsValue {
        let f = &self.fit;
        let o = Object::new();
        set(&o, "model", &JsValue::from_str(&f.model()));
        set_num(&o, "aic", f.aic());
        set_num(&o, "aicc", f.aicc());
        set_num(&o, "bic", f.bic());
        set_num(&o, "logLik", f.log_likelihood());
        set_num(&o, "sigma2", f.sigma2());
        set_num(&o, "nParams", f.n_params() as f64);
        set_num(&o, "seasonLength", f.season_length() as f64);
        set(
            &o,
            "seasonalStatesFixed",
            &JsValue::from_bool(f.seasonal_states_fixed()),
        );
        let p = f.params();
        let params = Object::new();
        set_num(&params, "alpha", p.alpha);
        set(&params, "beta", &opt_num(p.beta));
        set(&params, "gamma", &opt_num(p.gamma));
        set(&params, "phi", &opt_num(p.phi));
        set_num(&params, "initialLevel", p.initial_level);
        set(&params, "initialTrend", &opt_num(p.initial_trend));
        set(
            &params,
            "initialSeasonal",
            &if p.initial_seasonal.is_empty() {
                JsValue::NULL
            } else {
                f64s(&p.initial_seasonal)
            },
        );
        set(&o, "params", &params);
        set(&o, "summary", &JsValue::from_str(&f.to_string()));
        o.into()
    }

    /// One-step-ahead in-sample forecasts.
    pub fn fitted(&self) -> Float64Array {
        Float64Array::from(self.fit.fitted())
    }

    /// `y - fitted`.
    pub fn residuals(&self) -> Float64Array {
        Float64Array::from(self.fit.residuals().as_slice())
    }

    /// The model's innovations (relative errors for a multiplicative error).
    pub fn innovations(&self) -> Float64Array {
        Float64Array::from(self.fit.innovations())
    }

    /// `predict(h, { level })`: `{ mean, intervals: [{ level, lower, upper }], simulated }`.
    pub fn predict(&self, h: JsValue, options: JsValue) -> JsResult {
        guard(|| {
            let h = convert::size(&h, "h")?;
            if h > MAX_HORIZON {
                return Err(Error::OutOfRange {
                    field: "h".into(),
                    value: h as f64,
                    min: 0.0,
                    max: MAX_HORIZON as f64,
                });
            }
            let o = Opts::new(&options, "options", &["level"])?;
            let levels = match o.get("level")? {
                None => vec![80.0, 95.0],
                Some(v) => {
                    let field = o.field("level");
                    let xs = if v.as_f64().is_some() {
                        vec![convert::number(&v, &field)?]
                    } else {
                        convert::column(&v, &field)?
                    };
                    if xs.len() > MAX_LEVELS {
                        return Err(Error::OutOfRange {
                            field: format!("{field}.length"),
                            value: xs.len() as f64,
                            min: 0.0,
                            max: MAX_LEVELS as f64,
                        });
                    }
                    xs
                }
            };
            let fc = self.fit.forecast(h, &levels)?;
            let out = Object::new();
            set(&out, "mean", &f64s(&fc.mean));
            let intervals = fc.levels.iter().enumerate().map(|(i, &lv)| {
                let it = Object::new();
                set_num(&it, "level", lv);
                set(&it, "lower", &f64s(&fc.lower[i]));
                set(&it, "upper", &f64s(&fc.upper[i]));
                JsValue::from(it)
            });
            set(&out, "intervals", &array(intervals));
            set(&out, "simulated", &JsValue::from_bool(fc.simulated));
            Ok(out.into())
        })
    }

    /// `alerts({ level = 95 })`: in-sample points outside the one-step interval, with reasons.
    pub fn alerts(&self, options: JsValue) -> JsResult {
        guard(|| {
            let level = level_option(&options)?;
            Ok(alerts_js(&self.fit.alerts(level)?))
        })
    }
}
