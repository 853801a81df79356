//! The one `.d.ts` of the JS API, generated from the declarations in [`crate::api`]:
//! `bindings-js/js/index.d.ts`, which both packages ship (`scripts/sync_js_api.mjs` copies it to
//! `bindings-node/index.d.ts` and `bindings-wasm/js/api.d.ts`, which the browser package's
//! `index.d.ts` re-exports beside `init()`). `cargo test -p channelwise-js` fails when the
//! checked-in file differs from what the declarations give (`UPDATE_DTS=1` rewrites it).

use channelwise::ErrorKind;

use crate::api::{declarations, row_param, Member, Namespace, NAMESPACES, ROW_TABLES};
use crate::decl::doc_comment;

const HEADER: &str = "\
// Type definitions for channelwise, generated from the Rust declarations in bindings-js
// (cargo test -p channelwise-js checks this file; UPDATE_DTS=1 rewrites it). Do not edit.
//
// Data in: plain objects of columns (`number[]` or typed arrays for numbers).
// Data out: plain objects, camelCase; long numeric results are Float64Arrays.
";

const PRELUDE: &str = "
/**
 * What every channelwise function throws (or rejects with): a plain `Error` whose `message` is
 * the core's message and whose `code` is stable across releases. Match on `code`, not on the
 * wording. `internal` means a bug in channelwise: please report it.
 */
export interface ChannelwiseError extends Error {
  code: ErrorCode;
}

/** Every `code` a channelwise error can carry, in the core's order. */
export declare const ERROR_CODES: readonly ErrorCode[];

/** A column of numbers (any typed array of numbers is read too). */
export type Numbers = number[] | Float64Array;

/**
 * A column of times: whole unix seconds (UTC), or `Date`s, read as their unix seconds with the
 * fraction of a second dropped (as Python reads datetimes).
 */
export type Timestamps = Numbers | (number | Date)[];

/**
 * A path table: one row per path (duplicates add up). `path` holds channels joined by a
 * separator (`'>'` unless `options.sep` says otherwise); surrounding whitespace is trimmed.
 * Any other key is an error naming it (a misspelt column is never left out unseen).
 */
export interface PathTableInput {
  /** Paths, e.g. `'search > display > email'`. */
  path: string[];
  /** Converting journeys per row. */
  conversions: Numbers;
  /** Non-converting journeys per row (default: zeros). */
  nulls?: Numbers | null;
  /** Total conversion value per row (default: zeros). */
  value?: Numbers | null;
  /** Each row's key (lead-creation) touch for W-shaped credit, an index into its path, as `journey.pathTable` gives it (default, and `null`: none, so the middle touch). */
  keyTouch?: (number | null)[] | null;
  /** `journey.pathTable`'s build report, passed along with its table; not read. */
  report?: BuildReport | null;
}

/** What every long `...Async` call also takes in its options. */
export interface AsyncOptions {
  /** Called with the progress while the call runs (at most every 50 ms, and once at the end). */
  onProgress?: ((progress: ProgressReport) => void) | null;
  /** Cancels the call: the promise rejects with code `cancelled` (never a partial result). */
  signal?: AbortSignal | null;
}

/** Touchpoint columns (one entry per touch; `null` in an optional column means none; any other key is an error naming it). */
export interface TouchpointColumns {
  /** The user (or any journey key). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers, or `Date`s. */
  timestamp: Timestamps;
  /** Channel name. */
  channel: string[];
  /** Campaign within the channel. */
  campaign?: (string | null)[] | null;
  /** Cost of the touch. */
  cost?: (number | null)[] | Float64Array | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
}

/** Conversion columns (any other key is an error naming it). */
export interface ConversionColumns {
  /** The user (same key as the touchpoints). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers, or `Date`s. */
  timestamp: Timestamps;
  /** Conversion value (default: zeros). */
  value?: Numbers | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
  /** Event kind (`'purchase'`, `'lead'`, ...); see `leadKind`. */
  type?: (string | null)[] | null;
}
";

