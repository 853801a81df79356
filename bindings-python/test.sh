#!/usr/bin/env bash
# Builds the Python extension and runs its tests, installing what it needs on a fresh machine.
#
#   bash bindings-python/test.sh            # venv at $CW_VENV (default: <repo>/.venv, git-ignored)
#   CW_VENV=/opt/cwvenv bash bindings-python/test.sh
#
# Exits non-zero on any failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${CW_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating venv at $VENV"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        if command -v apt-get >/dev/null 2>&1; then
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        fi
        "$PYTHON" -m venv "$VENV"
    fi
fi
PY="$VENV/bin/python"

need=()
for mod in maturin pytest numpy pandas polars pyarrow matplotlib tqdm; do
    "$PY" -c "import $mod" 2>/dev/null || need+=("$mod")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "== installing ${need[*]}"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q "${need[@]}"
fi

# cw.spark's tests: pyspark (pinned: the version they were checked with) and Java 17+ from
# Debian. CW_REQUIRE_SPARK=1 makes them fail rather than skip when either is missing.
"$PY" -c "import pyspark, duckdb" 2>/dev/null || { echo "== installing pyspark, duckdb"; "$PY" -m pip install -q "pyspark==4.0.1" duckdb; }
if ! command -v java >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Java (default-jre-headless) for Spark"
    apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null
fi
export CW_REQUIRE_SPARK="${CW_REQUIRE_SPARK:-1}"

echo "== building the extension (maturin develop --release)"
cd "$HERE"
VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" "$PY" -m maturin develop --release --quiet

echo "== pytest"
cd "$HERE"
MPLBACKEND=Agg "$PY" -m pytest -q tests "$@"
