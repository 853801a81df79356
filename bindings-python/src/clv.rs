//! `channelwise.clv`: BG/NBD, MBG/NBD, BG/BB, Pareto/NBD, Gamma-Gamma and shifted-beta-geometric fits, their
//! predictions at given parameters, RFM summaries and `ln 2F1`.
//!
//! A fitted CLV model is plain data (parameters, standard errors, log-likelihood, diagnostics),
//! so fits return the core's serde JSON and the Python layer keeps it; predictions take the
//! parameters back as a list (checked by the core's `*Params::new` on every call). Columns
//! arrive as native-endian float64 (timestamps int64) bytes; results go back the same way.

use channelwise::clv::bg_bb::{BetaGeoBetaBinom, BetaGeoBetaBinomParams, FittedBetaGeoBetaBinom};
use channelwise::clv::bg_nbd::{BetaGeo, BetaGeoParams, FittedBetaGeo};
use channelwise::clv::gamma_gamma::{FittedGammaGamma, GammaGamma, GammaGammaParams};
use channelwise::clv::hyp2f1::ln_hyp2f1;
use channelwise::clv::mbg_nbd::{FittedModifiedBetaGeo, ModifiedBetaGeo, ModifiedBetaGeoParams};
use channelwise::clv::pareto_nbd::{FittedParetoNbd, ParetoNbd, ParetoNbdParams};
use channelwise::clv::rfm::{calibration_and_holdout, summary, Period, Rfm, RfmOptions};
use channelwise::clv::sbg::{FittedShiftedBetaGeo, ShiftedBetaGeo, ShiftedBetaGeoParams};
use channelwise::clv::{ExpectedPurchases, Freq, PurchaseModel};
use channelwise::{Error, Result};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::attribution::f64_bytes;
use crate::columns::{f64s, from_json, i64s, to_json};
use crate::error::{core, guard};

const PURCHASE_MODELS: &str = "expected \"bg_nbd\", \"mbg_nbd\" or \"pareto_nbd\"";

fn four(field: &str, p: &[f64]) -> Result<[f64; 4]> {
    p.try_into().map_err(|_| Error::LengthMismatch {
        field: field.into(),
        expected: 4,
        got: p.len(),
    })
}

/// A purchase model at given parameters: `"bg_nbd"` or `"mbg_nbd"` (`r, alpha, a, b`) or
/// `"pareto_nbd"` (`r, alpha, s, beta`).
fn purchase_model(model: &str, p: &[f64]) -> Result<PurchaseModel> {
    match model {
        "bg_nbd" => {
            let [r, alpha, a, b] = four("params", p)?;
            Ok(PurchaseModel::BetaGeo(BetaGeoParams::new(r, alpha, a, b)?))
        }
        "mbg_nbd" => {
            let [r, alpha, a, b] = four("params", p)?;
            Ok(PurchaseModel::ModifiedBetaGeo(ModifiedBetaGeoParams::new(r, alpha, a, b)?))
        }
        "pareto_nbd" => {
            let [r, alpha, s, beta] = four("params", p)?;
            Ok(PurchaseModel::ParetoNbd(ParetoNbdParams::new(r, alpha, s, beta)?))
        }
        other => Err(unknown_model(other, PURCHASE_MODELS)),
    }
}

/// P(exactly `n` repeat purchases in `t`) of a new customer (the BG/NBD family's).
fn probability_of_purchases(m: PurchaseModel, n: u32, t: f64) -> Result<f64> {
    match m {
        PurchaseModel::BetaGeo(m) => m.probability_of_purchases(n, t),
        PurchaseModel::ModifiedBetaGeo(m) => m.probability_of_purchases(n, t),
        PurchaseModel::ParetoNbd(_) => Err(unknown_model("pareto_nbd", "expected \"bg_nbd\" or \"mbg_nbd\"")),
    }
}

fn unknown_model(value: &str, reason: &str) -> Error {
    Error::InvalidParameter {
        field: "model".into(),
        value: value.into(),
        reason: reason.into(),
    }
}