/// `options?: X | null` in a signature becomes `options?: (X & AsyncOptions) | null`.
fn with_async_options(ts: &str) -> String {
    match ts.find("options?: ") {
        Some(i) => {
            let start = i + "options?: ".len();
            let end = ts[start..].find(" | null").map_or(ts.len(), |e| start + e);
            format!(
                "{}({} & AsyncOptions){}",
                &ts[..start],
                &ts[start..end],
                &ts[end..]
            )
        }
        None => ts.to_string(),
    }
}

fn async_ts(ts: &str) -> String {
    match ts.rsplit_once("): ") {
        Some((args, ret)) => format!("{args}): Promise<{ret}>"),
        None => ts.to_string(),
    }
}

/// `ts` with each parameter of a table type that may come as rows ([`ROW_TABLES`]) typed as
/// either: `touchpoints: TouchpointColumns | TouchpointRow[]`.
fn with_rows(ts: &str) -> String {
    let (params, rest) = match ts.strip_prefix('(').and_then(|t| t.split_once(')')) {
        Some(x) => x,
        None => return ts.to_string(),
    };
    let params: Vec<String> = params
        .split(", ")
        .map(|p| match row_param(p) {
            Some((name, (table, row, _, _), list)) => {
                let null = if p.ends_with(" | null") { " | null" } else { "" };
                match list {
                    false => format!("{name}: {table} | {row}[]{null}"),
                    true => format!("{name}: ({table} | {row}[])[]{null}"),
                }
            }
            None => p.to_string(),
        })
        .collect();
    format!("({}){rest}", params.join(", "))
}

/// The row types of [`ROW_TABLES`]: `export type TouchpointRow = Row<TouchpointColumns, 'userId' | ...>`.
fn row_types() -> String {
    let mut out = String::from(
        "
/**
 * One row of a table `T` that may be given as rows: each of the columns `C` as one cell.
 * `[{ userId: 'u1', timestamp: 1700000000, channel: 'search' }, ...]` is read as the columns
 * `{ userId: ['u1', ...], timestamp: [1700000000, ...], channel: ['search', ...] }`. A row may
 * leave out an optional column: it has the column's default there (`nulls`, `value`: 0;
 * `weights`: 1) or none (`campaign`, `cost`, `keyTouch`, `reason`; `monetaryValue` is given on
 * every row or on none). Any other key is an error naming its row (`touchpoints[3].chanel`), as
 * is a bad cell (`touchpoints[3].channel`); in a `LeadAttributeRow` any key is an attribute, and
 * one left out is missing. At least one row (an array whose first item is no object is not read
 * as rows): an empty table is given as columns.
 */
export type Row<T, C extends keyof T> = {
  [K in keyof Pick<T, C>]: NonNullable<T[K]> extends ArrayLike<infer E> ? E : never;
};
",
    );
    for (table, row, columns, _) in ROW_TABLES {
        let keys: Vec<String> = columns.iter().map(|c| format!("'{c}'")).collect();
        let keys = if keys.is_empty() { format!("keyof {table}") } else { keys.join(" | ") };
        out.push_str(&format!(
            "\n/** One row of a `{table}` given as rows. */\nexport type {row} = Row<{table}, {keys}>;\n"
        ));
    }
    out
}

fn member(out: &mut String, m: &Member, indent: &str) {
    let sig = if m.kind == "getter" { m.ts.to_string() } else { with_rows(m.ts) };
    out.push_str(&doc_comment(m.doc, indent));
    match m.kind {
        "new" => out.push_str(&format!("{indent}constructor{sig};\n")),
        "hidden" => out.push_str(&format!("{indent}private constructor{sig};\n")),
        "getter" => out.push_str(&format!("{indent}readonly {}: {sig};\n", m.name)),
        "static" => out.push_str(&format!("{indent}static {}{sig};\n", m.name)),
        _ => out.push_str(&format!("{indent}{}{sig};\n", m.name)),
    }
    if m.also_async {
        let prefix = if m.kind == "static" { "static " } else { "" };
        let ts = if m.long {
            with_async_options(&sig)
        } else {
            sig.clone()
        };
        if m.long {
            out.push_str(&format!(
                "{indent}/**\n{indent} * `{}` as a promise: on a worker thread in Node, in a Web Worker in the browser, so the\n{indent} * JS thread stays free. `options.onProgress` is called with its progress; `options.signal`\n{indent} * (an `AbortSignal`) cancels it: the promise rejects with code `cancelled`.\n{indent} */\n",
                m.name
            ));
            out.push_str(&format!(
                "{indent}{prefix}{}Async{};\n",
                m.name,
                async_ts(&ts)
            ));
            return;
        }
        out.push_str(&format!(
            "{indent}/** `{}` as a promise: on a worker thread in Node (the JS thread stays free); in the browser it runs when called. */\n",
            m.name
        ));
        out.push_str(&format!(
            "{indent}{prefix}{}Async{};\n",
            m.name,
            async_ts(&sig)
        ));
    }
}

