#!/usr/bin/env bash
# Builds the Node addon from source and runs its tests, installing what it needs on a fresh
# machine (npm packages from the npm registry; crates through cargo). Exits non-zero on failure.
#
#   bash bindings-node/test.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

for tool in node npm cargo; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "test.sh: $tool is required (Node >= 18 with npm, and a Rust toolchain >= 1.88)" >&2
        exit 1
    fi
done

echo "== npm ci (dev tools: TypeScript for the type tests)"
npm ci --no-audit --no-fund --loglevel=error

echo "== building the addon (cargo build --release -p channelwise-node --features testing)"
node scripts/build.mjs --features testing

echo "== node --test"
node --test test/