/// Three history columns as vectors.
fn histories(f: &[u8], r: &[u8], t: &[u8]) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    Ok((f64s("frequency", f)?, f64s("recency", r)?, f64s("T", t)?))
}

fn weights(w: Option<&[u8]>) -> Result<Option<Vec<f64>>> {
    w.map(|b| f64s("weights", b)).transpose()
}

/// Fits BG/NBD (`model = "bg_nbd"`), MBG/NBD (`"mbg_nbd"`), Pareto/NBD (`"pareto_nbd"`) or BG/BB
/// (`"bg_bb"`, with `n_periods` for `t`); the fitted model as the
/// core's JSON.
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, t, weights_, max_iter, collapse, penalizer_coef))]
#[allow(clippy::too_many_arguments)]
fn clv_purchases_fit(
    py: Python<'_>,
    model: &str,
    frequency: &[u8],
    recency: &[u8],
    t: &[u8],
    weights_: Option<&[u8]>,
    max_iter: usize,
    collapse: bool,
    penalizer_coef: f64,
) -> PyResult<String> {
    guard(|| {
        let (f, r, a) = core(histories(frequency, recency, t))?;
        let w = core(weights(weights_))?;
        core(py.detach(|| {
            match model {
                "bg_nbd" => to_json(
                    &BetaGeo::default()
                        .max_iter(max_iter)
                        .collapse(collapse)
                        .penalizer_coef(penalizer_coef)
                        .fit(&f, &r, &a, w.as_deref())?,
                ),
                // BG/BB's third column is n_periods (the core names it in its errors)
                "bg_bb" => to_json(
                    &BetaGeoBetaBinom::default()
                        .max_iter(max_iter)
                        .collapse(collapse)
                        .penalizer_coef(penalizer_coef)
                        .fit(&f, &r, &a, w.as_deref())?,
                ),
                "mbg_nbd" => to_json(
                    &ModifiedBetaGeo::default()
                        .max_iter(max_iter)
                        .collapse(collapse)
                        .penalizer_coef(penalizer_coef)
                        .fit(&f, &r, &a, w.as_deref())?,
                ),
                "pareto_nbd" => to_json(
                    &ParetoNbd::default()
                        .max_iter(max_iter)
                        .collapse(collapse)
                        .penalizer_coef(penalizer_coef)
                        .fit(&f, &r, &a, w.as_deref())?,
                ),
                other => Err(unknown_model(other, PURCHASE_MODELS)),
            }
        }))
    })
}

/// Fits Gamma-Gamma to repeat buyers' frequency and mean spend; the core's JSON.
#[pyfunction]
#[pyo3(signature = (frequency, monetary_value, weights_, max_iter, collapse, penalizer_coef))]
fn clv_gamma_gamma_fit(
    py: Python<'_>,
    frequency: &[u8],
    monetary_value: &[u8],
    weights_: Option<&[u8]>,
    max_iter: usize,
    collapse: bool,
    penalizer_coef: f64,
) -> PyResult<String> {
    guard(|| {
        let f = core(f64s("frequency", frequency))?;
        let m = core(f64s("monetary_value", monetary_value))?;
        let w = core(weights(weights_))?;
        core(py.detach(|| {
            to_json(
                &GammaGamma::default()
                    .max_iter(max_iter)
                    .collapse(collapse)
                    .penalizer_coef(penalizer_coef)
                    .fit(&f, &m, w.as_deref())?,
            )
        }))
    })
}

/// Fits the shifted-beta-geometric model to survivor counts; the core's JSON.
#[pyfunction]
fn clv_sbg_fit(py: Python<'_>, survivors: &[u8], max_iter: usize, penalizer_coef: f64) -> PyResult<String> {
    guard(|| {
        let s = core(f64s("survivors", survivors))?;
        core(py.detach(|| {
            to_json(&ShiftedBetaGeo::default().max_iter(max_iter).penalizer_coef(penalizer_coef).fit(&s)?)
        }))
    })
}

