//! Key case between JS and the core: JS writes `dailyBudget`, the core's serde forms and error
//! fields say `daily_budget`. The one place the binding converts either way, and where the
//! later modules' settings documents are read from JS values ([`tree`]).

use channelwise::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::host::Host;
use crate::optimize::renamed;
use crate::out::Out;

/// A settings document `v` (a config, a policy, a vendor object) as its JSON value, named
/// `field`. Unlike a model document, where `NaN` is `null` as `JSON.stringify` writes it, a
/// `NaN` here is refused by its place (`config.eventRules[0].points must be finite, got NaN`):
/// read as `null`, it was reported as `"null"`, a value the user never wrote.
///
/// # Errors
/// `non_finite` naming the place of a `NaN`; `invalid_parameter` naming `field` (and the place)
/// for what has no place in a document (a function, a cycle).
pub fn tree<H: Host>(h: H, v: &H::V, field: &str) -> Result<Value> {
    crate::serde_js::value(h, v, 0, true).map_err(|e| {
        let at = if e.deep { field.to_string() } else { format!("{field}{}", e.at) };
        if e.nan {
            Error::NonFinite { field: at, value: f64::NAN }
        } else {
            Error::InvalidParameter { field: at, value: "the document".into(), reason: e.reason }
        }
    })
}

/// A camelCase key as the core's snake_case (`dailyBudget` -> `daily_budget`,
/// `http429WaitMs` -> `http_429_wait_ms`); a snake_case key stays as it is.
pub fn snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev = None::<char>;
    for c in s.chars() {
        let digit_after_letter =
            c.is_ascii_digit() && prev.is_some_and(|p| p.is_ascii_alphabetic());
        if c.is_ascii_uppercase() || digit_after_letter {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    out
}

/// A snake_case name as camelCase (`l_max` -> `lMax`, `a.sum_squares` -> `a.sumSquares`).
pub fn camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `v` with every object key renamed by `f`, at every depth.
pub fn map_keys(v: Value, f: fn(&str) -> String) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (f(&k), map_keys(x, f)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| map_keys(x, f)).collect()),
        x => x,
    }
}

/// `tree` (keys as the core writes them) read as the core's `T`, given by JS as `given` under
/// the name `field`. A value `T` refuses is `invalid_parameter` naming its place as JS wrote it
/// (`proposal.ttlMs`, `changes[2].action`: keys looked up in `given`) and showing it; a missing
/// key is named too (`proposal.entity`: required, but missing).
///
/// # Errors
/// `invalid_parameter` as above.
pub fn from_tree<T: DeserializeOwned>(tree: &Value, given: &Value, field: &str) -> Result<T> {
    read_tree(tree, given, field, false)
}

/// [`from_tree`] for documents that may hold personal data (vendor payloads): the error names
/// the place but shows only the kind of value there (`a string`), and serde's reason loses the
/// value it quotes (``invalid type: integer `16505551212`, expected a string`` reads
/// `expected a string, got a number`).
///
/// # Errors
/// `invalid_parameter` as [`from_tree`].
pub fn from_tree_private<T: DeserializeOwned>(tree: &Value, given: &Value, field: &str) -> Result<T> {
    read_tree(tree, given, field, true)
}

fn read_tree<T: DeserializeOwned>(tree: &Value, given: &Value, field: &str, private: bool) -> Result<T> {
    match serde_json::from_value(tree.clone()) {
        Ok(t) => Ok(t),
        Err(e) => Err(located(tree, given, field, private, e.to_string(), &error_of::<T>)),
    }
}

/// The error `first` of reading `tree` (given as `given`, named `field`), at its place; `read`
/// reads a document as the same type and gives its error (kept out of the generic code, so
/// each type adds only its reader: one instance of this for every type).
fn located(
    tree: &Value,
    given: &Value,
    field: &str,
    private: bool,
    first: String,
    read: &dyn Fn(Value) -> Option<String>,
) -> Error {
    let show = |v: Option<&Value>| if private { kind(v).to_string() } else { describe(v) };
    let path = culprit(tree, &first, read);
    let mut place = field.to_string();
    let mut at = Some(given);
    for step in &path {
        match step {
            Step::Index(i) => {
                place.push_str(&format!("[{i}]"));
                at = at.and_then(|v| v.get(i));
            }
            Step::Key(key) => {
                let k = js_key(at, key);
                place.push('.');
                place.push_str(&k);
                at = at.and_then(|v| v.get(&k));
            }
        }
    }
    let mut reason = first;
    // a missing key is named in serde's message: the path ends at the object that lacks it
    let missing = reason.strip_prefix("missing field `").and_then(|r| r.split('`').next());
    if let Some(k) = missing {
        return Error::InvalidParameter {
            field: format!("{place}.{}", js_key(at, k)),
            value: "undefined".into(),
            reason: "required, but missing".into(),
        };
    }
    if reason.starts_with("unknown field") {
        reason = camel_quoted(&reason);
    } else if private {
        if let Some((head, want)) = reason.split_once(", expected ") {
            if head.starts_with("invalid type") || head.starts_with("invalid value") || head.starts_with("unknown variant") {
                reason = format!("expected {want}, got {}", kind(at));
            }
        }
    }
    Error::InvalidParameter { field: place, value: show(at), reason }
}