/// The `.d.ts` text of the JS API.
pub fn generate() -> String {
    let mut out = String::from(HEADER);
    out.push_str("\n/** Every `code` a channelwise error can carry. */\nexport type ErrorCode =\n");
    for k in ErrorKind::ALL {
        out.push_str(&format!("  | '{}'\n", k.code()));
    }
    out.truncate(out.len() - 1);
    out.push_str(";\n");
    out.push_str(PRELUDE);
    out.push_str(&row_types());
    for d in declarations() {
        out.push('\n');
        out.push_str(&d);
    }
    for ns in NAMESPACES {
        for c in ns.classes {
            out.push('\n');
            out.push_str(&doc_comment(c.doc, ""));
            out.push_str(&format!("export declare class {} {{\n", c.name));
            for m in c.members {
                member(&mut out, m, "  ");
            }
            out.push_str("}\n");
        }
        if ns.is_nested() {
            continue;
        }
        out.push('\n');
        out.push_str(&doc_comment(ns.doc, ""));
        out.push_str(&format!("export declare const {}: {{\n", ns.name));
        namespace_body(&mut out, ns, "  ");
        out.push_str("};\n");
    }
    out
}

/// The members of namespace `ns`' object type: functions, classes (its own and those it also
/// exposes) and the namespaces nested in it, inline.
fn namespace_body(out: &mut String, ns: &Namespace, indent: &str) {
    for f in ns.functions {
        member(out, f, indent);
    }
    for c in ns
        .classes
        .iter()
        .map(|c| c.name)
        .chain(ns.also.iter().copied())
    {
        out.push_str(&format!("{indent}{c}: typeof {c};\n"));
    }
    let path = ns.path();
    for child in NAMESPACES {
        let p = child.path();
        if p.len() == path.len() + 1 && p.starts_with(&path) {
            out.push_str(&doc_comment(child.doc, indent));
            out.push_str(&format!("{indent}readonly {}: {{\n", p[path.len()]));
            namespace_body(out, child, &format!("{indent}  "));
            out.push_str(&format!("{indent}}};\n"));
        }
    }
}