/// BG/BB at `[alpha, beta, gamma, delta]`.
fn bg_bb(params: &[f64]) -> Result<BetaGeoBetaBinomParams> {
    let [a, b, g, d] = four("params", params)?;
    BetaGeoBetaBinomParams::new(a, b, g, d)
}

/// BG/BB's three columns as vectors.
fn periods(f: &[u8], r: &[u8], n: &[u8]) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    Ok((f64s("frequency", f)?, f64s("recency", r)?, f64s("n_periods", n)?))
}

/// BG/BB per history: `"p_alive"` (at `n_periods + m_periods`) or `"expected_purchases"` (in the
/// next `m_periods`).
#[pyfunction]
fn clv_bg_bb_predict<'py>(
    py: Python<'py>,
    what: &str,
    params: Vec<f64>,
    m_periods: u32,
    frequency: &[u8],
    recency: &[u8],
    n_periods: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    guard(|| {
        let m = core(bg_bb(&params))?;
        let (f, r, n) = core(periods(frequency, recency, n_periods))?;
        let v = core(py.detach(|| match what {
            "p_alive" => m.p_alive(m_periods, &f, &r, &n),
            "expected_purchases" => m.expected_purchases(m_periods, &f, &r, &n),
            other => Err(unknown_model(other, "expected \"p_alive\" or \"expected_purchases\"")),
        }))?;
        Ok(f64_bytes(py, &v))
    })
}

/// BG/BB of a new customer: `"unconditional"` (expected transactions in `n_periods`) or
/// `"probability"` (of exactly `x` of them).
#[pyfunction]
fn clv_bg_bb_new_customer(what: &str, params: Vec<f64>, x: u32, n_periods: u32) -> PyResult<f64> {
    guard(|| {
        core(bg_bb(&params).and_then(|m| match what {
            "unconditional" => m.expected_purchases_unconditional(n_periods),
            "probability" => m.probability_of_purchases(x, n_periods),
            other => Err(unknown_model(other, "expected \"unconditional\" or \"probability\"")),
        }))
    })
}

/// Reads a stored fitted model (`model`: `bg_nbd`, `mbg_nbd`, `bg_bb`, `pareto_nbd`, `gamma_gamma`, `sbg`) with the
/// core's types, checks its parameters, and gives its canonical JSON back; a damaged document
/// is `InvalidParameterError` naming `json`.
#[pyfunction]
fn clv_load(py: Python<'_>, model: &str, text: &str) -> PyResult<String> {
    guard(|| {
        let bad = |e: Error| Error::InvalidParameter {
            field: "json".into(),
            value: text.chars().take(40).collect(),
            reason: e.to_string(),
        };
        core((|| match model {
            "bg_nbd" => {
                let m: FittedBetaGeo = from_json(py, text)?;
                let p = m.params;
                BetaGeoParams::new(p.r, p.alpha, p.a, p.b).map_err(bad)?;
                to_json(&m)
            }
            "mbg_nbd" => {
                let m: FittedModifiedBetaGeo = from_json(py, text)?;
                let p = m.params;
                ModifiedBetaGeoParams::new(p.r, p.alpha, p.a, p.b).map_err(bad)?;
                to_json(&m)
            }
            "bg_bb" => {
                let m: FittedBetaGeoBetaBinom = from_json(py, text)?;
                let p = m.params;
                BetaGeoBetaBinomParams::new(p.alpha, p.beta, p.gamma, p.delta).map_err(bad)?;
                to_json(&m)
            }
            "pareto_nbd" => {
                let m: FittedParetoNbd = from_json(py, text)?;
                let p = m.params;
                ParetoNbdParams::new(p.r, p.alpha, p.s, p.beta).map_err(bad)?;
                to_json(&m)
            }
            "gamma_gamma" => {
                let m: FittedGammaGamma = from_json(py, text)?;
                let p = m.params;
                GammaGammaParams::new(p.p, p.q, p.v).map_err(bad)?;
                to_json(&m)
            }
            "sbg" => {
                let m: FittedShiftedBetaGeo = from_json(py, text)?;
                ShiftedBetaGeoParams::new(m.params.alpha, m.params.beta).map_err(bad)?;
                to_json(&m)
            }
            other => Err(unknown_model(other, "expected a CLV model name")),
        })())
    })
}

