//! `cw.platform`: customer data normalised and hashed for Meta and Google, webhook signatures,
//! the simulated ad market and the classifier of vendor errors (the core's `platform`).
//!
//! PII values cross as Python strings and no error made here or in the core shows one (the
//! value of every such error is `"[redacted]"`). Webhook secrets and bodies cross as `bytes`,
//! used as they are. Settings and the adapter's data cross as the core's serde JSON; a vendor
//! failure of the simulated market comes back as `(False, error JSON)` for the Python layer to
//! raise as `PlatformCallError`, since it is data about the vendor, not a channelwise error.

use channelwise::platform::adapter::{
    ApplyChanges, Change, MetricsQuery, PlatformError, ReadMetrics,
};
use channelwise::platform::pii::{self, GoogleEmail, OneOrMany, Options, Pii, UserData, Vendor};
use channelwise::platform::policy::Classifier;
use channelwise::platform::sim::{SimConfig, SimMarket};
use channelwise::platform::webhook::{self, Scheme, Verdict};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::columns::{document, to_json};
use crate::error::{core, guard};

/// A keyword naming one value of a core enum (`vendor="meta"`): its serde name.
pub(crate) fn choice<T: DeserializeOwned>(field: &str, name: &str, expected: &str) -> PyResult<T> {
    core(
        serde_json::from_value(serde_json::Value::String(name.into())).map_err(|_| {
            Error::InvalidParameter {
                field: field.into(),
                value: name.into(),
                reason: format!("expected one of {expected}"),
            }
        }),
    )
}

fn rules(vendor: &str, google_email: &str) -> PyResult<(Vendor, Options)> {
    let v = choice("vendor", vendor, "\"meta\", \"google\"")?;
    let g: GoogleEmail = choice(
        "google_email",
        google_email,
        "\"documentation\", \"sdk\", \"all_domains\"",
    )?;
    Ok((v, Options::default().google_email(g)))
}

/// A PII value: a `str`, or `InvalidParameterError` naming `user_data.<at>` without the value.
fn pii_text(v: &Bound<'_, PyAny>, at: &str) -> PyResult<String> {
    match v.cast::<PyString>() {
        Ok(s) => s.extract::<String>(),
        Err(_) => core(Err(Error::InvalidParameter {
            field: format!("user_data.{at}"),
            value: pii::REDACTED.into(),
            reason: format!(
                "expected a str, got {}",
                v.get_type()
                    .name()
                    .map_or_else(|_| "?".into(), |n| n.to_string())
            ),
        })),
    }
}

/// One PII value through `f` (the core's `normalize_with` or `hash_with`).
fn one_value(
    f: fn(&str, &str, Vendor, &Options) -> channelwise::Result<String>,
    field: &str,
    value: &Bound<'_, PyAny>,
    vendor: &str,
    google_email: &str,
) -> PyResult<String> {
    guard(|| {
        let (v, o) = rules(vendor, google_email)?;
        core(f(field, &pii_text(value, field)?, v, &o))
    })
}

/// The normalised text of `value` for `field` (the text that is hashed).
#[pyfunction]
fn platform_normalize(
    field: &str,
    value: &Bound<'_, PyAny>,
    vendor: &str,
    google_email: &str,
) -> PyResult<String> {
    one_value(pii::normalize_with, field, value, vendor, google_email)
}

/// SHA-256 (lowercase hex) of the normalised `value`.
#[pyfunction]
fn platform_hash(
    field: &str,
    value: &Bound<'_, PyAny>,
    vendor: &str,
    google_email: &str,
) -> PyResult<String> {
    one_value(pii::hash_with, field, value, vendor, google_email)
}

