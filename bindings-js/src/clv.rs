//! `clv.*`: customer lifetime value, following the core's `clv` module. Specs (`BetaGeo`,
//! `ModifiedBetaGeo`, `ParetoNbd`, `BetaGeoBetaBinom`, `GammaGamma`, `ShiftedBetaGeo`) fit to `Fitted*` models; `*Params` classes hold
//! known parameters. A fitted model answers every prediction its parameter class does (the
//! exports below read either as `this`). RFM summaries come from a transaction log of columns.
//!
//! The core names its columns as lifetimes does (`monetary_value[3]`, `discount_rate`); errors
//! are renamed to the JS names (`monetaryValue[3]`, `options.discountRate`).

use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;

use channelwise::clv::bg_bb::{BetaGeoBetaBinom, BetaGeoBetaBinomParams, FittedBetaGeoBetaBinom};
use channelwise::clv::bg_nbd::{BetaGeo, BetaGeoParams, FittedBetaGeo};
use channelwise::clv::gamma_gamma::{FittedGammaGamma, GammaGamma, GammaGammaParams};
use channelwise::clv::hyp2f1::ln_hyp2f1;
use channelwise::clv::mbg_nbd::{FittedModifiedBetaGeo, ModifiedBetaGeo, ModifiedBetaGeoParams};
use channelwise::clv::pareto_nbd::{FittedParetoNbd, ParetoNbd, ParetoNbdParams};
use channelwise::clv::rfm::{self, Period};
use channelwise::clv::sbg::{FittedShiftedBetaGeo, ShiftedBetaGeo, ShiftedBetaGeoParams};
use channelwise::clv::{ExpectedPurchases, FitDiagnostics, Freq, PurchaseModel};
use channelwise::{Error, Result};

use crate::api::{arg, boxed, from_document, job, this, to_document, Job};
use crate::decl::Time;
use crate::host::Host;
use crate::keys::camel;
use crate::optimize::renamed;
use crate::out::{F64s, Handle, Out};
use crate::{js_options, js_result, read};

js_options! {
    /// Settings of a CLV fit (see the core's parameter tables).
    pub struct ClvFitOptions {
        /// L-BFGS iterations before the Newton polish (default 2000).
        maxIter: usize,
        /// Fit customers sharing `(frequency, recency, T)` as one weighted row (default true).
        collapse: bool,
        /// lifetimes' `penalizer_coef` (default 0): the fit minimises the mean negative
        /// log-likelihood plus this times the sum of the squared parameters (alpha, and
        /// Pareto/NBD's beta, in units of the largest `T`; Pareto/NBD divides by the mean weight),
        /// as lifetimes does. Keeps parameters finite where the likelihood alone has no maximum.
        penalizerCoef: f64,
    }
}

js_options! {
    /// Settings of a shifted-beta-geometric fit.
    pub struct SbgFitOptions {
        /// L-BFGS iterations before the Newton polish (default 2000).
        maxIter: usize,
        /// Penalty on `alpha^2 + beta^2` added to the mean negative log-likelihood per customer
        /// of the cohort (default 0), as lifetimes' `penalizer_coef` on its other models.
        penalizerCoef: f64,
    }
}

js_options! {
    columns
    /// Customers' histories (lifetimes' columns, in the time unit you chose).
    pub struct ClvHistories {
        /// Repeat purchases (whole numbers >= 0).
        frequency: Vec<f64> = required,
        /// Time of the last purchase since the first, in `[0, T]` (0 for frequency 0).
        recency: Vec<f64> = required,
        /// Age: time since the first purchase to the end of observation.
        T: Vec<f64> = required,
        /// Customers per row (fits only; default 1 each).
        weights: Vec<f64>,
    }
}

js_options! {
    columns
    /// Customers' histories at discrete transaction opportunities (lifetimes' BG/BB columns).
    pub struct ClvPeriods {
        /// Transactions after the first (whole numbers, at most one an opportunity).
        frequency: Vec<f64> = required,
        /// The opportunity of the last transaction, in `[frequency, nPeriods]` (0 for frequency 0).
        recency: Vec<f64> = required,
        /// Opportunities after the first (whole numbers).
        nPeriods: Vec<f64> = required,
        /// Customers per row (fits only; default 1 each).
        weights: Vec<f64>,
    }
}

js_options! {
    columns
    /// Repeat buyers' purchases and mean repeat spend (rows with frequency 0 are ignored by fits).
    pub struct ClvSpend {
        /// Repeat purchases.
        frequency: Vec<f64> = required,
        /// Mean spend of the repeat purchases (> 0 for repeat buyers).
        monetaryValue: Vec<f64> = required,
        /// Customers per row (fits only; default 1 each).
        weights: Vec<f64>,
    }
}

js_options! {
    columns
    /// Customers' histories with their mean repeat spend.
    pub struct ClvCustomers {
        /// Repeat purchases.
        frequency: Vec<f64> = required,
        /// Time of the last purchase since the first.
        recency: Vec<f64> = required,
        /// Age.
        T: Vec<f64> = required,
        /// Mean spend of the repeat purchases.
        monetaryValue: Vec<f64> = required,
    }
}

js_options! {
    /// Options of `clv()` (lifetimes' `customer_lifetime_value`).
    pub struct ClvValueOptions {
        /// Months summed (default 12).
        months: usize,
        /// Discount rate per month (default 0.01).
        discountRate: f64,
        /// The purchase model's time unit: `'H'`, `'D'` (default), `'W'` or `'M'`.
        freq: String,
    }
}

js_options! {
    /// BG/NBD and MBG/NBD parameters.
    pub struct BetaGeoValues {
        /// Gamma shape of the purchase rate.
        r: f64 = required,
        /// Gamma rate of the purchase rate.
        alpha: f64 = required,
        /// First Beta parameter of the dropout probability.
        a: f64 = required,
        /// Second Beta parameter of the dropout probability.
        b: f64 = required,
    }
}

