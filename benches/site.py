#!/usr/bin/env python3
"""Whole-build benchmark: Utlys against Hugo on the same generated corpus.

For each size it generates the corpus once (../shared/bench/gen_corpus.py,
`plain` flavour for Utlys, `hugo` flavour for Hugo), then runs the two builds
in alternation, so both see the same machine state, and prints the median
wall time, CPU time and peak memory of each and the Utlys/Hugo ratios.
Builds go into an existing output folder (a repeat build), after two warm-up
builds each: Utlys publishes by swapping two output trees and brings the
spare one up to date, so only from the third build on is the spare tree one
build old, as it is in everyday use. Hugo is used when it is installed (`apt-get install hugo`).

Usage: python3 benches/site.py [--sizes 1000 10000] [--runs 5]
                               [--hugo-sizes 10000] [--where disk|tmpfs]
                               [--shared ../shared]

--hugo-sizes limits Hugo to some of the sizes (default: all of them), so the
time per page of Utlys can be measured up to 50,000 pages in the same run
without waiting for Hugo at every size.
"""

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOW = "2026-03-01T12:00:00+01:00"


def run(cmd):
    """Runs `cmd`; returns wall seconds, CPU seconds and peak RSS in MiB."""
    # stderr goes to a file: a pipe nobody reads until the end would fill
    # up and stop a build that prints many warnings.
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"failed: {' '.join(map(str, cmd))}\n{err.read().decode()[-4000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def corpus(shared, flavor, pages, base):
    out = base / f"corpus-{flavor}-{pages}"
    if not (out / "content").exists():
        subprocess.run(
            [sys.executable, str(shared / "bench" / "gen_corpus.py"), "--flavor", flavor,
             "--pages", str(pages), "--out", str(out)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--hugo-sizes", type=int, nargs="+", default=None)
    ap.add_argument("--where", choices=["disk", "tmpfs"], default="disk")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()

    shared = pathlib.Path(args.shared)
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    utlys = ROOT / "target" / "release" / "utlys"
    hugo = shutil.which("hugo")
    base = ROOT / "target" / "bench"
    outs = pathlib.Path("/dev/shm/utlys-bench") if args.where == "tmpfs" else base / "out"
    base.mkdir(parents=True, exist_ok=True)
    outs.mkdir(parents=True, exist_ok=True)

    print(f"machine: {os.cpu_count()} cores; output on {args.where}; {args.runs} runs each, alternating")
    if not hugo:
        print("hugo: not installed (apt-get install hugo); Utlys figures only")
    rows = []
    for pages in args.sizes:
        plain = corpus(shared, "plain", pages, base)
        # The corpus is at the example address; `--base-url` says that is meant.
        cmds = {"utlys": [utlys, "build", "--root", plain, "--output", outs / f"utlys-{pages}", "--now", NOW,
                          "--base-url", "https://example.se/"]}
        if hugo and (args.hugo_sizes is None or pages in args.hugo_sizes):
            h = corpus(shared, "hugo", pages, base)
            cmds["hugo"] = [hugo, "--source", h, "--destination", outs / f"hugo-{pages}", "--quiet"]
        for _ in range(2):
            for cmd in cmds.values():
                run(cmd)  # warm-up: fills both output trees and the page cache
        samples = {k: [] for k in cmds}
        for _ in range(args.runs):
            for name, cmd in cmds.items():
                samples[name].append(run(cmd))
        med = {k: [statistics.median(s[i] for s in v) for i in range(3)] for k, v in samples.items()}
        for name, (wall, cpu, rss) in med.items():
            print(f"{pages:>6} pages  {name:<6} wall {wall:7.3f} s  cpu {cpu:7.3f} s  peak {rss:8.1f} MiB"
                  f"  ({pages / wall:,.0f} pages/s)")
        if "hugo" in med:
            (uw, uc, ur), (hw, hc, hr) = med["utlys"], med["hugo"]
            print(f"{pages:>6} pages  utlys/hugo: wall {uw / hw:.2f}x  cpu {uc / hc:.2f}x  peak memory {ur / hr:.2f}x")
        rows.append((pages, med["utlys"][0]))
    if len(rows) > 1:
        per_page = [w / p * 1e3 for p, w in rows]
        print("utlys time per page (ms): " + ", ".join(f"{p}: {x:.3f}" for (p, _), x in zip(rows, per_page))
              + f"; largest/smallest {max(per_page) / min(per_page):.2f}x")


if __name__ == "__main__":
    main()
