#!/usr/bin/env bash
# Every test in every stack. Usage: bash scripts/test.sh [rust|python|node|wasm ...]
# With no argument it runs all of them; each binding's test.sh installs what it needs itself.
set -euo pipefail
cd "$(dirname "$0")/.."

stacks=("$@")
[ ${#stacks[@]} -eq 0 ] && stacks=(rust python node wasm)
has() { [[ " ${stacks[*]} " == *" $1 "* ]]; }

step() { printf '\n==> %s\n' "$*"; }

# One throwaway PostgreSQL server for the decision engine's store, shared by the Rust, Python
# and Node suites (CW_REQUIRE_PG=1: a missing server fails them rather than skipping).
if has rust || has python || has node; then
  step "PostgreSQL for the decide stores (scripts/postgres.sh: a throwaway server, stopped on exit)"
  pg_env=$(bash scripts/postgres.sh start)
  eval "$pg_env"
  trap 'bash scripts/postgres.sh stop "$CW_PG_DIR"' EXIT
  export CW_PG_URL CW_REQUIRE_PG=1
fi

if has rust; then
  step "README examples match the tests that run them"
  python3 scripts/sync_readme.py --check
  step "Rust: unit, doc, property and shared-vector tests (core + benches)"
  env -u CW_PG_URL -u CW_REQUIRE_PG cargo test --release
  step "Rust: the decide stores on PostgreSQL (the SQLite suite again, and two engine processes racing)"
  cargo test --release -p channelwise --features postgres \
    --test decide_store --test decide_engine --test decide_feedback --test decide_two_process
  step "Rust: the core without rayon (what the browser build uses)"
  cargo test --release -p channelwise --no-default-features --lib --test vectors_attribution
  step "Rust: API docs build without warnings (a broken intra-doc link fails)"
  RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p channelwise -p channelwise-js --features channelwise/postgres
  # and channelwise-js as the Node addon builds it (decide.Engine's adapters, `Remote`)
  RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p channelwise-js --features engine
  step "Rust: benchmarks compile"
  # As test targets of the default members, the build above's artifacts are reused; `cargo bench
  # -p channelwise-benches` unifies features differently and rebuilt every dependency (~4 min).
  cargo test --release --benches --no-run
fi
for s in python node wasm; do
  if has "$s" && [ -f "bindings-$s/test.sh" ]; then
    step "$s binding"
    bash "bindings-$s/test.sh"
  fi
done
step "all requested stacks passed: ${stacks[*]}"