/// Checks parameters of `model` (`bg_nbd`, `mbg_nbd`, `bg_bb`, `pareto_nbd`, `gamma_gamma`, `sbg`) with the core's
/// `*Params::new`.
#[pyfunction]
fn clv_check_params(model: &str, params: Vec<f64>) -> PyResult<()> {
    guard(|| {
        core(match model {
            "gamma_gamma" => gamma_gamma(&params).map(|_| ()),
            "bg_bb" => bg_bb(&params).map(|_| ()),
            "sbg" => match params[..] {
                [alpha, beta] => ShiftedBetaGeoParams::new(alpha, beta).map(|_| ()),
                _ => Err(Error::LengthMismatch {
                    field: "params".into(),
                    expected: 2,
                    got: params.len(),
                }),
            },
            other => purchase_model(other, &params).map(|_| ()),
        })
    })
}

/// P(alive) of each customer.
#[pyfunction]
fn clv_p_alive<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    frequency: &[u8],
    recency: &[u8],
    t: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    guard(|| {
        let m = core(purchase_model(model, &params))?;
        let (f, r, a) = core(histories(frequency, recency, t))?;
        let v = core(py.detach(|| m.p_alive(&f, &r, &a)))?;
        Ok(f64_bytes(py, &v))
    })
}

/// Expected repeat purchases of each customer in the next `horizon` time units.
#[pyfunction]
fn clv_expected_purchases<'py>(
    py: Python<'py>,
    model: &str,
    params: Vec<f64>,
    horizon: f64,
    frequency: &[u8],
    recency: &[u8],
    t: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    guard(|| {
        let m = core(purchase_model(model, &params))?;
        let (f, r, a) = core(histories(frequency, recency, t))?;
        let v = core(py.detach(|| m.expected_purchases(horizon, &f, &r, &a)))?;
        Ok(f64_bytes(py, &v))
    })
}

/// Expected repeat purchases of a new customer in `t` time units.
#[pyfunction]
fn clv_expected_purchases_unconditional(model: &str, params: Vec<f64>, t: f64) -> PyResult<f64> {
    guard(|| core(purchase_model(model, &params).and_then(|m| m.expected_purchases_unconditional(t))))
}

/// The log-likelihood of histories at the parameters (weighted sum).
#[pyfunction]
#[pyo3(signature = (model, params, frequency, recency, t, weights_))]
fn clv_log_likelihood(
    py: Python<'_>,
    model: &str,
    params: Vec<f64>,
    frequency: &[u8],
    recency: &[u8],
    t: &[u8],
    weights_: Option<&[u8]>,
) -> PyResult<f64> {
    guard(|| {
        let (f, r, a) = core(histories(frequency, recency, t))?;
        let w = core(weights(weights_))?;
        if model == "bg_bb" {
            // BG/BB's third column is n_periods
            let m = core(bg_bb(&params))?;
            return core(py.detach(|| m.log_likelihood(&f, &r, &a, w.as_deref())));
        }
        let m = core(purchase_model(model, &params))?;
        core(py.detach(|| m.log_likelihood(&f, &r, &a, w.as_deref())))
    })
}

/// BG/NBD and MBG/NBD: the probability of exactly `n` repeat purchases in `t` for a new customer.
#[pyfunction]
fn clv_probability_of_purchases(model: &str, params: Vec<f64>, n: u32, t: f64) -> PyResult<f64> {
    guard(|| core(purchase_model(model, &params).and_then(|m| probability_of_purchases(m, n, t))))
}

fn gamma_gamma(params: &[f64]) -> Result<GammaGammaParams> {
    match params {
        [p, q, v] => GammaGammaParams::new(*p, *q, *v),
        _ => Err(Error::LengthMismatch {
            field: "params".into(),
            expected: 3,
            got: params.len(),
        }),
    }
}