js_options! {
    /// Pareto/NBD parameters.
    pub struct ParetoNbdValues {
        /// Gamma shape of the purchase rate.
        r: f64 = required,
        /// Gamma rate of the purchase rate.
        alpha: f64 = required,
        /// Gamma shape of the dropout rate.
        s: f64 = required,
        /// Gamma rate of the dropout rate.
        beta: f64 = required,
    }
}

js_options! {
    /// BG/BB parameters.
    pub struct BetaGeoBetaBinomValues {
        /// First Beta parameter of the transaction probability.
        alpha: f64 = required,
        /// Second Beta parameter of the transaction probability.
        beta: f64 = required,
        /// First Beta parameter of the dropout probability.
        gamma: f64 = required,
        /// Second Beta parameter of the dropout probability.
        delta: f64 = required,
    }
}

js_options! {
    /// Gamma-Gamma parameters.
    pub struct GammaGammaValues {
        /// Shape of the per-transaction spend.
        p: f64 = required,
        /// Shape of the spend scale's Gamma.
        q: f64 = required,
        /// Rate of the spend scale's Gamma.
        v: f64 = required,
    }
}

js_options! {
    /// Shifted-beta-geometric parameters.
    pub struct ShiftedBetaGeoValues {
        /// First Beta parameter of the churn probability.
        alpha: f64 = required,
        /// Second Beta parameter of the churn probability.
        beta: f64 = required,
    }
}

js_options! {
    /// Options of the RFM summaries (lifetimes' names, camelCase).
    pub struct RfmSummaryOptions {
        /// Period purchases are counted in: `'H'`, `'D'` (default) or `'W'` (weeks from Monday).
        freq: String,
        /// Divisor of recency and `T` (default 1).
        freqMultiplier: f64,
        /// End of observation, unix seconds or a `Date` (default: the latest transaction).
        observationEnd: Time,
    }
}

js_result! {
    /// How a CLV fit ended.
    pub struct ClvDiagnostics {
        /// L-BFGS iterations.
        lbfgsIterations: usize,
        /// Newton steps after L-BFGS.
        newtonIterations: usize,
        /// Largest gradient entry (log-parameters) over the total weight, at the answer.
        gradNorm: f64,
        /// Distinct histories fitted.
        rows: usize,
        /// Total weight (customers).
        totalWeight: f64,
    }
}

js_result! {
    /// One row per customer, sorted by id (lifetimes' `summary_data_from_transaction_data`).
    pub struct RfmSummary {
        /// Customer ids.
        customerId: Vec<String>,
        /// Purchase periods after the first.
        frequency: F64s,
        /// Last purchase period minus the first.
        recency: F64s,
        /// Observation end's period minus the first purchase period.
        T: F64s,
        /// Mean spend of the repeat periods (0 without repeats or spend data).
        monetaryValue: F64s,
    }
}

js_result! {
    /// The calibration summary and the holdout counts (lifetimes' `calibration_and_holdout_data`).
    pub struct CalibrationHoldout {
        /// Customer ids seen in calibration, sorted.
        customerId: Vec<String>,
        /// Calibration frequency.
        frequencyCal: F64s,
        /// Calibration recency.
        recencyCal: F64s,
        /// Calibration age.
        TCal: F64s,
        /// Calibration mean repeat spend.
        monetaryValueCal: F64s,
        /// Distinct purchase periods in the holdout.
        frequencyHoldout: F64s,
        /// Mean value of the holdout transactions.
        monetaryValueHoldout: F64s,
        /// Length of the holdout in periods over `freqMultiplier`.
        durationHoldout: f64,
    }
}

js_result! {
    /// `ln |2F1(a, b; c; z)|` and the sign of `2F1`.
    pub struct LnHyp2f1 {
        /// `ln |2F1|`.
        value: f64,
        /// `1` or `-1`.
        sign: f64,
    }
}

/// The TypeScript declarations of this module's types.
pub fn declarations() -> Vec<String> {
    use crate::decl::Declared;
    vec![
        ClvFitOptions::declaration(),
        SbgFitOptions::declaration(),
        ClvHistories::declaration(),
        ClvPeriods::declaration(),
        ClvSpend::declaration(),
        ClvCustomers::declaration(),
        ClvValueOptions::declaration(),
        BetaGeoValues::declaration(),
        ParetoNbdValues::declaration(),
        BetaGeoBetaBinomValues::declaration(),
        GammaGammaValues::declaration(),
        ShiftedBetaGeoValues::declaration(),
        crate::decl::interface(
            &[" A transaction log, one purchase per row (what `rfm` and `calibrationAndHoldout` read)."],
            "RfmLog",
            &[
                (&[" Customer ids."], "customerId: string[]".into()),
                (&[" Purchase times, whole unix seconds or `Date`s."], "datetime: Timestamps".into()),
                (&[" Purchase values (optional)."], "monetaryValue?: Numbers | null".into()),
            ],
        ),
        RfmSummaryOptions::declaration(),
        ClvDiagnostics::declaration(),
        RfmSummary::declaration(),
        CalibrationHoldout::declaration(),
        LnHyp2f1::declaration(),
    ]
}

/// The core's field names as the JS caller wrote them.
fn js_field(f: &str) -> Option<String> {
    match f {
        "discount_rate" => Some("options.discountRate".into()),
        "penalizer_coef" => Some("options.penalizerCoef".into()),
        "freq" | "freq_multiplier" | "months" => Some(format!("options.{}", camel(f))),
        _ if f.starts_with("monetary_value") || f.starts_with("calibration_end") || f.starts_with("n_periods") => Some(camel(f)),
        _ => None,
    }
}

