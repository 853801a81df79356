//! `channelwise._channelwise`: the compiled half of the Python package.
//!
//! Thin by design (STYLE.md 11): columns in, the core's types and numbers out. DataFrame glue
//! (pandas, polars, pyarrow, numpy) lives in the pure-Python layer `python/channelwise/`, which
//! hands this module lists of strings and native-endian `float64`/`int64` byte buffers, or, for
//! path tables, numpy arrays and views of Arrow buffers that are read in place. Every
//! export runs inside [`error::guard`] so a panic becomes `channelwise.InternalError`, and
//! releases the GIL (`Python::detach`) around core work.

mod anomaly;
mod attribution;
mod clv;
mod columns;
mod decide;
mod decompose;
mod error;
mod ets;
mod experiment;
mod forecast;
mod glm;
mod journey;
mod leads;
mod optimize;
mod periods;
mod platform;
mod platform_payloads;
mod progress;
mod recommend;
mod stats;

use pyo3::prelude::*;

/// Raises a Rust panic inside the guard, so the tests can check it becomes `InternalError`.
#[pyfunction]
fn _panic_for_tests(message: &str) -> PyResult<()> {
    error::guard(|| panic!("{message}"))
}

/// The compiled module; the Python package re-exports what users need.
#[pymodule]
fn _channelwise(m: &Bound<'_, PyModule>) -> PyResult<()> {
    error::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    attribution::register(m)?;
    journey::register(m)?;
    stats::register(m)?;
    forecast::register(m)?;
    ets::register(m)?;
    decompose::register(m)?;
    anomaly::register(m)?;
    optimize::register(m)?;
    periods::register(m)?;
    recommend::register(m)?;
    leads::register(m)?;
    glm::register(m)?;
    clv::register(m)?;
    platform::register(m)?;
    platform_payloads::register(m)?;
    experiment::register(m)?;
    decide::register(m)?;
    Ok(())
}
