"""Binding overhead: the same Markov run (order 1, exact) on the same path table from Rust,
Python, Node and WASM, in one run, each as a ratio to native Rust.

    python benches/compare/overhead.py [--csv benches/data/paths_1000000_12ch_s42.csv]
                                       [--python PY] [--stacks rust,python,node,wasm]

Every stack is handed the table as plain columns (strings + numbers) already in memory, and
times the call that turns them into channelwise's table and fits the chain (best of 3 calls per
process, best of --rounds interleaved rounds):
  rust   target/release/cw-attribution --from-columns  (PathTable::from_strings + Markov::fit)
  python bindings-python/bench_overhead.py             (cw.attribution.markov(df) on pandas)
  node   bindings-node/bench_overhead.mjs              (attribution.markov(columns))
  wasm   bindings-wasm/bench_overhead.mjs              (the wasm module in Node)
Targets (issue 4): Python and Node within 1.2x of native, WASM within 2.5x.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TARGET = {"rust": 1.0, "python": 1.2, "node": 1.2, "wasm": 2.5}


def command(stack: str, csv: str, python: str) -> list[str]:
    return {
        "rust": [os.path.join(ROOT, "target", "release", "cw-attribution"), csv, "--model", "markov", "--from-columns"],
        "python": [python, os.path.join(ROOT, "bindings-python", "bench_overhead.py"), csv],
        "node": ["node", os.path.join(ROOT, "bindings-node", "bench_overhead.mjs"), csv],
        "wasm": ["node", os.path.join(ROOT, "bindings-wasm", "bench_overhead.mjs"), csv],
    }[stack]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", default=os.path.join(ROOT, "benches", "data", "paths_1000000_12ch_s42.csv"))
    ap.add_argument("--python", default=os.path.join(ROOT, ".venv", "bin", "python"))
    ap.add_argument("--stacks", default="rust,python,node,wasm")
    ap.add_argument("--rounds", type=int, default=5,
                    help="interleaved rounds; each stack's best round counts (the VM's timing noise is +-30%%)")
    a = ap.parse_args()
    if not os.path.exists(a.csv):
        n = "".join(ch for ch in os.path.basename(a.csv).split("_")[1] if ch.isdigit())
        subprocess.run([sys.executable, os.path.join(HERE, "gen_paths.py"), "--n", n], check=True)
    results: dict[str, float] = {}
    for _ in range(a.rounds):
        for stack in a.stacks.split(","):
            cmd = command(stack, a.csv, a.python)
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                print(f"{stack}: failed ({' '.join(cmd)}):\n{p.stderr.strip()[-2000:]}", file=sys.stderr)
                continue
            s = json.loads(p.stdout.strip().splitlines()[-1])["seconds"]
            results[stack] = min(results.get(stack, s), s)
    if "rust" not in results:
        print("no native baseline; build it with: cargo build --release -p channelwise-benches", file=sys.stderr)
        return 1
    base = results["rust"]
    print(f"Markov order 1 (exact), {os.path.basename(a.csv)}: columns in memory -> credit, "
          f"best of {a.rounds} interleaved rounds x 3 calls\n")
    print("| stack | seconds | ratio to native | target |")
    print("|---|---:|---:|---:|")
    for stack, s in results.items():
        print(f"| {stack} | {s:.3f} | {s / base:.2f}x | {'-' if stack == 'rust' else f'<= {TARGET[stack]}x'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