fn js<T>(r: Result<T>) -> Result<T> {
    r.map_err(|e| renamed(e, js_field))
}

fn object(fields: Vec<(&'static str, Out)>) -> Out {
    Out::Object(
        fields
            .into_iter()
            .map(|(k, v)| (Cow::Borrowed(k), Some(v)))
            .collect(),
    )
}

fn diagnostics(d: &FitDiagnostics) -> ClvDiagnostics {
    ClvDiagnostics {
        lbfgsIterations: d.lbfgs_iterations,
        newtonIterations: d.newton_iterations,
        gradNorm: d.grad_norm,
        rows: d.rows,
        totalWeight: d.total_weight,
    }
}

/// The object behind `this`: a parameter class `P` or a fitted model `F` (its parameters).
fn params_of<H: Host, P, F>(h: H, a: &[H::V], of: impl Fn(&F) -> P) -> Result<P>
where
    P: Any + Send + Sync + Copy,
    F: Any + Send + Sync,
{
    match this::<H, P>(h, a) {
        Ok(p) => Ok(*p),
        Err(e) => this::<H, F>(h, a).map(|f| of(&f)).map_err(|_| e),
    }
}

fn histories<H: Host>(h: H, v: &H::V) -> Result<ClvHistories> {
    ClvHistories::read(h, v, "data")
}

/// P(exactly `n` repeat purchases in `t`) of a new customer: the BG/NBD family's (the
/// Pareto/NBD classes do not have the method).
fn purchase_probability(m: PurchaseModel, n: u32, t: f64) -> Result<f64> {
    match m {
        PurchaseModel::BetaGeo(m) => m.probability_of_purchases(n, t),
        PurchaseModel::ModifiedBetaGeo(m) => m.probability_of_purchases(n, t),
        PurchaseModel::ParetoNbd(_) => Err(Error::InvalidParameter {
            field: "this".into(),
            value: "a Pareto/NBD model".into(),
            reason: "probabilityOfPurchases is the BG/NBD family's (BetaGeoParams, ModifiedBetaGeoParams and their fits)".into(),
        }),
    }
}

/// A purchase model's parameters by name.
fn purchase_named(m: PurchaseModel) -> Out {
    match m {
        PurchaseModel::BetaGeo(BetaGeoParams { r, alpha, a, b })
        | PurchaseModel::ModifiedBetaGeo(ModifiedBetaGeoParams { r, alpha, a, b }) => {
            named(&[("r", r), ("alpha", alpha), ("a", a), ("b", b)])
        }
        PurchaseModel::ParetoNbd(p) => named(&[("r", p.r), ("alpha", p.alpha), ("s", p.s), ("beta", p.beta)]),
    }
}

/// The purchase model behind `this` (any of the six purchase classes).
fn purchases_this<H: Host>(h: H, a: &[H::V]) -> Result<PurchaseModel> {
    if let Ok(p) = params_of::<H, BetaGeoParams, FittedBetaGeo>(h, a, |f| f.params) {
        return Ok(PurchaseModel::BetaGeo(p));
    }
    if let Ok(p) = params_of::<H, ModifiedBetaGeoParams, FittedModifiedBetaGeo>(h, a, |f| f.params) {
        return Ok(PurchaseModel::ModifiedBetaGeo(p));
    }
    params_of::<H, ParetoNbdParams, FittedParetoNbd>(h, a, |f| f.params).map(PurchaseModel::ParetoNbd)
}

/// The purchase model passed as argument `v` (`clv()`'s `model`).
fn purchases_arg<H: Host>(h: H, v: &H::V) -> Result<PurchaseModel> {
    if let Some(p) = boxed::<H, BetaGeoParams>(h, v) {
        return Ok(PurchaseModel::BetaGeo(*p));
    }
    if let Some(f) = boxed::<H, FittedBetaGeo>(h, v) {
        return Ok(PurchaseModel::BetaGeo(f.params));
    }
    if let Some(p) = boxed::<H, ModifiedBetaGeoParams>(h, v) {
        return Ok(PurchaseModel::ModifiedBetaGeo(*p));
    }
    if let Some(f) = boxed::<H, FittedModifiedBetaGeo>(h, v) {
        return Ok(PurchaseModel::ModifiedBetaGeo(f.params));
    }
    if let Some(p) = boxed::<H, ParetoNbdParams>(h, v) {
        return Ok(PurchaseModel::ParetoNbd(*p));
    }
    if let Some(f) = boxed::<H, FittedParetoNbd>(h, v) {
        return Ok(PurchaseModel::ParetoNbd(f.params));
    }
    Err(read::wrong(h, "model", v, "a BG/NBD, MBG/NBD or Pareto/NBD model (BetaGeoParams, FittedBetaGeo, ModifiedBetaGeoParams, FittedModifiedBetaGeo, ParetoNbdParams, FittedParetoNbd)"))
}

// ---- specs -------------------------------------------------------------------------------------

fn fit_options<H: Host>(h: H, a: &[H::V]) -> Result<(usize, bool, f64)> {
    let o = ClvFitOptions::read(h, &arg(h, a, 0)?, "options")?;
    Ok((o.maxIter.unwrap_or(2000), o.collapse.unwrap_or(true), o.penalizerCoef.unwrap_or(0.0)))
}

/// `new clv.BetaGeo(options?)`.
pub fn bg_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (n, c, p) = fit_options(h, a)?;
    let s = BetaGeo::default().max_iter(n).collapse(c).penalizer_coef(p);
    job(move || Ok(Handle(Arc::new(s))))
}