/// The surface the shared JS wrapper (`js/api.mjs`) builds the API from, as JSON:
/// `{ errorCodes, namespaces: [{ name, path, also, functions: [member], classes: [{ name, members }] }] }`
/// (`name` prefixes the export ids; `path` is where the namespace sits in JS, `["forecast",
/// "metrics"]`; `also` names classes declared elsewhere that it exposes too),
/// each member `{ kind, name, hasAsync, long, returns (a class name, of an object or of `null`, or null), many (an array of
/// them), tableArg, matrixArg (`[x, nFeatures]`), eventArgs?, rowArgs?, optionsArg, handleArgs }`; `eventArgs` (only where
/// there are some) lists the event tables as `[index, name]` (`[0, "touchpoints"]`), `rowArgs`
/// the tables that may come as rows as `[index, name, columns of a row, { column: default }]`,
/// with a fifth item `true` for a list of such tables ([`Member::row_args`]);
/// `handleArgs` lists the parameters whose
/// type names a class (`channels: FittedMMM | AllocationChannel[]`): the wrapper hands Rust the
/// boxed handle (`api::boxed`) of an instance given there, or one level down, in an array of
/// objects.
/// (Written by hand: every string in it is an identifier, so nothing needs escaping.)
pub fn surface() -> String {
    let classes: Vec<&str> = NAMESPACES
        .iter()
        .flat_map(|ns| ns.classes)
        .map(|c| c.name)
        .collect();
    let q = |s: &str| format!("\"{s}\"");
    let member = |m: &Member, indent: &str| {
        // `C | null` returns a `C` or `null`
        let ret = m.returns();
        let ret = ret.strip_suffix(" | null").unwrap_or(ret);
        let (r, many) = ret
            .strip_suffix("[]")
            .map_or((ret, false), |c| (c, classes.contains(&c)));
        let returns = if classes.contains(&r) {
            q(r)
        } else {
            "null".into()
        };
        let table = m.table_arg().map_or("null".into(), |i| i.to_string());
        let options = m.options_arg().map_or("null".into(), |i| i.to_string());
        let matrix = m.matrix_arg().map_or("null".into(), |(x, n)| format!("[{x}, {n}]"));
        let events: Vec<String> = m
            .event_args()
            .iter()
            .map(|(i, name)| format!("[{i}, {}]", q(name)))
            .collect();
        let events = if events.is_empty() {
            String::new()
        } else {
            format!(", \"eventArgs\": [{}]", events.join(", "))
        };
        let rows: Vec<String> = m
            .row_args()
            .iter()
            .map(|(i, name, (_, _, columns, defaults), list)| {
                let columns: Vec<String> = columns.iter().map(|c| q(c)).collect();
                let defaults: Vec<String> = defaults.iter().map(|(c, x)| format!("{}: {x}", q(c))).collect();
                let list = if *list { ", true" } else { "" };
                format!("[{i}, {}, [{}], {{{}}}{list}]", q(name), columns.join(", "), defaults.join(", "))
            })
            .collect();
        let events = if rows.is_empty() {
            events
        } else {
            format!("{events}, \"rowArgs\": [{}]", rows.join(", "))
        };
        let handles: Vec<String> = m
            .params()
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let ty = p.split_once(':').map_or("", |(_, t)| t);
                ty.split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| classes.contains(&w))
            })
            .map(|(i, _)| i.to_string())
            .collect();
        format!(
            "{indent}{{ \"kind\": {}, \"name\": {}, \"hasAsync\": {}, \"long\": {}, \"returns\": {returns}, \"many\": {many}, \"tableArg\": {table}, \"matrixArg\": {matrix}{events}, \"optionsArg\": {options}, \"handleArgs\": [{}] }}",
            q(m.kind),
            q(m.name),
            m.also_async,
            m.long,
            handles.join(", ")
        )
    };
    let list = |items: Vec<String>, indent: &str| {
        if items.is_empty() {
            "[]".to_string()
        } else {
            format!("[\n{}\n{indent}]", items.join(",\n"))
        }
    };
    let namespaces: Vec<String> = NAMESPACES
        .iter()
        .map(|ns| {
            let functions = list(ns.functions.iter().map(|m| member(m, "        ")).collect(), "      ");
            let classes = list(
                ns.classes
                    .iter()
                    .map(|c| {
                        let members = list(c.members.iter().map(|m| member(m, "            ")).collect(), "          ");
                        format!("        {{\n          \"name\": {},\n          \"members\": {members}\n        }}", q(c.name))
                    })
                    .collect(),
                "      ",
            );
            let path: Vec<String> = ns.path().into_iter().map(q).collect();
            let also: Vec<String> = ns.also.iter().map(|c| q(c)).collect();
            format!(
                "    {{\n      \"name\": {},\n      \"path\": [{}],\n      \"also\": [{}],\n      \"functions\": {functions},\n      \"classes\": {classes}\n    }}",
                q(ns.name),
                path.join(", "),
                also.join(", ")
            )
        })
        .collect();
    let codes: Vec<String> = ErrorKind::ALL.iter().map(|k| q(k.code())).collect();
    format!(
        "{{\n  \"errorCodes\": [{}],\n  \"namespaces\": {}\n}}\n",
        codes.join(", "),
        list(namespaces, "  ")
    )
}