/// A step into a JSON document.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The error of reading `tree` as `T` (with the same `from_value::<T>` as the reading itself:
/// no second instance of `T`'s reader in the `.wasm`), `None` if it reads.
fn error_of<T: DeserializeOwned>(tree: Value) -> Option<String> {
    serde_json::from_value::<T>(tree).err().map(|e| e.to_string())
}

/// Where in `tree` the value `T` refuses with `error` sits (an empty path: the document).
///
/// serde reports the first entry it cannot read, in the order it reads them, and a missing key
/// only once the rest of its object was read: so taking the culprit out changes the error, and
/// taking out any other entry does not; in an array or a large object the culprit is found by
/// halving instead ([`first_refused`]). A missing key `k` is looked for among the objects
/// lacking it, innermost first: the first whose removal changes the error. Runs only on the
/// error path, a level at a time; a path-tracking deserializer (`serde_path_to_error`) gave the
/// same places but a second instance of every reader, 42 KB gzipped on the full `.wasm`.
fn culprit(tree: &Value, error: &str, read: &dyn Fn(Value) -> Option<String>) -> Vec<Step> {
    if let Some(k) = error.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        let mut holders = Vec::new();
        objects_without(tree, k, &mut Vec::new(), &mut holders);
        // innermost first: the object lacking `k` whose removal changes the error
        return holders
            .into_iter()
            .rev()
            .find(|path| {
                path.split_last()
                    .and_then(|(last, parent)| without(tree, parent, last))
                    .is_some_and(|probe| read(probe).as_deref() != Some(error))
            })
            .unwrap_or_default();
    }
    // `base`: the document less the entries serde never reached (after the culprit found so
    // far), so that a later entry refused with the same words does not answer the probes below
    let mut base = tree.clone();
    let mut path: Vec<Step> = Vec::new();
    loop {
        let (steps, ordered): (Vec<Step>, bool) = match walk(&base, &path) {
            Some(Value::Object(m)) => (m.keys().map(|k| Step::Key(k.clone())).collect(), m.len() > SMALL),
            Some(Value::Array(a)) => ((0..a.len()).map(Step::Index).collect(), true),
            _ => return path,
        };
        let found = if ordered {
            first_refused(&base, &path, steps.len(), error, read)
        } else {
            steps
                .iter()
                .position(|step| without(&base, &path, step).is_some_and(|probe| read(probe).as_deref() != Some(error)))
                // two of its entries refused with the same words: no one removal changes the error
                .or_else(|| first_refused(&base, &path, steps.len(), error, read))
        };
        let Some(i) = found else { return path };
        // not where serde reads a tagged enum's fields after its tag: cutting it would change the error
        if let Some(probe) = cut(&base, &path, i + 1).filter(|p| read(p.clone()).as_deref() == Some(error)) {
            base = probe;
        }
        path.push(steps[i].clone());
    }
}

/// Objects of more keys than this are searched by halving ([`first_refused`]): an id map of
/// 10,000 entities is named in 14 reads, not 10,000. A small object is searched by taking each
/// entry out, which also finds the culprit where serde reads a tagged enum's fields after its tag.
const SMALL: usize = 16;