/// The core's fit of a purchase spec `S`: `(spec, frequency, recency, T, weights)`.
type HistoriesFit<S, F> = fn(&S, &[f64], &[f64], &[f64], Option<&[f64]>) -> Result<F>;

/// A purchase spec's `fit(data)`: `fit` is the core's fit of spec `S` to the histories.
fn fit_histories<H: Host, S, F>(h: H, a: &[H::V], fit: HistoriesFit<S, F>) -> Result<Job>
where
    S: Any + Send + Sync,
    F: Any + Send + Sync,
{
    let s: Arc<S> = this(h, a)?;
    let d = histories(h, &arg(h, a, 1)?)?;
    job(move || {
        let (f, r, t) = (d.frequency.unwrap_or_default(), d.recency.unwrap_or_default(), d.T.unwrap_or_default());
        Ok(Handle(Arc::new(js(fit(&s, &f, &r, &t, d.weights.as_deref()))?)))
    })
}

/// `BetaGeo.fit(data)`.
pub fn bg_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    fit_histories(h, a, BetaGeo::fit)
}

/// `new clv.ModifiedBetaGeo(options?)`.
pub fn mbg_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (n, c, p) = fit_options(h, a)?;
    let s = ModifiedBetaGeo::default().max_iter(n).collapse(c).penalizer_coef(p);
    job(move || Ok(Handle(Arc::new(s))))
}

/// `ModifiedBetaGeo.fit(data)`.
pub fn mbg_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    fit_histories(h, a, ModifiedBetaGeo::fit)
}

/// `new clv.ParetoNbd(options?)`.
pub fn pareto_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (n, c, p) = fit_options(h, a)?;
    let s = ParetoNbd::default().max_iter(n).collapse(c).penalizer_coef(p);
    job(move || Ok(Handle(Arc::new(s))))
}

/// `ParetoNbd.fit(data)`.
pub fn pareto_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    fit_histories(h, a, ParetoNbd::fit)
}

/// `new clv.GammaGamma(options?)`.
pub fn gg_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (n, c, p) = fit_options(h, a)?;
    let s = GammaGamma::default().max_iter(n).collapse(c).penalizer_coef(p);
    job(move || Ok(Handle(Arc::new(s))))
}

/// `GammaGamma.fit(data)`.
pub fn gg_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let s: Arc<GammaGamma> = this(h, a)?;
    let d = ClvSpend::read(h, &arg(h, a, 1)?, "data")?;
    job(move || {
        let (f, m) = (
            d.frequency.unwrap_or_default(),
            d.monetaryValue.unwrap_or_default(),
        );
        Ok(Handle(Arc::new(js(s.fit(&f, &m, d.weights.as_deref()))?)))
    })
}

/// `new clv.ShiftedBetaGeo(options?)`.
pub fn sbg_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = SbgFitOptions::read(h, &arg(h, a, 0)?, "options")?;
    let s = ShiftedBetaGeo::default()
        .max_iter(o.maxIter.unwrap_or(2000))
        .penalizer_coef(o.penalizerCoef.unwrap_or(0.0));
    job(move || Ok(Handle(Arc::new(s))))
}

/// `ShiftedBetaGeo.fit(survivors)`.
pub fn sbg_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let s: Arc<ShiftedBetaGeo> = this(h, a)?;
    let n = read::numbers(h, &arg(h, a, 1)?, "survivors")?;
    job(move || Ok(Handle(Arc::new(js(s.fit(&n))?))))
}

// ---- parameter classes ---------------------------------------------------------------------------

/// `new clv.BetaGeoParams({ r, alpha, a, b })` (and, with `ModifiedBetaGeoParams::new`, the
/// MBG/NBD class): `new` is the core's constructor.
fn bg_family_new<H: Host, P: Any + Send + Sync>(h: H, a: &[H::V], new: fn(f64, f64, f64, f64) -> Result<P>) -> Result<Job> {
    let v = BetaGeoValues::read(h, &arg(h, a, 0)?, "params")?;
    let p = new(v.r.unwrap_or_default(), v.alpha.unwrap_or_default(), v.a.unwrap_or_default(), v.b.unwrap_or_default())?;
    job(move || Ok(Handle(Arc::new(p))))
}

/// `new clv.BetaGeoParams({ r, alpha, a, b })`.
pub fn bg_params_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    bg_family_new(h, a, BetaGeoParams::new)
}

/// `new clv.ModifiedBetaGeoParams({ r, alpha, a, b })`.
pub fn mbg_params_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    bg_family_new(h, a, ModifiedBetaGeoParams::new)
}

/// `new clv.ParetoNbdParams({ r, alpha, s, beta })`.
pub fn pareto_params_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let v = ParetoNbdValues::read(h, &arg(h, a, 0)?, "params")?;
    let p = ParetoNbdParams::new(
        v.r.unwrap_or_default(),
        v.alpha.unwrap_or_default(),
        v.s.unwrap_or_default(),
        v.beta.unwrap_or_default(),
    )?;
    job(move || Ok(Handle(Arc::new(p))))
}

/// `new clv.GammaGammaParams({ p, q, v })`.
pub fn gg_params_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let v = GammaGammaValues::read(h, &arg(h, a, 0)?, "params")?;
    let p = GammaGammaParams::new(
        v.p.unwrap_or_default(),
        v.q.unwrap_or_default(),
        v.v.unwrap_or_default(),
    )?;
    job(move || Ok(Handle(Arc::new(p))))
}

/// `new clv.ShiftedBetaGeoParams({ alpha, beta })`.
pub fn sbg_params_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let v = ShiftedBetaGeoValues::read(h, &arg(h, a, 0)?, "params")?;
    let p = ShiftedBetaGeoParams::new(v.alpha.unwrap_or_default(), v.beta.unwrap_or_default())?;
    job(move || Ok(Handle(Arc::new(p))))
}

