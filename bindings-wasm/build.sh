#!/usr/bin/env bash
# Builds the browser package's .wasm and its wasm-bindgen glue; prints the size.
#   bash bindings-wasm/build.sh                          # every module -> bindings-wasm/pkg/
#   bash bindings-wasm/build.sh --modules attribution    # a slim package (see README.md)
#   bash bindings-wasm/build.sh --modules attribution,forecast --out /tmp/pkg
#   bash bindings-wasm/build.sh --no-modules             # journey and stats only
# Modules: attribution, forecast, anomaly, glm, clv, leads (brings glm), platform, experiment, optimize,
# decide (its pure rules; decide.Engine is Node only and throws here), json (model travel: the
# fitted models' and bandits' toJSON() / fromJSON(); without it a long call on or returning a
# fitted model runs in the page, not a Web Worker); `journey` and `stats` are always in. A slim package keeps the whole API's types, and a call
# into a module it left out throws code "invalid_parameter" naming the module.
# Needs the tools of scripts/wasm-toolchain.sh on PATH (wasm32-cargo, wasm-bindgen, wasm-opt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
export PATH="${WASM_TOOLS:-/opt/wasm-tools}/bin:$PATH"
modules=""
out="$here/pkg"
while [ $# -gt 0 ]; do
  case "$1" in
    --modules) modules=$2; shift 2 ;;
    --no-modules) modules=none; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "build.sh: unknown argument $1 (--modules LIST, --out DIR)" >&2; exit 2 ;;
  esac
done
cd "$root"
features=()
case "$modules" in
  "") ;;
  none) features=(--no-default-features) ;;
  *) features=(--no-default-features --features "$modules") ;;
esac
wasm32-cargo build --profile release-wasm -p channelwise-wasm "${features[@]}"
raw="${WASM_TARGET_DIR:-target/wasm32}/wasm32-unknown-unknown/release-wasm/channelwise_wasm.wasm"
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" "$raw"
# The features Rust enables by default for wasm32-unknown-unknown (1.82+); wasm-opt must accept
# what the compiler emitted and must not invent more.
wasm-opt -Os --strip-debug --strip-producers \
  --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-reference-types --enable-multivalue \
  "$out/channelwise_wasm_bg.wasm" -o "$out/channelwise_wasm_bg.wasm"
size=$(stat -c %s "$out/channelwise_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/channelwise_wasm_bg.wasm" | wc -c)
echo "== size (${modules:-every module}): channelwise_wasm_bg.wasm $size bytes, $gz bytes gzipped (-9)"