/// The position of the entry of the array or object at `path` that `T` refuses with `error`,
/// by halving: serde reads the entries in order and stops at the first it refuses, so the
/// container cut to its first `m` entries is refused the same way exactly when `m` passes the
/// culprit. Two entries refused with the same words (`[1, 1]` where strings are expected) are
/// told apart, which taking one out cannot do. `None` when the error does not come from an entry
/// (the empty container is refused the same way).
fn first_refused(
    tree: &Value,
    path: &[Step],
    len: usize,
    error: &str,
    read: &dyn Fn(Value) -> Option<String>,
) -> Option<usize> {
    let same = |m: usize| cut(tree, path, m).is_some_and(|probe| read(probe).as_deref() == Some(error));
    if len == 0 || same(0) {
        return None;
    }
    // refused differently with `lo` entries, the same way with `hi`
    let (mut lo, mut hi) = (0, len);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if same(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(lo)
}

/// `tree` with the array or object at `path` cut to its first `m` entries (in serde's order).
fn cut(tree: &Value, path: &[Step], m: usize) -> Option<Value> {
    let mut probe = tree.clone();
    let at = path.iter().try_fold(&mut probe, |v, s| match s {
        Step::Key(k) => v.get_mut(k),
        Step::Index(i) => v.get_mut(i),
    })?;
    match at {
        Value::Array(a) => a.truncate(m),
        Value::Object(o) => *o = std::mem::take(o).into_iter().take(m).collect(),
        _ => return None,
    }
    Some(probe)
}

/// The paths of the objects in `v` (at `path`) that lack the key `k`, outermost first.
fn objects_without(v: &Value, k: &str, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(m) => {
            if !m.contains_key(k) {
                out.push(path.clone());
            }
            for (key, x) in m {
                path.push(Step::Key(key.clone()));
                objects_without(x, k, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Step::Index(i));
                objects_without(x, k, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn walk<'a>(v: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

/// `tree` with the entry `step` of the object or array at `path` taken out.
fn without(tree: &Value, path: &[Step], step: &Step) -> Option<Value> {
    let mut probe = tree.clone();
    let parent = path.iter().try_fold(&mut probe, |v, s| match s {
        Step::Key(k) => v.get_mut(k),
        Step::Index(i) => v.get_mut(i),
    })?;
    let taken = match (parent, step) {
        (Value::Object(m), Step::Key(k)) => m.remove(k),
        (Value::Array(a), Step::Index(i)) if *i < a.len() => Some(a.remove(*i)),
        _ => None,
    };
    taken.map(|_| probe)
}

/// The kind of a JSON value, as a private error shows it.
fn kind(v: Option<&Value>) -> &'static str {
    match v {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(_)) => "an array",
        Some(Value::Object(_)) => "an object",
    }
}

/// The key of object `at` that is `key` in the core's case (`daily_budget` -> `dailyBudget`
/// where JS wrote that; an id map's keys as they are); `key` in camelCase where `at` lacks it.
fn js_key(at: Option<&Value>, key: &str) -> String {
    at.and_then(Value::as_object)
        .and_then(|m| m.keys().find(|k| *k == key).or_else(|| m.keys().find(|k| snake(k) == key)))
        .cloned()
        .unwrap_or_else(|| camel(key))
}

/// Names in backticks (serde's messages: `unknown field `event_type`, expected ...`) as
/// camelCase.
pub fn camel_quoted(msg: &str) -> String {
    msg.split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { camel(part) } else { part.to_string() })
        .collect::<Vec<_>>()
        .join("`")
}

/// A JSON value as an error shows it (as `read::describe` shows a JS value).
fn describe(v: Option<&Value>) -> String {
    match v {
        None => "undefined".into(),
        Some(Value::String(s)) => crate::read::shortened(s),
        Some(Value::Number(n)) => n.as_f64().map_or_else(|| n.to_string(), crate::read::js_number),
        Some(Value::Array(_)) => "an array".into(),
        Some(Value::Object(_)) => "an object".into(),
        Some(x) => x.to_string(),
    }
}

/// A core error about one of the options `keys` (JS names: `batchSize`) named as JS writes it:
/// `batch_size` -> `options.batchSize`, `prior.variance` -> `options.prior.variance`; any other
/// field as `other` names it (`None`: unchanged).
pub fn option_field(e: Error, keys: &[&str], other: fn(&str) -> Option<String>) -> Error {
    renamed(e, |f| {
        let head = f.split(['.', '[']).next().unwrap_or(f);
        if keys.iter().any(|k| snake(k) == head) {
            Some(format!("options.{}", camel(f)))
        } else {
            other(f)
        }
    })
}

/// The core's serde form of `value` with camelCase keys, as a JS object tree.
pub fn to_camel<T: Serialize + ?Sized>(value: &T) -> Result<Out> {
    let v =
        serde_json::to_value(value).map_err(|e| Error::Internal(format!("serialising: {e}")))?;
    crate::serde_js::to_out(&map_keys(v, camel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(snake("dailyBudget"), "daily_budget");
        assert_eq!(snake("http429WaitMs"), "http_429_wait_ms");
        assert_eq!(snake("daily_budget"), "daily_budget");
        assert_eq!(camel("l_max"), "lMax");
        assert_eq!(camel("a.sum_squares"), "a.sumSquares");
        assert_eq!(camel(&snake("retryAfterMs")), "retryAfterMs");
        let v = map_keys(serde_json::json!({"a_b": [{"c_d": 1}]}), camel);
        assert_eq!(v, serde_json::json!({"aB": [{"cD": 1}]}));
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Leg {
        metric: String,
        ttl_ms: Option<i64>,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        entity: String,
        legs: Vec<Leg>,
        caps: std::collections::BTreeMap<String, Leg>,
        note: Option<String>,
    }

    /// `from_tree` on the JS document `given`: the error's (field, value, reason).
    fn refused(given: Value, private: bool) -> (String, String, String) {
        let tree = map_keys(given.clone(), snake);
        let e = if private {
            from_tree_private::<Doc>(&tree, &given, "doc")
        } else {
            from_tree::<Doc>(&tree, &given, "doc")
        };
        match e.err().expect("refused") {
            Error::InvalidParameter { field, value, reason } => (field, value, reason),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_refused_value_is_named_by_its_place() {
        let ok = serde_json::json!({"entity": "a", "legs": [{"metric": "m"}], "caps": {"x_y": {"metric": "m", "ttlMs": 5}}});
        let tree = map_keys(ok.clone(), snake);
        assert!(from_tree::<Doc>(&tree, &ok, "doc").is_ok());
        let with = |path: &str, v: Value| {
            let mut d = ok.clone();
            *d.pointer_mut(path).expect("a path of the document") = v;
            d
        };
        // a wrong type, deep in an array and in an id map (whose keys stay as given)
        let (f, v, r) = refused(with("/legs/0", serde_json::json!({"metric": "m", "ttlMs": 1.5})), false);
        assert_eq!((f.as_str(), v.as_str()), ("doc.legs[0].ttlMs", "1.5"));
        assert!(r.contains("expected i64"), "{r}");
        let (f, v, _) = refused(with("/caps/x_y/metric", serde_json::json!(7)), false);
        assert_eq!((f.as_str(), v.as_str()), ("doc.caps.x_y.metric", "7"));
        // a missing key, in the object that lacks it (not in the map or the document around it)
        let (f, v, r) = refused(with("/caps/x_y", serde_json::json!({"ttlMs": 1})), false);
        assert_eq!((f.as_str(), v.as_str(), r.as_str()), ("doc.caps.x_y.metric", "undefined", "required, but missing"));
        let mut d = ok.clone();
        d.as_object_mut().expect("an object").remove("entity");
        assert_eq!(refused(d, false).0, "doc.entity");
        // private: where, never what
        let (f, v, r) = refused(with("/legs/0/metric", serde_json::json!(16505551212_i64)), true);
        assert_eq!((f.as_str(), v.as_str()), ("doc.legs[0].metric", "a number"));
        assert!(!r.contains("16505551212") && r.contains("got a number"), "{r}");
        // the first of two entries refused with the same words
        let leg = serde_json::json!({"metric": 1});
        let (f, _, _) = refused(with("/legs", serde_json::json!([{"metric": "m"}, leg, leg])), false);
        assert_eq!(f, "doc.legs[1].metric");
        // in a small object too (the struct's fields are read in key order)
        let mut d = with("/entity", serde_json::json!(5));
        d["note"] = serde_json::json!(5);
        assert_eq!(refused(d, false).0, "doc.entity");
        // an id map past SMALL entries (searched by halving), the bad entry among them
        let mut caps = serde_json::Map::new();
        for i in 0..1000 {
            caps.insert(format!("c{i:04}"), serde_json::json!({"metric": "m"}));
        }
        caps.insert("c0617".into(), serde_json::json!({"metric": "m", "ttlMs": "soon"}));
        caps.insert("c0900".into(), serde_json::json!({"metric": "m", "ttlMs": "soon"}));
        let (f, v, _) = refused(with("/caps", Value::Object(caps)), false);
        assert_eq!((f.as_str(), v.as_str()), ("doc.caps.c0617.ttlMs", "soon"));
        // the document itself
        let (f, v, _) = refused(serde_json::json!("x"), false);
        assert_eq!((f.as_str(), v.as_str()), ("doc", "x"));
    }
}
