#!/usr/bin/env python3
"""Copies the examples the README shows from the tests that run them.

A README block
    <!-- snippet: NAME FILE -->
    ...anything...
    <!-- /snippet -->
is replaced by the lines between `START: NAME` and `END: NAME` markers in FILE (a comment in
any language), fenced with the file's language. `--check` exits 1 if the README is out of date,
so CI catches a README that drifted from the tested code.
"""
import pathlib
import re
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
LANG = {".rs": "rust", ".py": "python", ".mjs": "js", ".js": "js", ".ts": "ts", ".sh": "sh"}
BLOCK = re.compile(r"<!-- snippet: (\S+) (\S+) -->\n.*?<!-- /snippet -->", re.S)


def snippet(name: str, file: str) -> str:
    path = ROOT / file
    lines = path.read_text().splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if re.search(rf"START: {re.escape(name)}\b", l))
        end = next(i for i, l in enumerate(lines) if re.search(rf"END: {re.escape(name)}\b", l))
    except StopIteration:
        sys.exit(f"sync_readme: markers START/END: {name} not found in {file}")
    body = textwrap.dedent("\n".join(lines[start + 1 : end])).rstrip()
    lang = LANG.get(path.suffix, "")
    if lang == "rust":
        # the README is also the crate's doc page, so its Rust example runs as a doctest
        body += "\n# Ok::<(), channelwise::Error>(())"
    return f"<!-- snippet: {name} {file} -->\n```{lang}\n{body}\n```\n<!-- /snippet -->"


def main() -> int:
    readme = ROOT / "README.md"
    old = readme.read_text()
    new = BLOCK.sub(lambda m: snippet(m.group(1), m.group(2)), old)
    if "--check" in sys.argv:
        if new != old:
            print("README.md is out of date with the tested examples: run scripts/sync_readme.py")
            return 1
        print("README.md examples match the tests")
        return 0
    readme.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