/// `new Fitted*()`: not for direct use.
pub fn fitted_new<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    Err(Error::InvalidParameter {
        field: "Fitted".into(),
        value: "new Fitted*()".into(),
        reason: "a fitted CLV model is made by a spec's fit(data) (new clv.BetaGeo().fit(data)) or Fitted*.fromJSON(json)".into(),
    })
}

// ---- purchase-model predictions (parameter and fitted classes) ------------------------------------

/// `pAlive(data)`.
pub fn p_alive<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = purchases_this(h, a)?;
    let d = histories(h, &arg(h, a, 1)?)?;
    job(move || {
        Ok(F64s(m.p_alive(
            &d.frequency.unwrap_or_default(),
            &d.recency.unwrap_or_default(),
            &d.T.unwrap_or_default(),
        )?))
    })
}

/// `expectedPurchases(t, data)`.
pub fn expected_purchases<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = purchases_this(h, a)?;
    let t = read::number(h, &arg(h, a, 1)?, "t")?;
    let d = histories(h, &arg(h, a, 2)?)?;
    job(move || {
        Ok(F64s(m.expected_purchases(
            t,
            &d.frequency.unwrap_or_default(),
            &d.recency.unwrap_or_default(),
            &d.T.unwrap_or_default(),
        )?))
    })
}

/// `expectedPurchasesUnconditional(t)`.
pub fn expected_purchases_unconditional<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = purchases_this(h, a)?;
    let t = read::number(h, &arg(h, a, 1)?, "t")?;
    job(move || m.expected_purchases_unconditional(t))
}

/// `logLikelihoodOf(data)`.
pub fn log_likelihood_of<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = purchases_this(h, a)?;
    let d = histories(h, &arg(h, a, 1)?)?;
    job(move || {
        m.log_likelihood(
            &d.frequency.unwrap_or_default(),
            &d.recency.unwrap_or_default(),
            &d.T.unwrap_or_default(),
            d.weights.as_deref(),
        )
    })
}

/// BG/NBD and MBG/NBD `probabilityOfPurchases(n, t)`: one number, or an array for an array of `n`.
pub fn probability_of_purchases<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = purchases_this(h, a)?;
    let nv = arg(h, a, 1)?;
    let many = h.kind(&nv) != crate::host::Kind::Number;
    let ns: Vec<u32> = if many {
        read::sizes(h, &nv, "n")?
            .into_iter()
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            .collect()
    } else {
        vec![u32::try_from(read::size(h, &nv, "n")?).unwrap_or(u32::MAX)]
    };
    let t = read::number(h, &arg(h, a, 2)?, "t")?;
    job(move || {
        let ps = ns
            .iter()
            .map(|&n| purchase_probability(m, n, t))
            .collect::<Result<Vec<f64>>>()?;
        Ok(if many {
            Out::F64s(ps)
        } else {
            Out::Number(ps[0])
        })
    })
}

// ---- BG/BB ---------------------------------------------------------------------------------------

/// `new clv.BetaGeoBetaBinom(options?)`.
pub fn bb_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (n, c, p) = fit_options(h, a)?;
    let s = BetaGeoBetaBinom::default().max_iter(n).collapse(c).penalizer_coef(p);
    job(move || Ok(Handle(Arc::new(s))))
}

/// BG/BB histories: frequency, recency, nPeriods and the optional weights.
type Periods = (Vec<f64>, Vec<f64>, Vec<f64>, Option<Vec<f64>>);

/// A BG/BB `data` argument's columns.
fn bb_histories<H: Host>(h: H, v: &H::V) -> Result<Periods> {
    let d = ClvPeriods::read(h, v, "data")?;
    Ok((d.frequency.unwrap_or_default(), d.recency.unwrap_or_default(), d.nPeriods.unwrap_or_default(), d.weights))
}

/// `BetaGeoBetaBinom.fit(data)`.
pub fn bb_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let s: Arc<BetaGeoBetaBinom> = this(h, a)?;
    let (f, r, n, w) = bb_histories(h, &arg(h, a, 1)?)?;
    job(move || Ok(Handle(Arc::new(js(s.fit(&f, &r, &n, w.as_deref()))?))))
}

/// `new clv.BetaGeoBetaBinomParams({ alpha, beta, gamma, delta })`.
pub fn bb_params_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let v = BetaGeoBetaBinomValues::read(h, &arg(h, a, 0)?, "params")?;
    let p = BetaGeoBetaBinomParams::new(v.alpha.unwrap_or_default(), v.beta.unwrap_or_default(), v.gamma.unwrap_or_default(), v.delta.unwrap_or_default())?;
    job(move || Ok(Handle(Arc::new(p))))
}

fn bb_this<H: Host>(h: H, a: &[H::V]) -> Result<BetaGeoBetaBinomParams> {
    params_of::<H, BetaGeoBetaBinomParams, FittedBetaGeoBetaBinom>(h, a, |f| f.params)
}

/// An opportunity count argument (`mPeriods`, `nPeriods`, `x`) as the core's `u32`.
fn opportunities<H: Host>(h: H, v: &H::V, field: &str) -> Result<u32> {
    let n = read::size(h, v, field)?;
    u32::try_from(n).map_err(|_| Error::OutOfRange { field: field.into(), value: n as f64, min: 0.0, max: f64::from(u32::MAX) })
}

/// BG/BB `pAlive(data, mPeriods?)`: alive at opportunity `nPeriods + mPeriods` (default 0: now).
pub fn bb_p_alive<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = bb_this(h, a)?;
    let (f, r, n, _) = bb_histories(h, &arg(h, a, 1)?)?;
    let mv = arg(h, a, 2)?;
    let mp = match read::given(h, mv) {
        Some(v) => opportunities(h, &v, "mPeriods")?,
        None => 0,
    };
    job(move || Ok(F64s(js(m.p_alive(mp, &f, &r, &n))?)))
}

