"""Binding overhead: the same Markov run (order 1, exact) on the same path table from Rust,
Python, Node and WASM, in one run, each as a ratio to native Rust.

    python benches/compare/overhead.py [--csv benches/data/paths_1000000_12ch_s42.csv]
                                       [--python PY] [--python-plain PY]
                                       [--stacks rust,python,python-plain,node,wasm]

Every stack is handed the table as plain columns (strings + numbers) already in memory, and
times the call that turns them into channelwise's table and fits the chain (best of 3 calls per
process, best of --rounds interleaved rounds):
  rust          target/release/cw-attribution --from-columns  (PathTable::from_strings + Markov::fit)
  python        bindings-python/bench_overhead.py with --python (default <repo>/.venv, which
                has pyarrow: pandas 3 keeps strings in Arrow buffers, read in place)
  python-plain  the same script with --python-plain (default <repo>/.venv-plain: pandas and
                channelwise only, NO pyarrow, as `pip install channelwise pandas` gives: the
                path column is Python str objects). Created if missing (pandas from PyPI, the
                binding built into it with --python's maturin); the script stops if pyarrow is
                importable there.
  node          bindings-node/bench_overhead.mjs              (attribution.markov(columns))
  wasm          bindings-wasm/bench_overhead.mjs              (the wasm module in Node)
Targets (issue 4, issue 10): Python (either install) and Node within 1.2x of native, WASM
within 2.5x.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TARGET = {"rust": 1.0, "python": 1.2, "python-plain": 1.2, "node": 1.2, "wasm": 2.5}


def command(stack: str, csv: str, python: str, plain: str) -> list[str]:
    bench = os.path.join(ROOT, "bindings-python", "bench_overhead.py")
    return {
        "rust": [os.path.join(ROOT, "target", "release", "cw-attribution"), csv, "--model", "markov", "--from-columns"],
        "python": [python, bench, csv],
        "python-plain": [plain, bench, csv],
        "node": ["node", os.path.join(ROOT, "bindings-node", "bench_overhead.mjs"), csv],
        "wasm": ["node", os.path.join(ROOT, "bindings-wasm", "bench_overhead.mjs"), csv],
    }[stack]


def has(python: str, module: str) -> bool:
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0


def ensure_plain_venv(plain: str, python: str) -> None:
    """A venv with pandas and channelwise but without pyarrow, at the venv of `plain`."""
    venv = os.path.dirname(os.path.dirname(plain))
    if not os.path.exists(plain):
        print(f"== creating {venv} (pandas, no pyarrow)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([plain, "-m", "pip", "install", "-q", "pandas"], check=True)
    if not has(plain, "channelwise"):
        print(f"== building channelwise into {venv}", file=sys.stderr)
        env = {**os.environ, "VIRTUAL_ENV": venv, "PATH": os.path.join(venv, "bin") + os.pathsep + os.environ["PATH"]}
        subprocess.run([python, "-m", "maturin", "develop", "--release", "--quiet"],
                       cwd=os.path.join(ROOT, "bindings-python"), env=env, check=True, stdout=sys.stderr)
    if has(plain, "pyarrow"):
        sys.exit(f"{plain} can import pyarrow: python-plain must measure an install without it")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", default=os.path.join(ROOT, "benches", "data", "paths_1000000_12ch_s42.csv"))
    ap.add_argument("--python", default=os.path.join(ROOT, ".venv", "bin", "python"),
                    help="interpreter of the 'python' stack (with pyarrow)")
    ap.add_argument("--python-plain", default=os.path.join(ROOT, ".venv-plain", "bin", "python"),
                    help="interpreter of the 'python-plain' stack (pandas without pyarrow)")
    ap.add_argument("--stacks", default="rust,python,python-plain,node,wasm")
    ap.add_argument("--rounds", type=int, default=5,
                    help="interleaved rounds; each stack's best round counts (the VM's timing noise is +-30%%)")
    a = ap.parse_args()
    stacks = a.stacks.split(",")
    if not os.path.exists(a.csv):
        n = "".join(ch for ch in os.path.basename(a.csv).split("_")[1] if ch.isdigit())
        # gen_paths needs numpy: the python stack's interpreter has it
        subprocess.run([a.python, os.path.join(HERE, "gen_paths.py"), "--n", n], check=True)
    if "python-plain" in stacks:
        ensure_plain_venv(a.python_plain, a.python)
    results: dict[str, float] = {}
    notes: dict[str, str] = {}
    for _ in range(a.rounds):
        for stack in stacks:
            cmd = command(stack, a.csv, a.python, a.python_plain)
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                print(f"{stack}: failed ({' '.join(cmd)}):\n{p.stderr.strip()[-2000:]}", file=sys.stderr)
                continue
            out = json.loads(p.stdout.strip().splitlines()[-1])
            s = out["seconds"]
            results[stack] = min(results.get(stack, s), s)
            if "route" in out:
                what = {"arrow": "Arrow buffers", "objects": "str objects"}.get(out["route"], out["route"])
                notes[stack] = f"{what} (pandas {out['pandas']}, " + (
                    f"pyarrow {out['pyarrow']})" if out["pyarrow"] else "no pyarrow)")
    if "rust" not in results:
        print("no native baseline; build it with: cargo build --release -p channelwise-benches", file=sys.stderr)
        return 1
    base = results["rust"]
    print(f"Markov order 1 (exact), {os.path.basename(a.csv)}: columns in memory -> credit, "
          f"best of {a.rounds} interleaved rounds x 3 calls\n")
    print("| stack | seconds | ratio to native | target | input |")
    print("|---|---:|---:|---:|---|")
    for stack, s in results.items():
        target = "-" if stack == "rust" else f"<= {TARGET[stack]}x"
        print(f"| {stack} | {s:.3f} | {s / base:.2f}x | {target} | {notes.get(stack, '')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
