//! `optimize.Saturation` and `optimize.Adstock`: the core's response curves and carry-over
//! (`channelwise::optimize::response`), in pymc-marketing's parameterisations.
//!
//! A curve is given as a plain object, its kind and that kind's parameters
//! (`{ kind: 'hill', slope, kappa, beta }`; `{ kind: 'geometric', alpha, lMax, normalize }`),
//! the same object `FittedMMM.summary()` reports the fitted curves in. Keys are checked against
//! the kind's parameter names, so a misspelt or foreign parameter is an error, never ignored.

use std::borrow::Cow;
use std::sync::Arc;

use channelwise::optimize::response::{Adstock, Saturation, ADSTOCK_KINDS, SATURATION_KINDS};
use channelwise::{Error, Result};

use super::renamed;
use crate::api::{arg, getter, job, this, Job};
use crate::decl::{Declared, FromJs, OneOrMany};
use crate::host::Host;
use crate::keys::camel;
use crate::out::{F64s, Handle, IntoOut, Out};
use crate::read;

/// The kind named at `field.kind`, with the keys its object may hold (`kind` first).
fn kind_and_keys<H: Host>(
    h: H,
    v: &H::V,
    field: &str,
    kinds: &[&str],
    params: fn(&str) -> Option<&'static [&'static str]>,
    extra: &[&'static str],
) -> Result<(String, &'static [&'static str])> {
    read::object(h, v, field)?;
    let kind_field = format!("{field}.kind");
    let kind = read::string(h, &read::require(h, v, "kind", &kind_field)?, &kind_field)?;
    let names = params(&kind).ok_or_else(|| Error::InvalidParameter {
        field: kind_field,
        value: kind.clone(),
        reason: format!("expected one of {}", kinds.join(", ")),
    })?;
    let keys: Vec<String> = std::iter::once("kind")
        .chain(names.iter().copied())
        .chain(extra.iter().copied())
        .map(camel)
        .collect();
    let allowed: Vec<&str> = keys.iter().map(String::as_str).collect();
    read::options(h, v, field, &allowed)?;
    Ok((kind, names))
}

/// Parameter `name` of the object at `field`, required.
fn param<H: Host>(h: H, v: &H::V, field: &str, name: &str) -> Result<f64> {
    let f = format!("{field}.{}", camel(name));
    read::number(h, &read::require(h, v, &camel(name), &f)?, &f)
}

/// The core's `<prefix>.<param>` as the caller's `<field>.<param>` (camelCase).
fn rename_prefix(field: &str, prefix: &str) -> impl Fn(&str) -> Option<String> {
    let (field, prefix) = (field.to_string(), format!("{prefix}."));
    move |f: &str| {
        f.strip_prefix(&prefix)
            .map(|p| format!("{field}.{}", camel(p)))
    }
}

/// `kind` and parameters as a JS object: `{ kind, ...params }` and `extra` after them.
fn spec_out(kind: &str, names: &[&str], params: &[f64], extra: Vec<(&'static str, Out)>) -> Out {
    let mut fields: Vec<(Cow<'static, str>, Option<Out>)> =
        vec![(Cow::Borrowed("kind"), Some(Out::String(kind.into())))];
    fields.extend(
        names
            .iter()
            .zip(params)
            .map(|(n, &p)| (Cow::Owned(camel(n)), Some(Out::Number(p)))),
    );
    fields.extend(extra.into_iter().map(|(k, v)| (Cow::Borrowed(k), Some(v))));
    Out::Object(fields)
}

/// The TypeScript union of every kind's object.
fn spec_union(
    doc: &str,
    name: &str,
    kinds: &[&str],
    params: fn(&str) -> Option<&'static [&'static str]>,
    extra: &str,
) -> String {
    let mut s = format!("/** {doc} */\nexport type {name} =\n");
    for k in kinds {
        let ps: String = params(k)
            .unwrap_or(&[])
            .iter()
            .map(|p| format!("; {}: number", camel(p)))
            .collect();
        s.push_str(&format!("  | {{ kind: '{k}'{ps}{extra} }}\n"));
    }
    s.truncate(s.len() - 1);
    s.push_str(";\n");
    s
}

/// A saturation curve as a plain object: `{ kind, ...params }`.
pub struct SaturationSpec(pub Saturation);

impl FromJs for SaturationSpec {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let (kind, names) =
            kind_and_keys(h, v, field, &SATURATION_KINDS, Saturation::kind_params, &[])?;
        let p = names
            .iter()
            .map(|n| param(h, v, field, n))
            .collect::<Result<Vec<_>>>()?;
        Saturation::from_params(&kind, &p)
            .map(SaturationSpec)
            .map_err(|e| renamed(e, rename_prefix(field, "saturation")))
    }
    fn ts() -> String {
        "SaturationSpec".into()
    }
}

