#!/usr/bin/env python3
"""A repeat build with nothing changed, for two builds of Utlys side by side.

For each size it generates the corpus once (../shared/bench/gen_corpus.py,
`plain` flavour), gives each binary an output folder of its own, builds
three times to warm up (so the spare tree is one build old, as in everyday
use), then runs the binaries in alternation, so both see the same machine
state: with the page cache dropped before each run (`--cold`, needs root)
and with it warm. Prints the median wall time of each and the ratio of the
second binary to the first.

Usage: python3 benches/repeat.py BEFORE AFTER [--sizes 10000 50000] [--runs 3]
                                 [--shared ../shared]
"""

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOW = "2026-03-01T12:00:00+01:00"


def drop_caches():
    """Writes dirty pages out and empties the page cache (needs root)."""
    subprocess.run(["sync"], check=True)
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def run(cmd):
    """Runs `cmd`; returns its wall seconds and its summary line."""
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}")
    return wall, p.stdout.decode().strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()
    shared = pathlib.Path(args.shared)
    base = ROOT / "target" / "bench"
    bins = {"before": args.before, "after": args.after}
    print(f"machine: {os.cpu_count()} cores; {args.runs} runs each, alternating")
    for pages in args.sizes:
        corpus = base / f"corpus-plain-{pages}"
        if not (corpus / "content").exists():
            subprocess.run([sys.executable, str(shared / "bench" / "gen_corpus.py"), "--flavor", "plain",
                            "--pages", str(pages), "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
        # The corpus is at the example address; `--base-url` says that is
        # meant, in a form older builds know too.
        cmds = {name: [exe, "build", "--root", corpus, "--output", base / "repeat" / f"{name}-{pages}" / "public",
                       "--now", NOW, "--base-url", "https://example.se/"] for name, exe in bins.items()}
        for _ in range(3):
            for cmd in cmds.values():
                run(cmd)
        for cache in ["cold", "warm"]:
            samples = {name: [] for name in cmds}
            for _ in range(args.runs):
                for name, cmd in cmds.items():
                    if cache == "cold":
                        drop_caches()
                    wall, summary = run(cmd)
                    samples[name].append(wall)
            med = {name: statistics.median(s) for name, s in samples.items()}
            for name, s in samples.items():
                print(f"{pages:>6} pages  {cache}  {name:<6}  median {med[name]:7.2f} s  "
                      f"runs {', '.join(f'{x:.2f}' for x in s)}")
            print(f"{pages:>6} pages  {cache}  after/before {med['after'] / med['before']:.2f}x"
                  f"   ({summary})", flush=True)


if __name__ == "__main__":
    main()
