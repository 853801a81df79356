//! Property tests of the path parser: the byte-level builder (memchr split, ASCII-first trim,
//! packed-name interner) must give exactly what the obvious `str` parser gives (`split`,
//! `str::trim`, a `HashMap` interner), errors included, on paths full of Unicode whitespace,
//! multi-byte separators and names that differ only in one byte; and unchecked bytes must be
//! accepted only when they are valid UTF-8.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use std::collections::HashMap;

use channelwise::journey::{PathTable, PathTableBuilder};
use proptest::prelude::*;

/// Characters chosen to break a byte-level parser: ASCII and Unicode whitespace (U+000B, U+0085,
/// U+00A0, U+3000), a non-whitespace control (U+001C, which `str::trim` keeps), multi-byte
/// letters, and the separators' own characters.
const ALPHABET: &[char] = &[
    'a', 'b', 'a', 'b', 'z', 'é', 'ü', '→', '>', '-', '|', ' ', ' ', '\t', '\n', '\u{0B}', '\u{0C}', '\r', '\u{85}',
    '\u{A0}', '\u{3000}', '\u{1C}', '\u{2028}',
];

const SEPARATORS: &[&str] = &[">", "->", "→", "|", " > ", "ab"];

fn paths() -> impl Strategy<Value = Vec<String>> {
    let path = prop::collection::vec(prop::sample::select(ALPHABET), 0..40).prop_map(|cs| cs.into_iter().collect::<String>());
    prop::collection::vec(path, 1..12)
}

/// The reference: what `PathTableBuilder::push` did with `str::split` and `str::trim`, written
/// the obvious way. `Ok((channels, paths))` or the first error's message.
fn reference(paths: &[String], sep: &str) -> Result<(Vec<String>, Vec<Vec<u32>>), String> {
    let sep = sep.trim();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut channels = Vec::new();
    let mut out = Vec::new();
    for (row, path) in paths.iter().enumerate() {
        if path.trim().is_empty() {
            return Err(format!("invalid path in row {row}: path is empty"));
        }
        let tokens: Vec<&str> = path.split(sep).map(str::trim).collect();
        if let Some(pos) = tokens.iter().position(|t| t.is_empty()) {
            return Err(format!("invalid path in row {row}: empty channel name at position {} of {path:?}", pos + 1));
        }
        let ids = tokens
            .iter()
            .map(|t| {
                *index.entry(t.to_string()).or_insert_with(|| {
                    channels.push(t.to_string());
                    channels.len() as u32 - 1
                })
            })
            .collect();
        out.push(ids);
    }
    Ok((channels, out))
}

fn parsed(t: &PathTable) -> (Vec<String>, Vec<Vec<u32>>) {
    (t.channels().to_vec(), (0..t.len()).map(|i| t.path(i).to_vec()).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn builder_matches_the_str_parser(paths in paths(), sep in prop::sample::select(SEPARATORS)) {
        let conv = vec![1.0; paths.len()];
        let got = PathTable::from_strings(&paths, &conv, None, None, sep).map(|t| parsed(&t)).map_err(|e| e.to_string());
        prop_assert_eq!(got, reference(&paths, sep));
    }

    /// Unchecked bytes: valid UTF-8 parses exactly as the `str` does; anything else is an
    /// `InvalidPath` error (never a channel name that is not UTF-8, never a panic).
    #[test]
    fn unchecked_bytes_are_accepted_only_when_valid(
        rows in prop::collection::vec(prop::collection::vec(prop::sample::select(&[b'a', b'b', b'>', b' ', 0xC3, 0xA9, 0xFF, 0xE2, 0x86, 0x92][..]), 1..16), 1..8),
        sep in prop::sample::select(&[">", "→"][..]),
    ) {
        let mut by_bytes = PathTableBuilder::with_separator(sep).unwrap();
        let mut by_str = PathTableBuilder::with_separator(sep).unwrap();
        for row in &rows {
            let got = by_bytes.push_utf8(row, 1.0, 0.0, 0.0);
            match std::str::from_utf8(row) {
                Ok(s) => prop_assert_eq!(got.map_err(|e| e.to_string()), by_str.push(s, 1.0, 0.0, 0.0).map_err(|e| e.to_string())),
                Err(_) => {
                    let e = got.unwrap_err().to_string();
                    prop_assert!(e.starts_with("invalid path in row") && (e.contains("not valid UTF-8") || e.contains("empty")), "{}", e);
                }
            }
        }
        prop_assert_eq!(parsed(&by_bytes.finish()), parsed(&by_str.finish()));
    }

    /// Names that share lengths, prefixes and suffixes (the packed interner keys on the first
    /// and last bytes) each keep their own id, across table growth and the long-name map.
    #[test]
    fn distinct_names_keep_distinct_ids(names in prop::collection::vec("[ab]{1,24}", 1..200)) {
        let mut b = PathTableBuilder::new();
        let mut index: HashMap<&str, u32> = HashMap::new();
        for name in &names {
            let next = index.len() as u32;
            let want = *index.entry(name.as_str()).or_insert(next);
            b.push(name, 1.0, 0.0, 0.0).unwrap();
            prop_assert_eq!(b.intern(name), want);
        }
        let t = b.finish();
        prop_assert_eq!(t.n_channels(), index.len());
        for (i, name) in names.iter().enumerate() {
            prop_assert_eq!(&t.channels()[t.path(i)[0] as usize], name);
        }
    }
}

#[test]
fn a_rejected_row_interns_nothing() {
    let mut b = PathTableBuilder::new();
    b.push("a>b", 1.0, 0.0, 0.0).unwrap();
    // "new" would be interned before the invalid name is met: the row must leave no trace
    let e = b.push_utf8(b"new > a > bad\xFF > other", 1.0, 0.0, 0.0).unwrap_err();
    assert_eq!(e.to_string(), "invalid path in row 1: channel name at position 3 of \"new > a > bad\u{FFFD} > other\" is not valid UTF-8");
    b.push("b>new", 2.0, 0.0, 0.0).unwrap();
    let t = b.finish();
    assert_eq!(t.channels(), ["a", "b", "new"]);
    assert_eq!(t.len(), 2);
    assert_eq!(t.path(1), [1, 2]);
}

#[test]
fn invalid_bytes_at_a_name_edge_are_caught_before_interning() {
    let mut b = PathTableBuilder::new();
    let e = b.push_utf8(b"a>\xC3", 1.0, 0.0, 0.0).unwrap_err();
    assert!(e.to_string().ends_with("channel name at position 2 of \"a>\u{FFFD}\" is not valid UTF-8"), "{e}");
    assert!(b.finish().channels().is_empty());
}

#[test]
fn long_names_and_many_channels() {
    let names: Vec<String> = (0..5000).map(|i| format!("{}{i}", if i % 2 == 0 { "c" } else { "a-rather-long-channel-name-" })).collect();
    let conv = vec![1.0; names.len()];
    let t = PathTable::from_strings(&names, &conv, None, None, ">").unwrap();
    assert_eq!(t.channels(), names.as_slice());
    let again: Vec<String> = names.iter().rev().cloned().collect();
    let t2 = PathTable::from_strings(&[names.clone(), again].concat(), &[conv.clone(), conv].concat(), None, None, ">").unwrap();
    assert_eq!(t2.n_channels(), 5000);
    assert_eq!(t2.path(5000), [4999]);
}
