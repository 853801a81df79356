//! What the Rust vector runners share: reading a vector, its number encoding, expected errors,
//! tolerances and walking a folder. Each runner supplies only how to run a `function` and how
//! to compare its result.

#![allow(dead_code)] // each test crate uses part of it

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// A vector number: a JSON number or one of the strings "NaN", "Infinity", "-Infinity".
pub(crate) fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().expect("vector number is f64"),
        Value::String(s) => match s.as_str() {
            "NaN" => f64::NAN,
            "Infinity" => f64::INFINITY,
            "-Infinity" => f64::NEG_INFINITY,
            other => panic!("not a number: {other:?}"),
        },
        other => panic!("not a number: {other}"),
    }
}

/// `|got - want| <= abs + rel * |want|` with the vector's tolerance (a non-finite result never
/// matches).
pub(crate) struct Tolerance {
    abs: f64,
    rel: f64,
}

impl Tolerance {
    pub(crate) fn close(&self, got: f64, want: f64) -> bool {
        // an infinity matches only itself (a marginal at 0 of x^0.5)
        got == want || (got.is_finite() && (got - want).abs() <= self.abs + self.rel * want.abs())
    }

    pub(crate) fn describe(&self) -> String {
        format!("tol abs {}, rel {}", self.abs, self.rel)
    }
}

/// Reads the vector at `path`, checks it names its source, runs it with
/// `run(function, input, params)`, settles an expected error, and otherwise hands the result to
/// `compare(result, expected, tolerance)`, which returns how many values it checked.
pub(crate) fn check_vector<T>(
    path: &Path,
    run: impl Fn(&str, &Value, &Value) -> channelwise::Result<T>,
    compare: impl Fn(T, &Value, &Tolerance) -> Result<usize, String>,
) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let function = v["function"].as_str().ok_or("function missing")?;
    if v.get("source").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err("vector names no source".into());
    }
    let expected = &v["expected"];
    let result = run(function, &v["input"], v.get("params").unwrap_or(&Value::Null));
    if let Some(kind) = expected.get("error").and_then(Value::as_str) {
        return match result {
            // an expected `field` must be named in the message
            Err(e) if e.kind().code() == kind => match expected.get("field").and_then(Value::as_str) {
                Some(field) if !e.to_string().contains(field) => Err(format!("error {kind} does not name {field:?}: {e}")),
                _ => Ok(1),
            },
            Err(e) => Err(format!("expected error {kind}, got {} ({e})", e.kind().code())),
            Ok(_) => Err(format!("expected error {kind}, got a result")),
        };
    }
    let got = result.map_err(|e| format!("unexpected error {}: {e}", e.kind().code()))?;
    let tol = Tolerance {
        abs: v["tolerance"].get("abs").map_or(0.0, num),
        rel: v["tolerance"].get("rel").map_or(0.0, num),
    };
    let checked = compare(got, expected, &tol)?;
    if checked == 0 {
        return Err("vector checks nothing".into());
    }
    Ok(checked)
}

/// The JSON files under `tests/vectors/<module>`, sorted.
pub(crate) fn vector_files(module: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors").join(module);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vectors in {}", dir.display());
    files
}

/// Checks every vector of `module`, reporting all failures at once.
pub(crate) fn run_dir(module: &str, check: impl Fn(&Path) -> Result<usize, String>) {
    run_files(&vector_files(module), check);
}

/// Runs `check` on the vectors of `module` whose file names start with one of `prefixes` (a
/// folder several runners share), reporting all failures at once.
pub(crate) fn run_prefixed(module: &str, prefixes: &[&str], check: impl Fn(&Path) -> Result<usize, String>) {
    let mine = |f: &Path| {
        let name = f.file_name().unwrap_or_default().to_string_lossy();
        prefixes.iter().any(|p| name.starts_with(p))
    };
    let files: Vec<PathBuf> = vector_files(module).into_iter().filter(|f| mine(f)).collect();
    assert!(!files.is_empty(), "no {prefixes:?} vectors in {module}");
    run_files(&files, check);
}

fn run_files(files: &[PathBuf], check: impl Fn(&Path) -> Result<usize, String>) {
    let mut failures = Vec::new();
    for f in files {
        match check(f) {
            Ok(n) => eprintln!("ok   {} ({n} values)", f.file_name().unwrap_or_default().to_string_lossy()),
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(failures.is_empty(), "{} of {} vectors failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}

/// Compares every expected field with the result of the same name: numbers and arrays of
/// numbers within the tolerance (an empty array counts as one check), strings and booleans
/// exactly. Returns how many values it checked.
pub(crate) fn compare_fields(got: Map<String, Value>, expected: &Value, tol: &Tolerance) -> Result<usize, String> {
    let mut checked = 0;
    for (key, want) in expected.as_object().ok_or("expected is not an object")? {
        let g = got.get(key).ok_or(format!("no result {key}"))?;
        match want {
            Value::Array(ws) => {
                let gs = g.as_array().ok_or(format!("{key} is not an array"))?;
                if gs.len() != ws.len() {
                    return Err(format!("{key}: got {} values {g}, expected {} {want}", gs.len(), ws.len()));
                }
                for (i, (g, w)) in gs.iter().zip(ws).enumerate() {
                    let (g, w) = (num(g), num(w));
                    if !tol.close(g, w) {
                        return Err(format!("{key}[{i}]: got {g}, expected {w} ({})", tol.describe()));
                    }
                }
                checked += ws.len().max(1);
            }
            Value::String(_) | Value::Bool(_) => {
                if g != want {
                    return Err(format!("{key}: got {g}, expected {want}"));
                }
                checked += 1;
            }
            w => {
                let (g, w) = (num(g), num(w));
                if !tol.close(g, w) {
                    return Err(format!("{key}: got {g:e}, expected {w:e} ({})", tol.describe()));
                }
                checked += 1;
            }
        }
    }
    Ok(checked)
}
