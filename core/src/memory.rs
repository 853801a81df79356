//! Allocations whose size the caller's inputs multiply (draws x rows x channels, draws x
//! periods), made fallibly: running out of memory is then a typed error naming what to shrink,
//! not an abort of the process (natively) or a trap that ends the instance (the browser build,
//! whose wasm32 memory ends at 4 GiB).

use crate::{Error, Result};

/// An empty vector with room for `n` values of `T` and `spare` more, or `invalid_parameter`
/// naming `field` (`value`: the sizes, as the message shows them; `advice`: what to shrink)
/// when that memory cannot be had.
pub(crate) fn with_capacity<T>(n: usize, spare: usize, field: &str, value: impl FnOnce() -> String, advice: &str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n.saturating_add(spare)).map_err(|_| Error::InvalidParameter {
        field: field.into(),
        value: value(),
        reason: format!(
            "they need {:.1} GB of memory, more than can be allocated here, where a browser build has 4 GiB in all; {advice}",
            n as f64 * std::mem::size_of::<T>() as f64 / 1e9
        ),
    })?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_cannot_be_had_by_name() {
        let e = with_capacity::<f64>(usize::MAX / 4, 0, "draws", || "a lot".into(), "fit with fewer draws").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidParameter);
        let text = e.to_string();
        assert!(text.contains("draws") && text.contains("a lot") && text.contains("fit with fewer draws"), "{text}");
        assert_eq!(with_capacity::<f64>(10, 2, "draws", String::new, "").unwrap().capacity(), 12);
    }
}
