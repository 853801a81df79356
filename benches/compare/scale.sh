#!/usr/bin/env bash
# One machine's reach (issue 17): the user-sorted CSV journey builder at 10M and 100M events, and
# the in-memory build at 10M for comparison, each in its own process (peak memory is per
# process). Prints one JSON line per run; the table is in the README and benches/README.md.
#   bash benches/compare/scale.sh [EVENTS...]      # default: 10000000 100000000
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q -p channelwise-benches --bin cw-scale
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000000 100000000)
for n in "${sizes[@]}"; do
  ./target/release/cw-scale --events "$n" --mode stream --batch 10000
  # the whole log in memory needs ~250 bytes per event: only up to 10M here
  if [ "$n" -le 10000000 ]; then ./target/release/cw-scale --events "$n" --mode memory; fi
  # at most 4 touches per user: at most 4,680 distinct paths, so what is left is the batch
  ./target/release/cw-scale --events "$n" --mode stream --batch 10000 --max-touches 4
done