/// BG/BB `expectedPurchases(mPeriods, data)`.
pub fn bb_expected_purchases<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = bb_this(h, a)?;
    let mp = opportunities(h, &arg(h, a, 1)?, "mPeriods")?;
    let (f, r, n, _) = bb_histories(h, &arg(h, a, 2)?)?;
    job(move || Ok(F64s(js(m.expected_purchases(mp, &f, &r, &n))?)))
}

/// BG/BB `expectedPurchasesUnconditional(nPeriods)`.
pub fn bb_expected_purchases_unconditional<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = bb_this(h, a)?;
    let n = opportunities(h, &arg(h, a, 1)?, "nPeriods")?;
    job(move || js(m.expected_purchases_unconditional(n)))
}

/// BG/BB `probabilityOfPurchases(x, nPeriods)`: one number, or an array for an array of `x`.
pub fn bb_probability_of_purchases<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = bb_this(h, a)?;
    let xv = arg(h, a, 1)?;
    let many = h.kind(&xv) != crate::host::Kind::Number;
    let xs: Vec<u32> = if many {
        read::sizes(h, &xv, "x")?.into_iter().map(|n| u32::try_from(n).unwrap_or(u32::MAX)).collect()
    } else {
        vec![opportunities(h, &xv, "x")?]
    };
    let n = opportunities(h, &arg(h, a, 2)?, "nPeriods")?;
    job(move || {
        let ps = xs.iter().map(|&x| js(m.probability_of_purchases(x, n))).collect::<Result<Vec<f64>>>()?;
        Ok(if many { Out::F64s(ps) } else { Out::Number(ps[0]) })
    })
}

/// BG/BB `logLikelihoodOf(data)`.
pub fn bb_log_likelihood_of<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = bb_this(h, a)?;
    let (f, r, n, w) = bb_histories(h, &arg(h, a, 1)?)?;
    job(move || js(m.log_likelihood(&f, &r, &n, w.as_deref())))
}

// ---- Gamma-Gamma ---------------------------------------------------------------------------------

fn gg_this<H: Host>(h: H, a: &[H::V]) -> Result<GammaGammaParams> {
    params_of::<H, GammaGammaParams, FittedGammaGamma>(h, a, |f| f.params)
}

/// `expectedSpend(data)`.
pub fn expected_spend<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = gg_this(h, a)?;
    let d = ClvSpend::read(h, &arg(h, a, 1)?, "data")?;
    job(move || {
        Ok(F64s(js(m.expected_spend(
            &d.frequency.unwrap_or_default(),
            &d.monetaryValue.unwrap_or_default(),
        ))?))
    })
}

/// `clv(model, data, options?)`.
pub fn clv<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = gg_this(h, a)?;
    let model = purchases_arg(h, &arg(h, a, 1)?)?;
    let d = ClvCustomers::read(h, &arg(h, a, 2)?, "data")?;
    let o = ClvValueOptions::read(h, &arg(h, a, 3)?, "options")?;
    let freq = js(Freq::parse(o.freq.as_deref().unwrap_or("D")))?;
    let months = u32::try_from(o.months.unwrap_or(12)).map_err(|_| Error::OutOfRange {
        field: "options.months".into(),
        value: o.months.unwrap_or(0) as f64,
        min: 0.0,
        max: f64::from(u32::MAX),
    })?;
    let rate = o.discountRate.unwrap_or(0.01);
    job(move || {
        let v = m.customer_lifetime_value(
            &model,
            &d.frequency.unwrap_or_default(),
            &d.recency.unwrap_or_default(),
            &d.T.unwrap_or_default(),
            &d.monetaryValue.unwrap_or_default(),
            months,
            rate,
            freq,
        );
        Ok(F64s(js(v)?))
    })
}

// ---- sBG -----------------------------------------------------------------------------------------

fn sbg_this<H: Host>(h: H, a: &[H::V]) -> Result<ShiftedBetaGeoParams> {
    params_of::<H, ShiftedBetaGeoParams, FittedShiftedBetaGeo>(h, a, |f| f.params)
}

fn periods<H: Host>(h: H, a: &[H::V]) -> Result<u32> {
    opportunities(h, &arg(h, a, 1)?, "periods")
}

/// `survival(periods)`: `S(0), ..., S(periods)`.
pub fn survival<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = sbg_this(h, a)?;
    let n = periods(h, a)?;
    job(move || Ok(F64s(m.survival_curve(n)?)))
}

/// `retention(periods)`: `r_1, ..., r_periods`.
pub fn retention<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = sbg_this(h, a)?;
    let n = periods(h, a)?;
    job(move || Ok(F64s(m.retention_curve(n)?)))
}

/// `logLikelihoodOf(survivors)` of the sBG classes.
pub fn sbg_log_likelihood_of<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = sbg_this(h, a)?;
    let s = read::numbers(h, &arg(h, a, 1)?, "survivors")?;
    job(move || m.log_likelihood(&s))
}

// ---- getters of every CLV class --------------------------------------------------------------------

