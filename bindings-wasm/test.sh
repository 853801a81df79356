#!/usr/bin/env bash
# Builds and tests the WebAssembly binding from scratch; exits non-zero on any failure.
#   1. scripts/wasm-toolchain.sh (rustup target or Debian route, wasm-bindgen CLI, wasm-opt, Chromium)
#   2. node scripts/sync_js_api.mjs (the shared wrapper, surface and .d.ts into js/), then
#      wasm32-cargo build --profile release-wasm -p channelwise-wasm
#   3. wasm-bindgen --target web -> bindings-wasm/pkg/, then wasm-opt -Os; prints the gzipped size
#      (steps 2-3 are bindings-wasm/build.sh)
#   4. npm ci (playwright-core, locked), node tests (every shared vector + bad input), and the
#      demo pages' end-to-end test in headless Chromium (screenshots to tmp; with
#      UPDATE_SCREENSHOT=1 to demo/screenshot.png, demo/forecast.png and demo/mmm.png)
#   5. a slim package (build.sh --modules attribution) and test/slim.test.mjs against it; the
#      Chromium test of step 4 runs after it and loads it in a page of its own
# Env: SKIP_TOOLCHAIN=1 skips step 1 (tools already on PATH); SKIP_E2E=1 skips the browser test.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
export PATH="${WASM_TOOLS:-/opt/wasm-tools}/bin:$PATH"
cd "$root"

[ "${SKIP_TOOLCHAIN:-0}" = 1 ] || scripts/wasm-toolchain.sh

echo "== the shared JS wrapper, surface and types (scripts/sync_js_api.mjs)"
node scripts/sync_js_api.mjs
echo "== build (release-wasm profile)"
bash "$here/build.sh"

cd "$here"
echo "== npm ci"
npm ci --no-audit --no-fund --silent
echo "== node tests"
# every test file but the slim package's (run below against its own build)
node --test $(ls test/*.test.mjs | grep -v '/slim.test.mjs$')
echo "== a slim package (attribution only, so without model travel): built and loaded"
bash "$here/build.sh" --modules attribution --out "$root/target/wasm-slim-pkg"
CW_SLIM_PKG="$root/target/wasm-slim-pkg" node --test test/slim.test.mjs
if [ "${SKIP_E2E:-0}" != 1 ]; then
  echo "== Chromium end-to-end (the slim package in a page of its own too)"
  CW_SLIM_PKG="$root/target/wasm-slim-pkg" node --test test/e2e_chromium.mjs
fi
echo "== ok"
