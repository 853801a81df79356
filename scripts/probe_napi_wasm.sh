#!/usr/bin/env bash
# The other route of issue 10, measured: one napi-rs crate compiled for wasm32-unknown-unknown and
# run by `napi-wasm` (lightningcss's browser build: no threads, so no COOP/COEP headers).
#
#     bash scripts/probe_napi_wasm.sh            # builds a one-function crate, prints what it does
#
# It checks what the route would give channelwise for free: does it build from the registries
# alone, does it run without SharedArrayBuffer, and how napi's own argument conversion treats the
# inputs channelwise must refuse (issue 10, item 3: a wrong type or unknown option names its field
# and value, `code` is the core's kind). Needs crates.io and npm; writes only under a temp dir.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
napi=${NAPI:-3}
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<EOF
[package]
name = "probe"
version = "0.1.0"
edition = "2021"
[lib]
crate-type = ["cdylib"]
[dependencies]
napi = { version = "$napi", default-features = false, features = ["napi4"] }
napi-derive = "$napi"
[profile.release]
opt-level = "z"
lto = true
EOF
cat > "$dir/src/lib.rs" <<'EOF'
use napi_derive::napi;

#[napi(object)]
pub struct MarkovOptions {
  pub order: Option<u32>,
  pub sep: Option<String>,
}

#[napi(object)]
pub struct Row {
  pub channel: String,
  pub conversions: f64,
}

#[napi]
pub fn markov(conversions: napi::bindgen_prelude::Float64Array, options: Option<MarkovOptions>) -> Vec<Row> {
  let order = options.and_then(|o| o.order).unwrap_or(1);
  conversions.iter().enumerate().map(|(i, c)| Row { channel: format!("c{i}"), conversions: c * order as f64 }).collect()
}

/// napi-wasm copies a typed array's bytes into the module's memory through this.
#[no_mangle]
pub extern "C" fn napi_wasm_malloc(size: usize) -> *mut u8 {
  let layout = std::alloc::Layout::from_size_align(size.max(1), 8).unwrap();
  unsafe { std::alloc::alloc(layout) }
}
EOF
cat > "$dir/probe.mjs" <<'EOF'
import { Environment, napi } from 'napi-wasm';
import { readFileSync } from 'node:fs';
const bytes = readFileSync(process.argv[2]);
console.log(`wasm: ${bytes.length} B; SharedArrayBuffer needed: ${WebAssembly.Module.imports(new WebAssembly.Module(bytes)).some((i) => i.kind === 'memory')}`);
// napi 3 imports one function from a module named "napi", the rest from "env".
const { instance } = await WebAssembly.instantiate(bytes, { env: napi, napi });
for (const k in instance.exports) if (k.startsWith('__napi_register__')) instance.exports[k]();
const { markov } = new Environment(instance).exports;
console.log('markov(Float64Array [1, 2], { order: 2 }) =', JSON.stringify(markov(new Float64Array([1, 2]), { order: 2 })));
const cases = [[{ order: 'x' }, 'wrong type'], [{ ordr: 2 }, 'unknown key'], [{ order: -1 }, 'negative count'],
  [{ order: 2.5 }, 'fraction'], [{ order: NaN }, 'NaN'], [{ sep: 3 }, 'wrong type']];
for (const [options, what] of cases) {
  let got;
  try {
    got = `accepted, conversions ${markov(new Float64Array([1]), options)[0].conversions}`;
  } catch (e) {
    got = `code ${e.code}: ${e.message}`;
  }
  console.log(`${what.padEnd(14)} ${JSON.stringify(options, (k, v) => (Number.isNaN(v) ? 'NaN' : v)).padEnd(16)} -> ${got}`);
}
try {
  markov([1, 2]);
} catch (e) {
  console.log(`array for Float64Array         -> code ${e.code}: ${e.message}`);
}
EOF
cd "$dir"
echo "napi $napi, napi-wasm from npm, wasm32-unknown-unknown:"
RUSTFLAGS="-C link-arg=--export-table" cargo build -q --release --target wasm32-unknown-unknown
npm install -s --no-audit --no-fund napi-wasm@1 > /dev/null
node probe.mjs target/wasm32-unknown-unknown/release/probe.wasm