fn named(pairs: &[(&'static str, f64)]) -> Out {
    object(pairs.iter().map(|&(k, v)| (k, Out::Number(v))).collect())
}

/// `params`: the parameters by name, of any CLV class.
pub fn params<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let out = if let Ok(m) = purchases_this(h, a) {
        purchase_named(m)
    } else if let Ok(p) = bb_this(h, a) {
        bb_named(&p)
    } else if let Ok(p) = gg_this(h, a) {
        named(&[("p", p.p), ("q", p.q), ("v", p.v)])
    } else {
        let p = sbg_this(h, a)?;
        named(&[("alpha", p.alpha), ("beta", p.beta)])
    };
    job(move || Ok(out))
}

fn bb_named(p: &BetaGeoBetaBinomParams) -> Out {
    named(&[("alpha", p.alpha), ("beta", p.beta), ("gamma", p.gamma), ("delta", p.delta)])
}

/// What every fitted CLV model has, and its JSON tag.
trait Fitted: Any + Send + Sync + serde::Serialize + serde::de::DeserializeOwned {
    const TAG: &'static str;
    const WHAT: &'static str;
    fn std_errors(&self) -> Out;
    fn log_likelihood(&self) -> f64;
    fn diagnostics(&self) -> &FitDiagnostics;
}

impl Fitted for FittedBetaGeo {
    const TAG: &'static str = "channelwise.clv.FittedBetaGeo";
    const WHAT: &'static str = "BG/NBD";
    fn std_errors(&self) -> Out {
        purchase_named(PurchaseModel::BetaGeo(self.std_errors))
    }
    fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    fn diagnostics(&self) -> &FitDiagnostics {
        &self.diagnostics
    }
}

impl Fitted for FittedModifiedBetaGeo {
    const TAG: &'static str = "channelwise.clv.FittedModifiedBetaGeo";
    const WHAT: &'static str = "MBG/NBD";
    fn std_errors(&self) -> Out {
        purchase_named(PurchaseModel::ModifiedBetaGeo(self.std_errors))
    }
    fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    fn diagnostics(&self) -> &FitDiagnostics {
        &self.diagnostics
    }
}

impl Fitted for FittedBetaGeoBetaBinom {
    const TAG: &'static str = "channelwise.clv.FittedBetaGeoBetaBinom";
    const WHAT: &'static str = "BG/BB";
    fn std_errors(&self) -> Out {
        bb_named(&self.std_errors)
    }
    fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    fn diagnostics(&self) -> &FitDiagnostics {
        &self.diagnostics
    }
}

impl Fitted for FittedParetoNbd {
    const TAG: &'static str = "channelwise.clv.FittedParetoNbd";
    const WHAT: &'static str = "Pareto/NBD";
    fn std_errors(&self) -> Out {
        purchase_named(PurchaseModel::ParetoNbd(self.std_errors))
    }
    fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    fn diagnostics(&self) -> &FitDiagnostics {
        &self.diagnostics
    }
}

impl Fitted for FittedGammaGamma {
    const TAG: &'static str = "channelwise.clv.FittedGammaGamma";
    const WHAT: &'static str = "Gamma-Gamma";
    fn std_errors(&self) -> Out {
        let p = self.std_errors;
        named(&[("p", p.p), ("q", p.q), ("v", p.v)])
    }
    fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    fn diagnostics(&self) -> &FitDiagnostics {
        &self.diagnostics
    }
}

impl Fitted for FittedShiftedBetaGeo {
    const TAG: &'static str = "channelwise.clv.FittedShiftedBetaGeo";
    const WHAT: &'static str = "sBG";
    fn std_errors(&self) -> Out {
        named(&[
            ("alpha", self.std_errors.alpha),
            ("beta", self.std_errors.beta),
        ])
    }
    fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    fn diagnostics(&self) -> &FitDiagnostics {
        &self.diagnostics
    }
}

/// Runs `f` on the fitted model behind `this`, whichever of the six it is.
fn with_fitted<H: Host, R>(h: H, a: &[H::V], f: impl Fn(&dyn FittedView) -> R) -> Result<R> {
    if let Ok(m) = this::<H, FittedBetaGeoBetaBinom>(h, a) {
        return Ok(f(&*m));
    }
    if let Ok(m) = this::<H, FittedBetaGeo>(h, a) {
        return Ok(f(&*m));
    }
    if let Ok(m) = this::<H, FittedModifiedBetaGeo>(h, a) {
        return Ok(f(&*m));
    }
    if let Ok(m) = this::<H, FittedParetoNbd>(h, a) {
        return Ok(f(&*m));
    }
    if let Ok(m) = this::<H, FittedGammaGamma>(h, a) {
        return Ok(f(&*m));
    }
    this::<H, FittedShiftedBetaGeo>(h, a).map(|m| f(&*m))
}

/// The object-safe part of [`Fitted`].
trait FittedView {
    fn std_errors(&self) -> Out;
    fn log_likelihood(&self) -> f64;
    fn diagnostics(&self) -> ClvDiagnostics;
    fn document(&self) -> Result<Out>;
}

impl<T: Fitted> FittedView for T {
    fn std_errors(&self) -> Out {
        Fitted::std_errors(self)
    }
    fn log_likelihood(&self) -> f64 {
        Fitted::log_likelihood(self)
    }
    fn diagnostics(&self) -> ClvDiagnostics {
        diagnostics(Fitted::diagnostics(self))
    }
    fn document(&self) -> Result<Out> {
        to_document(T::TAG, Out::Null, self)
    }
}

/// `stdErrors`.
pub fn std_errors<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let out = with_fitted(h, a, |m| m.std_errors())?;
    job(move || Ok(out))
}

/// `logLikelihood`.
pub fn log_likelihood<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let v = with_fitted(h, a, |m| m.log_likelihood())?;
    job(move || Ok(v))
}

/// `diagnostics`.
pub fn fit_diagnostics<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let d = with_fitted(h, a, |m| m.diagnostics())?;
    job(move || Ok(d))
}

/// `toJSON()`: the document Python's `to_json()` writes (`{ model, spec, fitted }`).
pub fn to_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let doc = with_fitted(h, a, |m| m.document())??;
    job(move || Ok(doc))
}