/// Gamma-Gamma: the expected spend per transaction of each customer.
#[pyfunction]
fn clv_expected_spend<'py>(
    py: Python<'py>,
    params: Vec<f64>,
    frequency: &[u8],
    monetary_value: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    guard(|| {
        let gg = core(gamma_gamma(&params))?;
        let f = core(f64s("frequency", frequency))?;
        let m = core(f64s("monetary_value", monetary_value))?;
        let v = core(gg.expected_spend(&f, &m))?;
        Ok(f64_bytes(py, &v))
    })
}

/// Gamma-Gamma with a purchase model: discounted CLV over `months` months (lifetimes'
/// `customer_lifetime_value`; `freq` one of `H`, `D`, `W`, `M`).
#[pyfunction]
#[pyo3(signature = (params, model, model_params, frequency, recency, t, monetary_value, months, discount_rate, freq))]
#[allow(clippy::too_many_arguments)]
fn clv_customer_lifetime_value<'py>(
    py: Python<'py>,
    params: Vec<f64>,
    model: &str,
    model_params: Vec<f64>,
    frequency: &[u8],
    recency: &[u8],
    t: &[u8],
    monetary_value: &[u8],
    months: u32,
    discount_rate: f64,
    freq: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    guard(|| {
        let gg = core(gamma_gamma(&params))?;
        let pm = core(purchase_model(model, &model_params))?;
        let freq = core(Freq::parse(freq))?;
        let (f, r, a) = core(histories(frequency, recency, t))?;
        let m = core(f64s("monetary_value", monetary_value))?;
        let v = core(py.detach(|| {
            gg.customer_lifetime_value(&pm, &f, &r, &a, &m, months, discount_rate, freq)
        }))?;
        Ok(f64_bytes(py, &v))
    })
}

/// sBG: `(S(0..=periods), r_1..=r_periods)` as float64 bytes.
#[pyfunction]
fn clv_sbg_curves<'py>(
    py: Python<'py>,
    alpha: f64,
    beta: f64,
    periods: u32,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    guard(|| {
        let p = core(ShiftedBetaGeoParams::new(alpha, beta))?;
        Ok((
            f64_bytes(py, &core(p.survival_curve(periods))?),
            f64_bytes(py, &core(p.retention_curve(periods))?),
        ))
    })
}

/// The sBG log-likelihood of survivor counts at `(alpha, beta)`.
#[pyfunction]
fn clv_sbg_log_likelihood(alpha: f64, beta: f64, survivors: &[u8]) -> PyResult<f64> {
    guard(|| {
        core((|| {
            let s = f64s("survivors", survivors)?;
            ShiftedBetaGeoParams::new(alpha, beta)?.log_likelihood(&s)
        })())
    })
}

fn rfm_options(
    freq: &str,
    freq_multiplier: f64,
    observation_end: Option<i64>,
) -> Result<RfmOptions> {
    Ok(RfmOptions {
        freq: Period::parse(freq)?,
        freq_multiplier,
        observation_end,
    })
}

fn rfm_columns<'py>(
    py: Python<'py>,
    d: &Bound<'py, PyDict>,
    s: &Rfm,
    suffix: &str,
) -> PyResult<()> {
    d.set_item("customer_id", &s.customer_id)?;
    d.set_item(format!("frequency{suffix}"), f64_bytes(py, &s.frequency))?;
    d.set_item(format!("recency{suffix}"), f64_bytes(py, &s.recency))?;
    d.set_item(format!("T{suffix}"), f64_bytes(py, &s.t))?;
    d.set_item(
        format!("monetary_value{suffix}"),
        f64_bytes(py, &s.monetary_value),
    )?;
    Ok(())
}

