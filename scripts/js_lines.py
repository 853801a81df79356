#!/usr/bin/env python3
"""Counts the JS binding code (Rust, JS and hand-written types), before issue 10 and now.

    python3 scripts/js_lines.py            # the table the README and CHANGELOG.md quote

`wc -l` over the globs CHANGELOG.md names, then the same lines split into blank, comment (doc
comments included: they become the `.d.ts`'s JSDoc) and code. "Before" is the tree at
`0e85bc6~1`, the last commit with the two hand-kept bindings (read with `git show`, so the
working tree is not touched). "Like for like" is today's shared layer plus the five original
modules' files, without the seven later modules' files and their blocks of the `api!` table.
"""
import fnmatch
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "0e85bc6~1"
NOW_GLOBS = [
    "bindings-node/src/**.rs", "bindings-node/index.js", "bindings-node/platform.js",
    "bindings-wasm/src/*.rs", "bindings-wasm/js/*",
    "bindings-js/src/**.rs", "bindings-js/src/decide/decide.d.ts", "bindings-js/js/api.mjs",
    "scripts/sync_js_api.mjs",
]
# Generated from the declarations, not written by hand.
GENERATED = ["bindings-wasm/js/api.d.ts", "bindings-wasm/js/api.js", "bindings-wasm/js/surface.js"]
BEFORE_GLOBS = [
    "bindings-node/src/**.rs", "bindings-node/index.js", "bindings-node/platform.js",
    "bindings-node/index.d.ts", "bindings-wasm/src/*.rs", "bindings-wasm/js/*",
]
LATER = ["glm", "clv", "leads", "experiment", "platform", "optimize", "decide"]
# Two shared files serve only the later modules, so they are counted with them:
# `bindings-node/src/remote.rs` serves only `decide.Engine`'s `...Async` calls (its JS adapter
# reached from the engine's thread), and `bindings-js/src/keys.rs` converts the later modules'
# settings documents between camelCase and the core's snake_case serde forms. `main` checks
# that no like-for-like file reaches either (`SERVES_LATER`), so the split stays true; the one
# exception is the Node host's `remote` hook, which makes a `NodeRemote` for decide (its lines
# stay in the shared layer's count).
LATER_FILES = [f"bindings-js/src/{m}.rs" for m in LATER] + [f"bindings-js/src/{m}/*" for m in LATER] + [
    "bindings-node/src/remote.rs", "bindings-js/src/keys.rs",
]
SERVES_LATER = {"bindings-node/src/remote.rs": "remote::", "bindings-js/src/keys.rs": "keys::"}


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def matches(path, globs):
    # `**.rs` stands for any depth, `*` for one level (fnmatch's `*` crosses `/`, so check depth).
    for g in globs:
        if "**" in g:
            if fnmatch.fnmatch(path, g.replace("**", "*")):
                return True
        elif fnmatch.fnmatch(path, g) and path.count("/") == g.count("/"):
            return True
    return False


def files(rev, globs, skip=()):
    names = git("ls-tree", "-r", "--name-only", rev).split("\n")
    return sorted(p for p in names if p and matches(p, globs) and not matches(p, skip))


def text(rev, path):
    return git("show", f"{rev}:{path}")


def split(lines):
    """(blank, comment, code) of a Rust / JS / TypeScript file's lines."""
    blank = comment = code = 0
    in_block = False
    for raw in lines:
        s = raw.strip()
        if in_block:
            comment += 1
            in_block = "*/" not in s
        elif not s:
            blank += 1
        elif s.startswith("//"):
            comment += 1
        elif s.startswith("/*"):
            comment += 1
            in_block = "*/" not in s
        else:
            code += 1
    return blank, comment, code


def split_api(lines):
    """`api.rs`'s lines as (kept, later): `later` are the lines of the later modules' blocks of
    the `api!` table (from a `// ---- module (its own block ...)` line to the next one or the
    table's end), `kept` the rest."""
    kept, later, keep = [], [], True
    for line in lines:
        s = line.strip()
        if s.startswith("// ---- ") and "(its own block" in s:
            keep = s.split()[2] not in LATER
        elif line == "}":
            keep = True
        (kept if keep else later).append(line)
    return kept, later


def count(lines):
    b, c, k = split(lines)
    return len(lines), b, c, k


def lines_of(rev, path):
    return text(rev, path).splitlines()


def main():
    before = [line for p in files(BEFORE, BEFORE_GLOBS) for line in lines_of(BEFORE, p)]
    now_files = files("HEAD", NOW_GLOBS, GENERATED)
    now = [line for p in now_files for line in lines_of("HEAD", p)]
    later_files = [p for p in now_files if matches(p, LATER_FILES)]
    later = [line for p in later_files for line in lines_of("HEAD", p)]
    like, blocks = [], []
    for p in now_files:
        if p in later_files:
            continue
        ls = lines_of("HEAD", p)
        if p == "bindings-js/src/api.rs":
            ls, blocks = split_api(ls)
        for path, use in SERVES_LATER.items():
            if any(use in line for line in ls) and (p, use) != ("bindings-node/src/host.rs", "remote::"):
                sys.exit(f"{p} uses {path} ({use}), which is counted with the later modules")
        like.extend(ls)
    rows = [
        ("before issue 10 (five modules, bound twice)", count(before)),
        ("now, twelve modules bound once", count(now)),
        ("  of which the seven later modules' files", count(later)),
        ("  of which their api! blocks", count(blocks)),
        ("now, like for like (shared layer + five modules)", count(like)),
    ]
    print(f"{'':52} {'wc -l':>7} {'blank':>7} {'comment':>8} {'code':>7}")
    for name, (n, b, c, k) in rows:
        print(f"{name:52} {n:7,} {b:7,} {c:8,} {k:7,}")
    (n0, _, _, k0), (n1, _, _, k1) = rows[0][1], rows[4][1]
    print(f"like for like against before: wc -l {n1 / n0 - 1:+.0%}, code lines {k1 / k0 - 1:+.0%}")


if __name__ == "__main__":
    sys.exit(main())