impl IntoOut for SaturationSpec {
    fn into_out(self) -> Out {
        spec_out(
            self.0.kind(),
            self.0.param_names(),
            &self.0.params(),
            Vec::new(),
        )
    }
    fn ts() -> String {
        "SaturationSpec".into()
    }
}

impl Declared for SaturationSpec {
    fn declaration() -> String {
        spec_union(
            "A saturation curve: its kind and that kind's parameters (pymc-marketing's names; the formulas are in `optimize.Saturation`).",
            "SaturationSpec",
            &SATURATION_KINDS,
            Saturation::kind_params,
            "",
        )
    }
}

/// An adstock as a plain object: `{ kind, ...params, lMax, normalize }`.
pub struct AdstockSpec(pub Adstock);

/// Lags when `lMax` is not given (as the media mix model's and the Python binding's default).
pub const L_MAX_DEFAULT: usize = 8;

/// Whether adstock weights are normalised when `normalize` is not given (pymc-marketing's
/// default, and the media mix model's).
pub const NORMALIZE_DEFAULT: bool = true;

impl FromJs for AdstockSpec {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let (kind, names) = kind_and_keys(
            h,
            v,
            field,
            &ADSTOCK_KINDS,
            Adstock::kind_params,
            &["l_max", "normalize"],
        )?;
        let p = names
            .iter()
            .map(|n| param(h, v, field, n))
            .collect::<Result<Vec<_>>>()?;
        let l_field = format!("{field}.lMax");
        let l_max = read::get(h, v, "lMax", &l_field)?
            .map(|x| read::size(h, &x, &l_field))
            .transpose()?
            .unwrap_or(L_MAX_DEFAULT);
        let n_field = format!("{field}.normalize");
        let normalize = read::get(h, v, "normalize", &n_field)?
            .map(|x| read::boolean(h, &x, &n_field))
            .transpose()?
            .unwrap_or(NORMALIZE_DEFAULT);
        Adstock::from_params(&kind, &p, l_max, normalize)
            .map(AdstockSpec)
            .map_err(|e| renamed(e, rename_prefix(field, "adstock")))
    }
    fn ts() -> String {
        "AdstockSpec".into()
    }
}

/// Whether an adstock normalises its weights (the core keeps it in each kind).
fn normalizes(a: &Adstock) -> bool {
    match *a {
        Adstock::Geometric { normalize, .. }
        | Adstock::Delayed { normalize, .. }
        | Adstock::WeibullPdf { normalize, .. }
        | Adstock::WeibullCdf { normalize, .. } => normalize,
    }
}

impl IntoOut for AdstockSpec {
    fn into_out(self) -> Out {
        let a = self.0;
        let extra = vec![
            ("lMax", Out::Number(a.l_max() as f64)),
            ("normalize", Out::Boolean(normalizes(&a))),
        ];
        spec_out(a.kind(), a.param_names(), &a.params(), extra)
    }
    fn ts() -> String {
        "AdstockSpec".into()
    }
}

impl Declared for AdstockSpec {
    fn declaration() -> String {
        spec_union(
            "An adstock (carry-over): its kind, that kind's parameters, the number of lags `lMax` (default 8) and whether the weights are divided by their sum (`normalize`, default `true`); the weights are in `optimize.Adstock`.",
            "AdstockSpec",
            &ADSTOCK_KINDS,
            Adstock::kind_params,
            "; lMax?: number; normalize?: boolean",
        )
    }
}

