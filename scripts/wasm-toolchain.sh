#!/usr/bin/env bash
# Sets up everything channelwise's WebAssembly binding needs, idempotently, and installs one
# command the rest of CI uses:
#
#   scripts/wasm-toolchain.sh                                   # from the repository root
#   wasm32-cargo build --profile release-wasm -p channelwise-wasm   # -> target/wasm32/...
#   wasm-bindgen --target web --out-dir bindings-wasm/pkg target/wasm32/wasm32-unknown-unknown/release-wasm/channelwise_wasm.wasm
#   wasm-opt -Oz ...                                           # binaryen from npm
#
# Rust -> wasm32-unknown-unknown, by the first route that works:
#   1. rustup: `rustup target add wasm32-unknown-unknown` (the normal route);
#   2. Debian (machines where rustup cannot download targets): rustc-web/cargo-web know the wasm
#      targets and rebuild the standard library from rust-web-src with -Zbuild-std; lld-22 links.
# Also: the wasm-bindgen CLI at the exact version of the `wasm-bindgen` crate in Cargo.lock (the
# crate is pinned `=X.Y.Z`; CLI and crate must match), binaryen's wasm-opt from npm (Debian's
# binaryen 108 breaks wasm-bindgen output: /usr/bin/wasm-opt is never used), and Chromium for the
# demo's end-to-end test.
#
# Env: WASM_TOOLS (default /opt/wasm-tools) where the tools go; WITH_CHROMIUM=0 skips Chromium;
# WITH_WASM_OPT=0 skips binaryen; WASM_ROUTE=rustup|debian forces a route.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tools=${WASM_TOOLS:-/opt/wasm-tools}
mkdir -p "$tools/bin"
say() { echo "wasm-toolchain: $*" >&2; }

apt_install() {
  local p missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { say "need ${missing[*]} but there is no apt-get"; return 1; }
  say "apt-get install ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- 1. the compiler route ---------------------------------------------------------------------
route=${WASM_ROUTE:-}
if [ -z "$route" ] || [ "$route" = rustup ]; then
  if command -v rustup >/dev/null && rustup target add wasm32-unknown-unknown >/dev/null 2>&1 \
     && [ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
    route=rustup
  elif [ "$route" = rustup ]; then
    say "rustup could not add wasm32-unknown-unknown"; exit 1
  else
    route=debian
  fi
fi
say "route: $route"

if [ "$route" = rustup ]; then
  cat >"$tools/bin/wasm32-cargo" <<'WRAP'
#!/bin/sh
# cargo for wasm32-unknown-unknown (rustup target); a target dir of its own so host and wasm
# builds never rebuild each other's artifacts.
export CARGO_TARGET_DIR="${WASM_TARGET_DIR:-target/wasm32}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER:-wasm-bindgen-test-runner}"
sub=$1; shift
exec cargo "$sub" --target wasm32-unknown-unknown "$@"
WRAP
  host_cargo=$(command -v cargo)
else
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  /usr/bin/rustc --print target-list | grep -qx wasm32-unknown-unknown
  test -f "$(/usr/bin/rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.lock"
  cat >"$tools/bin/wasm32-cargo" <<'WRAP'
#!/bin/sh
# cargo for wasm32-unknown-unknown with Debian's rustc-web, rebuilding std (-Zbuild-std); a
# target dir of its own, so the two compilers never rebuild each other's artifacts.
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${WASM_TARGET_DIR:-target/wasm32}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER:-wasm-bindgen-test-runner}"
sub=$1; shift
exec /usr/bin/cargo "$sub" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort "$@"
WRAP
  host_cargo=/usr/bin/cargo
fi
chmod +x "$tools/bin/wasm32-cargo"

# --- 2. wasm-bindgen CLI at the Cargo.lock version ---------------------------------------------
wb=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
if [ -z "$wb" ]; then
  # No lock entry yet (fresh checkout without Cargo.lock): take the crate's exact pin.
  wb=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' bindings-wasm/Cargo.toml)
fi
if [ "$("$tools/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $wb" ]; then
  say "cargo install wasm-bindgen-cli $wb (a few minutes)"
  # --locked fails: the CLI's own lockfile names a crate version the registry does not serve.
  "$host_cargo" install -q wasm-bindgen-cli --version "=$wb" --root "$tools" --force
fi

# --- 3. wasm-opt (binaryen from npm, pinned) ----------------------------------------------------
if [ "${WITH_WASM_OPT:-1}" = 1 ]; then
  if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
    say "npm install binaryen@132.0.0"
    npm install -s --prefix "$tools" --no-audit --no-fund binaryen@132.0.0
  fi
  ln -sfn "$tools/node_modules/.bin/wasm-opt" "$tools/bin/wasm-opt"
fi

# --- 4. Chromium for the demo's end-to-end test -------------------------------------------------
if [ "${WITH_CHROMIUM:-1}" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi

# --- 5. put the tools on PATH -------------------------------------------------------------------
if [ -w /usr/local/bin ]; then
  for b in "$tools"/bin/*; do ln -sfn "$b" "/usr/local/bin/${b##*/}"; done
else
  say "add $tools/bin to PATH"
fi
say "ready: route $route, $("$tools/bin/wasm-bindgen" --version), wasm-opt $([ -x "$tools/bin/wasm-opt" ] && "$tools/bin/wasm-opt" --version || echo none)"