/// Every field of the dict `data` hashed, under the same keys (lists stay lists).
#[pyfunction]
fn platform_hash_user_data<'py>(
    data: &Bound<'py, PyAny>,
    vendor: &str,
    google_email: &str,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let py = data.py();
        let (v, o) = rules(vendor, google_email)?;
        let Ok(dict) = data.cast::<PyDict>() else {
            return core(Err(Error::InvalidParameter {
                field: "user_data".into(),
                value: data
                    .get_type()
                    .name()
                    .map_or_else(|_| "?".into(), |n| n.to_string()),
                reason: "expected a dict of fields ({\"em\": ..., \"ph\": [...]})".into(),
            }));
        };
        let mut raw = UserData::new();
        for (k, x) in dict.iter() {
            let key: String = k.extract().map_err(|_| {
                PyErr::from(crate::error::PyChannelwiseError(Error::InvalidParameter {
                    field: "user_data".into(),
                    value: "a key".into(),
                    reason: "keys are field names (str)".into(),
                }))
            })?;
            let value = if x.is_instance_of::<PyList>() || x.is_instance_of::<PyTuple>() {
                let items = x
                    .try_iter()?
                    .enumerate()
                    .map(|(i, item)| pii_text(&item?, &format!("{key}[{i}]")).map(Pii::new))
                    .collect::<PyResult<Vec<_>>>()?;
                OneOrMany::Many(items)
            } else {
                OneOrMany::One(Pii::new(pii_text(&x, &key)?))
            };
            raw.insert(key, value);
        }
        let hashed = core(pii::hash_user_data_with(&raw, v, &o))?;
        let out = PyDict::new(py);
        for (k, h) in hashed {
            match h {
                OneOrMany::One(s) => out.set_item(k, s)?,
                OneOrMany::Many(xs) => out.set_item(k, xs)?,
            }
        }
        Ok(out)
    })
}

/// The timestamped window in seconds (`None`: no window); a negative one is an error.
fn window(tolerance: Option<i64>) -> PyResult<Option<u64>> {
    match tolerance {
        Some(t) if t < 0 => core(Err(Error::OutOfRange {
            field: "tolerance".into(),
            value: t as f64,
            min: 0.0,
            max: f64::INFINITY,
        })),
        t => Ok(t.map(i64::unsigned_abs)),
    }
}

fn scheme(name: &str, tolerance: Option<i64>) -> PyResult<Scheme> {
    let tolerance_seconds = window(tolerance)?;
    Ok(match name {
        "shopify" => Scheme::Shopify,
        "meta" => Scheme::Meta,
        "timestamped" => Scheme::Timestamped { tolerance_seconds },
        other => {
            return core(Err(Error::InvalidParameter {
                field: "scheme".into(),
                value: other.into(),
                reason: "expected one of \"shopify\", \"meta\", \"timestamped\"".into(),
            }))
        }
    })
}

/// Whether `header` signs `body` under `scheme` (`now`: unix seconds; `tolerance`: seconds of the
/// timestamped window, `None` for none).
#[pyfunction]
#[pyo3(signature = (scheme_name, secret, body, header, now, tolerance))]
fn platform_verify_webhook(
    scheme_name: &str,
    secret: &[u8],
    body: &[u8],
    header: &str,
    now: i64,
    tolerance: Option<i64>,
) -> PyResult<bool> {
    guard(|| {
        core(webhook::verify(
            scheme(scheme_name, tolerance)?,
            secret,
            body,
            header,
            now,
        ))
    })
}

/// The verdict of a timestamped header: `"valid"`, `"mismatch"` or `"outside_tolerance"`.
#[pyfunction]
#[pyo3(signature = (secret, body, header, now, tolerance))]
fn platform_check_timestamped(
    secret: &[u8],
    body: &[u8],
    header: &str,
    now: i64,
    tolerance: Option<i64>,
) -> PyResult<&'static str> {
    guard(|| {
        Ok(
            match core(webhook::check_timestamped(
                secret,
                body,
                header,
                now,
                window(tolerance)?,
            ))? {
                Verdict::Valid => "valid",
                Verdict::Mismatch => "mismatch",
                Verdict::OutsideTolerance => "outside_tolerance",
            },
        )
    })
}

/// The header value a sender attaches (`t`: the timestamped scheme's unix seconds).
#[pyfunction]
fn platform_sign_webhook(
    scheme_name: &str,
    secret: &[u8],
    body: &[u8],
    t: i64,
) -> PyResult<String> {
    guard(|| Ok(webhook::sign(scheme(scheme_name, None)?, secret, body, t)))
}

/// `(True, value JSON)` or `(False, PlatformError JSON)`.
fn outcome<T: Serialize>(r: Result<T, PlatformError>) -> PyResult<(bool, String)> {
    Ok(match r {
        Ok(v) => (true, core(to_json(&v))?),
        Err(e) => (false, core(to_json(&e))?),
    })
}