fn load<H: Host, T: Fitted>(h: H, a: &[H::V], check: impl Fn(&T) -> Result<()>) -> Result<Job> {
    let m: T = from_document(h, &arg(h, a, 0)?, T::TAG, T::WHAT)?;
    check(&m).map_err(|e| Error::InvalidParameter {
        field: "json".into(),
        value: "the document".into(),
        reason: e.to_string(),
    })?;
    job(move || Ok(Handle(Arc::new(m))))
}

/// `FittedBetaGeo.fromJSON(json)`.
pub fn bg_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    load(h, a, |m: &FittedBetaGeo| {
        BetaGeoParams::new(m.params.r, m.params.alpha, m.params.a, m.params.b).map(|_| ())
    })
}

/// `FittedModifiedBetaGeo.fromJSON(json)`.
pub fn mbg_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    load(h, a, |m: &FittedModifiedBetaGeo| {
        ModifiedBetaGeoParams::new(m.params.r, m.params.alpha, m.params.a, m.params.b).map(|_| ())
    })
}

/// `FittedBetaGeoBetaBinom.fromJSON(json)`.
pub fn bb_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    load(h, a, |m: &FittedBetaGeoBetaBinom| {
        BetaGeoBetaBinomParams::new(m.params.alpha, m.params.beta, m.params.gamma, m.params.delta).map(|_| ())
    })
}

/// `FittedParetoNbd.fromJSON(json)`.
pub fn pareto_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    load(h, a, |m: &FittedParetoNbd| {
        ParetoNbdParams::new(m.params.r, m.params.alpha, m.params.s, m.params.beta).map(|_| ())
    })
}

/// `FittedGammaGamma.fromJSON(json)`.
pub fn gg_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    load(h, a, |m: &FittedGammaGamma| {
        GammaGammaParams::new(m.params.p, m.params.q, m.params.v).map(|_| ())
    })
}

/// `FittedShiftedBetaGeo.fromJSON(json)`.
pub fn sbg_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    load(h, a, |m: &FittedShiftedBetaGeo| {
        ShiftedBetaGeoParams::new(m.params.alpha, m.params.beta).map(|_| ())
    })
}

// ---- RFM and 2F1 ---------------------------------------------------------------------------------

/// The columns of a transaction log (`RfmLog`).
pub const RFM_LOG_COLUMNS: &[&str] = &["customerId", "datetime", "monetaryValue"];

/// A transaction log's columns (ids, unix seconds, optional values) and the summary options.
type Log = (Vec<String>, Vec<i64>, Option<Vec<f64>>, rfm::RfmOptions);

/// A transaction log `{ customerId, datetime, monetaryValue? }` and the options.
fn log<H: Host>(h: H, a: &[H::V], opts_at: usize) -> Result<Log> {
    let v = arg(h, a, 0)?;
    read::columns(h, &v, "log", RFM_LOG_COLUMNS)?;
    let ids = read::strings(
        h,
        &read::require(h, &v, "customerId", "log.customerId")?,
        "log.customerId",
    )?;
    let ts = read::timestamps(
        h,
        &read::require(h, &v, "datetime", "log.datetime")?,
        "log.datetime",
    )?;
    let m = read::get(h, &v, "monetaryValue", "log.monetaryValue")?
        .and_then(|x| read::given(h, x))
        .map(|x| read::numbers(h, &x, "log.monetaryValue"))
        .transpose()?;
    let o = RfmSummaryOptions::read(h, &arg(h, a, opts_at)?, "options")?;
    let opts = rfm::RfmOptions {
        freq: js(Period::parse(o.freq.as_deref().unwrap_or("D")))?,
        freq_multiplier: o.freqMultiplier.unwrap_or(1.0),
        observation_end: o.observationEnd.map(|t| t.0),
    };
    Ok((ids, ts, m, opts))
}

/// `clv.rfm(log, options?)`.
pub fn rfm_summary<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (ids, ts, m, opts) = log(h, a, 1)?;
    job(move || {
        let s = js(rfm::summary(&ids, &ts, m.as_deref(), &opts))?;
        Ok(RfmSummary {
            customerId: s.customer_id,
            frequency: F64s(s.frequency),
            recency: F64s(s.recency),
            T: F64s(s.t),
            monetaryValue: F64s(s.monetary_value),
        })
    })
}

/// `clv.calibrationAndHoldout(log, calibrationEnd, options?)`.
pub fn calibration_and_holdout<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (ids, ts, m, opts) = log(h, a, 2)?;
    let end = read::time(h, &arg(h, a, 1)?, "calibrationEnd")?;
    job(move || {
        let c = js(rfm::calibration_and_holdout(
            &ids,
            &ts,
            m.as_deref(),
            end,
            &opts,
        ))?;
        let s = c.calibration;
        Ok(CalibrationHoldout {
            customerId: s.customer_id,
            frequencyCal: F64s(s.frequency),
            recencyCal: F64s(s.recency),
            TCal: F64s(s.t),
            monetaryValueCal: F64s(s.monetary_value),
            frequencyHoldout: F64s(c.frequency_holdout),
            monetaryValueHoldout: F64s(c.monetary_value_holdout),
            durationHoldout: c.duration_holdout,
        })
    })
}

/// `clv.lnHyp2f1(a, b, c, z)`.
pub fn ln_hyp2f1_fn<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let [x, y, c, z] = ["a", "b", "c", "z"]
        .iter()
        .enumerate()
        .map(|(i, k)| read::number(h, &arg(h, a, i)?, k))
        .collect::<Result<Vec<f64>>>()?
        .try_into()
        .map_err(|_| Error::Internal("four arguments".into()))?;
    job(move || {
        let (value, sign) = ln_hyp2f1(x, y, c, z)?;
        Ok(LnHyp2f1 { value, sign })
    })
}
