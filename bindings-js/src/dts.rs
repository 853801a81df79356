//! The one `.d.ts` of the JS API, generated from the declarations in [`crate::api`]: both the
//! Node package (`bindings-node/index.d.ts`) and the browser package
//! (`bindings-wasm/js/index.d.ts`, plus `init()`) ship it. `cargo test -p channelwise-js`
//! fails when a checked-in copy differs from what the declarations give
//! (`UPDATE_DTS=1` rewrites them).

use channelwise::ErrorKind;

use crate::api::{declarations, Member, NAMESPACES};
use crate::decl::doc_comment;

/// Which package the declarations are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Package {
    /// The Node addon (CommonJS).
    Node,
    /// The browser module (ES module with `init()`).
    Wasm,
}

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
 * A path table: one row per path (duplicates add up). `path` holds channels joined by a
 * separator (`'>'` unless `options.sep` says otherwise); surrounding whitespace is trimmed.
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
}

/** Touchpoint columns (one entry per touch; `null` in an optional column means none). */
export interface TouchpointColumns {
  /** The user (or any journey key). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers. */
  timestamp: Numbers;
  /** Channel name. */
  channel: string[];
  /** Campaign within the channel. */
  campaign?: (string | null)[] | null;
  /** Cost of the touch. */
  cost?: (number | null)[] | Float64Array | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
}

/** Conversion columns. */
export interface ConversionColumns {
  /** The user (same key as the touchpoints). */
  userId: string[];
  /** Unix seconds (UTC), whole numbers. */
  timestamp: Numbers;
  /** Conversion value (default: zeros). */
  value?: Numbers | null;
  /** Unique event id: a resent copy is dropped. */
  eventId?: (string | null)[] | null;
  /** Event kind (`'purchase'`, `'lead'`, ...); see `leadKind`. */
  type?: (string | null)[] | null;
}
";

const WASM_INIT: &str = "
/**
 * Loads and instantiates the WebAssembly module once; later calls return the same promise.
 * `source` is anything wasm-bindgen's init takes (URL, Response, bytes, WebAssembly.Module);
 * by default the browser fetches `channelwise_wasm_bg.wasm` beside the glue and Node reads it.
 */
export declare function init(source?: unknown): Promise<void>;
export default init;

/** The channelwise version this module was built from. */
export declare function version(): string;

/** Every `code` a channelwise error can carry, as compiled into the .wasm. */
export declare function errorCodes(): ErrorCode[];
";

fn async_ts(ts: &str) -> String {
    match ts.rsplit_once("): ") {
        Some((args, ret)) => format!("{args}): Promise<{ret}>"),
        None => ts.to_string(),
    }
}

fn member(out: &mut String, m: &Member, indent: &str) {
    out.push_str(&doc_comment(m.doc, indent));
    match m.kind {
        "new" => out.push_str(&format!("{indent}constructor{};\n", m.ts)),
        "getter" => out.push_str(&format!("{indent}readonly {}: {};\n", m.name, m.ts)),
        "static" => out.push_str(&format!("{indent}static {}{};\n", m.name, m.ts)),
        _ => out.push_str(&format!("{indent}{}{};\n", m.name, m.ts)),
    }
    if m.also_async {
        let prefix = if m.kind == "static" { "static " } else { "" };
        out.push_str(&format!(
            "{indent}/** `{}` off the JS thread (a worker thread in Node); `options.signal` is not read here. */\n",
            m.name
        ));
        out.push_str(&format!(
            "{indent}{prefix}{}Async{};\n",
            m.name,
            async_ts(m.ts)
        ));
    }
}

/// The `.d.ts` text for `package`.
pub fn generate(package: Package) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\n/** Every `code` a channelwise error can carry. */\nexport type ErrorCode =\n");
    for k in ErrorKind::ALL {
        out.push_str(&format!("  | '{}'\n", k.code()));
    }
    out.truncate(out.len() - 1);
    out.push_str(";\n");
    out.push_str(PRELUDE);
    if package == Package::Wasm {
        out.push_str(WASM_INIT);
    }
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
        out.push('\n');
        out.push_str(&doc_comment(ns.doc, ""));
        out.push_str(&format!("export declare const {}: {{\n", ns.name));
        for f in ns.functions {
            member(&mut out, f, "  ");
        }
        for c in ns.classes {
            out.push_str(&format!("  {}: typeof {};\n", c.name, c.name));
        }
        out.push_str("};\n");
    }
    out
}

/// The surface the shared JS wrapper (`js/api.mjs`) builds the API from, as JSON:
/// `{ errorCodes, namespaces: [{ name, functions: [member], classes: [{ name, members }] }] }`,
/// each member `{ kind, name, hasAsync, returns (a class name or null), tableArg }`.
pub fn surface() -> String {
    use serde_json::json;
    let classes: Vec<&str> = NAMESPACES
        .iter()
        .flat_map(|ns| ns.classes)
        .map(|c| c.name)
        .collect();
    let member = |m: &Member| {
        let r = m.returns();
        json!({
            "kind": m.kind,
            "name": m.name,
            "hasAsync": m.also_async,
            "returns": classes.contains(&r).then_some(r),
            "tableArg": m.table_arg(),
        })
    };
    let namespaces: Vec<_> = NAMESPACES
        .iter()
        .map(|ns| {
            json!({
                "name": ns.name,
                "functions": ns.functions.iter().map(member).collect::<Vec<_>>(),
                "classes": ns.classes.iter().map(|c| json!({
                    "name": c.name,
                    "members": c.members.iter().map(member).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let codes: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    let mut text =
        serde_json::to_string_pretty(&json!({ "errorCodes": codes, "namespaces": namespaces }))
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
