//! The one mapping from [`channelwise::Error`] to Python exceptions, and the panic guard.
//!
//! `channelwise.ChannelwiseError` subclasses `ValueError`; every [`ErrorKind`] gets a subclass
//! named after its code (`out_of_range` -> `OutOfRangeError`) with a class attribute `code`.
//! The classes are made from [`ErrorKind::ALL`] at import, so a kind added to the core gets its
//! exception without an edit here (the test suite checks every code has a class).

use std::ffi::CString;
use std::panic::{catch_unwind, AssertUnwindSafe};

use channelwise::{Error, ErrorKind};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// The base class and one class per kind, in [`ErrorKind::ALL`] order.
struct Classes {
    base: Py<PyType>,
    kinds: Vec<(ErrorKind, Py<PyType>)>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// `"out_of_range"` -> `"OutOfRangeError"`.
pub(crate) fn class_name(kind: ErrorKind) -> String {
    let mut name = String::new();
    for part in kind.code().split('_') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name.push_str("Error");
    name
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let base_doc = c"Base of every channelwise error; `.code` is the stable kind code.";
        let base = PyErr::new_type(
            py,
            c"channelwise.ChannelwiseError",
            Some(base_doc),
            Some(&py.get_type::<PyValueError>()),
            None,
        )?;
        base.bind(py).setattr("code", py.None())?;
        let mut kinds = Vec::with_capacity(ErrorKind::ALL.len());
        for kind in ErrorKind::ALL {
            let qualified = CString::new(format!("channelwise.{}", class_name(kind)))
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            let doc = CString::new(format!("channelwise error of kind `{}`.", kind.code()))
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            let class = PyErr::new_type(py, &qualified, Some(&doc), Some(base.bind(py)), None)?;
            class.bind(py).setattr("code", kind.code())?;
            kinds.push((kind, class));
        }
        Ok(Classes { base, kinds })
    })
}

/// Adds `ChannelwiseError` and every kind's class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let c = classes(py)?;
    m.add("ChannelwiseError", c.base.bind(py))?;
    for (kind, class) in &c.kinds {
        m.add(class_name(*kind).as_str(), class.bind(py))?;
    }
    m.add(
        "ERROR_CODES",
        ErrorKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>(),
    )?;
    Ok(())
}

/// A core error as a Python exception: the class of its kind, the core's message unchanged.
pub(crate) struct PyChannelwiseError(pub(crate) Error);

impl From<Error> for PyChannelwiseError {
    fn from(e: Error) -> Self {
        PyChannelwiseError(e)
    }
}

impl From<PyChannelwiseError> for PyErr {
    fn from(PyChannelwiseError(e): PyChannelwiseError) -> PyErr {
        let kind = e.kind();
        let message = e.to_string();
        Python::attach(|py| match classes(py) {
            Ok(c) => match c.kinds.iter().find(|(k, _)| *k == kind) {
                Some((_, class)) => PyErr::from_type(class.bind(py).clone(), message),
                None => PyErr::from_type(c.base.bind(py).clone(), message),
            },
            Err(err) => err,
        })
    }
}

/// Shorthand: a core result with its error mapped.
pub(crate) fn core<T>(r: channelwise::Result<T>) -> PyResult<T> {
    r.map_err(|e| PyChannelwiseError(e).into())
}

/// Runs an exported entry point, turning a Rust panic into `channelwise.InternalError`.
///
/// pyo3 would otherwise raise `PanicException`, a `BaseException` that `except Exception`
/// does not catch; a bug in channelwise must look like any other typed error.
pub(crate) fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic with a non-string payload".into());
            Err(PyChannelwiseError(Error::Internal(what)).into())
        }
    }
}