/// The RFM summary of a transaction log: columns (ids as strings, numbers as float64 bytes).
#[pyfunction]
#[pyo3(signature = (customer_id, datetime, monetary_value, freq, freq_multiplier, observation_end))]
fn clv_rfm_summary<'py>(
    py: Python<'py>,
    customer_id: Vec<String>,
    datetime: &[u8],
    monetary_value: Option<&[u8]>,
    freq: &str,
    freq_multiplier: f64,
    observation_end: Option<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let ts = core(i64s("datetime", datetime))?;
        let m = core(
            monetary_value
                .map(|b| f64s("monetary_value", b))
                .transpose(),
        )?;
        let opts = core(rfm_options(freq, freq_multiplier, observation_end))?;
        let s = core(py.detach(|| summary(&customer_id, &ts, m.as_deref(), &opts)))?;
        let d = PyDict::new(py);
        rfm_columns(py, &d, &s, "")?;
        Ok(d)
    })
}

/// The calibration summary and holdout counts of a transaction log, as columns.
#[pyfunction]
#[pyo3(signature = (customer_id, datetime, monetary_value, calibration_end, freq, freq_multiplier, observation_end))]
#[allow(clippy::too_many_arguments)]
fn clv_rfm_calibration_and_holdout<'py>(
    py: Python<'py>,
    customer_id: Vec<String>,
    datetime: &[u8],
    monetary_value: Option<&[u8]>,
    calibration_end: i64,
    freq: &str,
    freq_multiplier: f64,
    observation_end: Option<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let ts = core(i64s("datetime", datetime))?;
        let m = core(
            monetary_value
                .map(|b| f64s("monetary_value", b))
                .transpose(),
        )?;
        let opts = core(rfm_options(freq, freq_multiplier, observation_end))?;
        let c = core(py.detach(|| {
            calibration_and_holdout(&customer_id, &ts, m.as_deref(), calibration_end, &opts)
        }))?;
        let d = PyDict::new(py);
        rfm_columns(py, &d, &c.calibration, "_cal")?;
        d.set_item("frequency_holdout", f64_bytes(py, &c.frequency_holdout))?;
        d.set_item(
            "monetary_value_holdout",
            f64_bytes(py, &c.monetary_value_holdout),
        )?;
        d.set_item("duration_holdout", c.duration_holdout)?;
        Ok(d)
    })
}

/// `(ln |2F1(a, b; c; z)|, sign)` for `0 <= z < 1`.
#[pyfunction]
fn clv_ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> PyResult<(f64, f64)> {
    guard(|| core(ln_hyp2f1(a, b, c, z)))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(clv_purchases_fit, m)?)?;
    m.add_function(wrap_pyfunction!(clv_gamma_gamma_fit, m)?)?;
    m.add_function(wrap_pyfunction!(clv_bg_bb_predict, m)?)?;
    m.add_function(wrap_pyfunction!(clv_bg_bb_new_customer, m)?)?;
    m.add_function(wrap_pyfunction!(clv_sbg_fit, m)?)?;
    m.add_function(wrap_pyfunction!(clv_load, m)?)?;
    m.add_function(wrap_pyfunction!(clv_check_params, m)?)?;
    m.add_function(wrap_pyfunction!(clv_p_alive, m)?)?;
    m.add_function(wrap_pyfunction!(clv_expected_purchases, m)?)?;
    m.add_function(wrap_pyfunction!(clv_expected_purchases_unconditional, m)?)?;
    m.add_function(wrap_pyfunction!(clv_log_likelihood, m)?)?;
    m.add_function(wrap_pyfunction!(clv_probability_of_purchases, m)?)?;
    m.add_function(wrap_pyfunction!(clv_expected_spend, m)?)?;
    m.add_function(wrap_pyfunction!(clv_customer_lifetime_value, m)?)?;
    m.add_function(wrap_pyfunction!(clv_sbg_curves, m)?)?;
    m.add_function(wrap_pyfunction!(clv_sbg_log_likelihood, m)?)?;
    m.add_function(wrap_pyfunction!(clv_rfm_summary, m)?)?;
    m.add_function(wrap_pyfunction!(clv_rfm_calibration_and_holdout, m)?)?;
    m.add_function(wrap_pyfunction!(clv_ln_hyp2f1, m)?)?;
    Ok(())
}
