#!/usr/bin/env bash
# The gzipped .wasm of a package with each module alone (on top of journey + stats, always in),
# of the modules before issue 10 (attribution, forecast, anomaly; with and without model travel) and of the full package: the table in bindings-wasm/README.md. Builds into target/wasm-sizes/.
#   bash bindings-wasm/sizes.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$here/../target/wasm-sizes"
mkdir -p "$out"
gz() { gzip -9 -c "$1/channelwise_wasm_bg.wasm" | wc -c; }
raw() { stat -c %s "$1/channelwise_wasm_bg.wasm"; }
echo "| package | .wasm | gzipped |"
echo "|---|---:|---:|"
for m in base attribution forecast anomaly glm clv leads platform experiment optimize decide json attribution,forecast,anomaly attribution,forecast,anomaly,json full; do
  case "$m" in
    full) bash "$here/build.sh" --out "$out/$m" >/dev/null 2>&1 ;;
    base) bash "$here/build.sh" --no-modules --out "$out/$m" >/dev/null 2>&1 ;;
    *) bash "$here/build.sh" --modules "$m" --out "$out/$m" >/dev/null 2>&1 ;;
  esac
  echo "| $m | $(raw "$out/$m") | $(gz "$out/$m") |"
done