/// A `{ name: value }` object of parameters.
pub struct ParamObject(pub &'static [&'static str], pub Vec<f64>);

impl IntoOut for ParamObject {
    fn into_out(self) -> Out {
        Out::Object(
            self.0
                .iter()
                .zip(self.1)
                .map(|(n, p)| (Cow::Owned(camel(n)), Some(Out::Number(p))))
                .collect(),
        )
    }
    fn ts() -> String {
        "Record<string, number>".into()
    }
}

/// `new optimize.Saturation(spec)`.
pub fn saturation_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let s = SaturationSpec::from_js(h, &arg(h, a, 0)?, "options")?.0;
    job(move || Ok(Handle(Arc::new(s))))
}

/// `Saturation.robynHill(alpha, gamma, x)`.
pub fn saturation_robyn_hill<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let alpha = read::number(h, &arg(h, a, 0)?, "alpha")?;
    let gamma = read::number(h, &arg(h, a, 1)?, "gamma")?;
    let x = read::numbers(h, &arg(h, a, 2)?, "x")?;
    job(move || {
        let rename = |f: &str| (f == "saturation.slope").then(|| "alpha".to_string());
        let s = Saturation::robyn_hill(alpha, gamma, &x).map_err(|e| renamed(e, rename))?;
        Ok(Handle(Arc::new(s)))
    })
}

/// A curve method on `number | Numbers`.
fn on_numbers<H: Host>(
    h: H,
    a: &[H::V],
    name: &str,
    f: fn(&Saturation, &[f64]) -> Result<Vec<f64>>,
) -> Result<Job> {
    let s: Arc<Saturation> = this(h, a)?;
    let x = OneOrMany::from_js(h, &arg(h, a, 1)?, name)?.0;
    job(move || f(&s, &x).map(F64s))
}

/// `Saturation.value(x)`.
pub fn saturation_value<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    on_numbers(h, a, "x", Saturation::values)
}

/// `Saturation.derivative(x)`.
pub fn saturation_derivative<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    on_numbers(h, a, "x", Saturation::derivatives)
}

/// `Saturation.inverseMarginal(m)`.
pub fn saturation_inverse_marginal<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    on_numbers(h, a, "m", Saturation::inverse_marginals)
}

getter!(Saturation, saturation_kind, &'static str, |s| s.kind());
getter!(Saturation, saturation_params, ParamObject, |s| ParamObject(
    s.param_names(),
    s.params()
));
getter!(Saturation, saturation_is_s_shaped, bool, |s| s
    .is_s_shaped());
getter!(Saturation, saturation_inflection, f64, |s| s.inflection());
getter!(Saturation, saturation_spec, SaturationSpec, |s| {
    SaturationSpec(*s)
});

/// `new optimize.Adstock(spec)`.
pub fn adstock_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let s = AdstockSpec::from_js(h, &arg(h, a, 0)?, "options")?.0;
    job(move || Ok(Handle(Arc::new(s))))
}

/// `Adstock.weights()`.
pub fn adstock_weights<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let s: Arc<Adstock> = this(h, a)?;
    job(move || Ok(F64s(s.weights())))
}

/// `Adstock.apply(x, pre?)`.
pub fn adstock_apply<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let s: Arc<Adstock> = this(h, a)?;
    let x = read::numbers(h, &arg(h, a, 1)?, "x")?;
    let pre = read::given(h, arg(h, a, 2)?)
        .map(|v| read::numbers(h, &v, "pre"))
        .transpose()?
        .unwrap_or_default();
    job(move || s.apply(&x, &pre).map(F64s))
}

getter!(Adstock, adstock_kind, &'static str, |s| s.kind());
getter!(Adstock, adstock_params, ParamObject, |s| ParamObject(
    s.param_names(),
    s.params()
));
getter!(Adstock, adstock_l_max, usize, |s| s.l_max());
getter!(Adstock, adstock_normalize, bool, |s| normalizes(&s));
getter!(Adstock, adstock_gain, f64, |s| s.gain());
getter!(Adstock, adstock_spec, AdstockSpec, |s| AdstockSpec(*s));