/// Retry, back off or give up on the vendor failure `error` (the adapter's `PlatformError`
/// JSON) seen at `now_ms`; the `Disposition` as JSON.
#[pyfunction]
#[pyo3(signature = (error, now_ms, classifier=None))]
fn platform_classify(error: &str, now_ms: i64, classifier: Option<&str>) -> PyResult<String> {
    guard(|| {
        let e: PlatformError = document("error", error)?;
        let c: Classifier =
            classifier.map_or_else(|| Ok(Classifier::default()), |c| document("classifier", c))?;
        core(c.validate())?;
        core(to_json(&c.classify(&e, now_ms)))
    })
}

/// The simulated ad market (the core's `SimMarket`); the Python layer's `SimMarket` wraps it.
#[pyclass(name = "SimMarket", module = "channelwise._channelwise")]
pub(crate) struct PySimMarket(pub(crate) SimMarket);

#[pymethods]
impl PySimMarket {
    /// A market from the core's `SimConfig` JSON (`None`: the defaults).
    #[new]
    #[pyo3(signature = (config=None))]
    fn new(config: Option<&str>) -> PyResult<Self> {
        guard(|| {
            let c: SimConfig =
                config.map_or_else(|| Ok(SimConfig::default()), |c| document("config", c))?;
            Ok(PySimMarket(core(SimMarket::new(c))?))
        })
    }

    /// A fork: the same state, clock and random streams.
    fn copy(&self) -> PySimMarket {
        PySimMarket(self.0.clone())
    }

    /// Moves to the next midnight, simulating the day that ends.
    fn step_day(&mut self) -> PyResult<()> {
        guard(|| core(self.0.step_day()))
    }

    /// `step_day` `n` times.
    fn run_days(&mut self, n: usize) -> PyResult<()> {
        guard(|| core(self.0.run_days(n)))
    }

    /// Moves the clock forward by `ms` (>= 0).
    fn advance(&mut self, ms: i64) -> PyResult<()> {
        guard(|| {
            if ms < 0 {
                return core(Err(Error::OutOfRange {
                    field: "ms".into(),
                    value: ms as f64,
                    min: 0.0,
                    max: f64::INFINITY,
                }));
            }
            core(self.0.advance_ms(ms))
        })
    }

    /// Now, ms since the epoch.
    #[getter]
    fn now_ms(&self) -> i64 {
        self.0.now_ms()
    }

    /// The current day, `YYYY-MM-DD`.
    #[getter]
    fn today(&self) -> String {
        self.0.today().to_string()
    }

    /// Metrics as reported now, for the `MetricsQuery` JSON: `(ok, rows or error JSON)`.
    fn read_metrics(&mut self, query: &str) -> PyResult<(bool, String)> {
        guard(|| {
            let q: MetricsQuery = document("query", query)?;
            outcome(self.0.read_metrics(&q))
        })
    }

    /// Every conversion however late, without faults: rows JSON.
    fn true_metrics(&self, query: &str) -> PyResult<String> {
        guard(|| {
            let q: MetricsQuery = document("query", query)?;
            core(to_json(&core(self.0.true_metrics(&q))?))
        })
    }

    /// Applies the `Change` list JSON: `(ok, results or error JSON)`.
    fn apply_changes(&mut self, changes: &str) -> PyResult<(bool, String)> {
        guard(|| {
            let cs: Vec<Change> = document("changes", changes)?;
            for c in &cs {
                core(c.validate())?;
            }
            outcome(self.0.apply_changes(&cs))
        })
    }

    /// The entity's state: `(ok, state or error JSON)`.
    fn read_entity(&mut self, entity: &str) -> PyResult<(bool, String)> {
        guard(|| outcome(self.0.read_entity(entity)))
    }

    /// Every change applied, as JSON.
    #[getter]
    fn applied(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.0.applied())))
    }

    /// Every fault that fired, as JSON.
    #[getter]
    fn fault_log(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.0.fault_log())))
    }

    /// The settings in force, as JSON.
    #[getter]
    fn config(&self) -> PyResult<String> {
        guard(|| core(to_json(self.0.config())))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(platform_normalize, m)?)?;
    m.add_function(wrap_pyfunction!(platform_hash, m)?)?;
    m.add_function(wrap_pyfunction!(platform_hash_user_data, m)?)?;
    m.add_function(wrap_pyfunction!(platform_verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(platform_check_timestamped, m)?)?;
    m.add_function(wrap_pyfunction!(platform_sign_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(platform_classify, m)?)?;
    m.add_class::<PySimMarket>()?;
    Ok(())
}
