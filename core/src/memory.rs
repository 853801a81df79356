//! Allocations whose size the caller's inputs multiply (draws x rows x channels, draws x
//! periods, stages x stages), made fallibly: running out of memory is then a typed error naming
//! what to shrink, not an abort of the process (natively) or a trap that ends the instance (the
//! browser build, whose wasm32 memory ends at 4 GiB).

use crate::{Error, Result};

/// An empty vector with room for `dims`' product of values of `T` and `spare` more, or
/// `invalid_parameter` naming `field` when that memory cannot be had (or the count passes
/// `usize`). The message shows `names = d1 x d2 ...`, the GB needed, and `advice`.
pub(crate) fn with_capacity<T>(dims: &[usize], spare: usize, field: &str, names: &str, advice: &str) -> Result<Vec<T>> {
    let refuse = || {
        let values: f64 = dims.iter().map(|&d| d as f64).product();
        let sizes: Vec<String> = dims.iter().map(usize::to_string).collect();
        Error::InvalidParameter {
            field: field.into(),
            value: format!("{names} = {}", sizes.join(" x ")),
            reason: format!(
                "they need {:.1} GB of memory, more than can be allocated here, where a browser build has 4 GiB in all; {advice}",
                values * std::mem::size_of::<T>() as f64 / 1e9
            ),
        }
    };
    let n = dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d)).ok_or_else(refuse)?;
    let mut v = Vec::new();
    v.try_reserve_exact(n.saturating_add(spare)).map_err(|_| refuse())?;
    Ok(v)
}

/// `dims`' product of copies of `x`, the memory asked for as [`with_capacity`] does.
pub(crate) fn filled<T: Clone>(dims: &[usize], x: T, field: &str, names: &str, advice: &str) -> Result<Vec<T>> {
    let mut v = with_capacity(dims, 0, field, names, advice)?;
    v.resize(dims.iter().product(), x); // no overflow: `with_capacity` checked the product
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_cannot_be_had_by_name() {
        for dims in [[usize::MAX / 64, 2], [usize::MAX, 3]] {
            let e = with_capacity::<f64>(&dims, 0, "draws", "draws x rows", "fit with fewer draws").unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidParameter);
            let text = e.to_string();
            let want = format!("invalid draws: \"draws x rows = {} x {}\" (they need ", dims[0], dims[1]);
            assert!(text.starts_with(&want) && text.ends_with("fit with fewer draws)"), "{text}");
        }
        assert_eq!(with_capacity::<f64>(&[2, 5], 2, "draws", "", "").unwrap().capacity(), 12);
        assert_eq!(filled(&[2, 3], 1u8, "draws", "", "").unwrap(), vec![1u8; 6]);
    }
}
