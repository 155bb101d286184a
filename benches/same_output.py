#!/usr/bin/env python3
"""Byte equality of two Utlys binaries: does the new one build the same sites?

Builds each site with both binaries, with the same clock (--now) and the same
--base-url, each into a fresh output folder, then compares the two trees: the
list of files and folders, and every file byte for byte. The sites:

  sample   the sample portal of this repository (content/, site.toml, themes/)
  hostile  tests/fixtures/hostile-site: names with spaces and non-ASCII
           letters, markup in every field, odd dates and zones, documents,
           translations, BOM and CRLF, a draft
  corpus   a generated corpus (../shared/bench/gen_corpus.py, plain flavour)
           of --pages challenges, kept under target/bench/ for the next run

Versions before the manifest moved beside the output kept it inside the
output folder (.utlys-manifest); it is bookkeeping of the publisher, not part
of the site, and is left out of the comparison.

Exit status: 0 when every site is the same, 1 when a file differs, a file is
only in one tree or only the new binary fails to build a site, 2 on a usage
error (including a site the old binary cannot build: nothing to compare).

Usage: python3 benches/same_output.py --old BIN --new BIN [--pages N]
           [--sites sample hostile corpus] [--now TIME] [--base-url URL]
           [--shared DIR] [--keep DIR]
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOW = "2026-03-01T12:00:00+01:00"
BASE_URL = "https://utmaningar.example.se/portal/"
MANIFEST = ".utlys-manifest"
SITES = ("sample", "hostile", "corpus")
SHOWN = 10


class Usage(Exception):
    """A problem with what the script was asked to do: exit status 2."""


def tree(folder):
    """Every file and folder under `folder`, as `/`-separated relative paths:
    (files, folders). Links are listed as files and never followed."""
    files, folders = set(), set()
    for here, dirs, names in os.walk(folder):
        rel = os.path.relpath(here, folder)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        folders.update(prefix + d for d in dirs if not os.path.islink(os.path.join(here, d)))
        files.update(prefix + d for d in dirs if os.path.islink(os.path.join(here, d)))
        files.update(prefix + n for n in names)
    files.discard(MANIFEST)
    return files, folders


def first_difference(a, b):
    """The offset of the first byte where `a` and `b` differ."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def excerpt(data, at):
    """A short, printable piece of `data` around offset `at`."""
    piece = data[max(0, at - 40):at + 40]
    return piece.decode("utf-8", "replace").encode("unicode_escape").decode("ascii")


def compare(old, new):
    """Compares two output trees. Returns (files compared, differences), a
    difference being (path, what)."""
    old_files, old_dirs = tree(old)
    new_files, new_dirs = tree(new)
    differences = [(p, "only in the old build") for p in sorted(old_files - new_files)]
    differences += [(p, "only in the new build") for p in sorted(new_files - old_files)]
    differences += [(p + "/", "folder only in the old build") for p in sorted(old_dirs - new_dirs)]
    differences += [(p + "/", "folder only in the new build") for p in sorted(new_dirs - old_dirs)]
    common = sorted(old_files & new_files)
    for path in common:
        a = pathlib.Path(old, path)
        b = pathlib.Path(new, path)
        if a.is_symlink() or b.is_symlink():
            if not (a.is_symlink() and b.is_symlink() and os.readlink(a) == os.readlink(b)):
                differences.append((path, "a link in one build, or links to different places"))
            continue
        x, y = a.read_bytes(), b.read_bytes()
        if x != y:
            at = first_difference(x, y)
            what = (f"{len(x)} bytes old, {len(y)} new; first difference at byte {at}:\n"
                    f"      old: {excerpt(x, at)}\n      new: {excerpt(y, at)}")
            differences.append((path, what))
    return len(common), differences


def build(binary, root, output, now, base_url):
    """Builds `root` into `output`; (seconds, None) or (seconds, the error)."""
    cmd = [str(binary), "build", "--root", str(root), "--output", str(output),
           "--now", now, "--base-url", base_url]
    env = {k: v for k, v in os.environ.items() if not k.startswith("UTLYS_")}
    started = time.monotonic()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        return seconds, done.stderr.decode("utf-8", "replace")[-3000:]
    return seconds, None


def corpus(shared, pages):
    """The generated corpus of `pages` challenges, made once and kept."""
    generator = pathlib.Path(shared, "bench", "gen_corpus.py")
    if not generator.is_file():
        raise Usage(f"no corpus generator at {generator}; give --shared DIR")
    out = ROOT / "target" / "bench" / f"corpus-plain-{pages}"
    if not (out / "content").exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(generator), "--flavor", "plain", "--pages", str(pages),
                        "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
    return out


def site_root(name, args):
    if name == "sample":
        return ROOT
    if name == "hostile":
        return ROOT / "tests" / "fixtures" / "hostile-site"
    return corpus(args.shared, args.pages)


def check_site(name, root, args, work):
    """Builds and compares one site; whether the two builds are the same."""
    old_out, new_out = work / name / "old", work / name / "new"
    old_secs, old_error = build(args.old, root, old_out, args.now, args.base_url)
    if old_error:
        raise Usage(f"{name}: the old binary does not build {root}, so there is nothing "
                    f"to compare against:\n{old_error}")
    new_secs, new_error = build(args.new, root, new_out, args.now, args.base_url)
    if new_error:
        print(f"{name}: DIFFERENT: the new binary fails where the old one builds:\n{new_error}")
        return False
    compared, differences = compare(old_out, new_out)
    timing = f"old {old_secs:.2f} s, new {new_secs:.2f} s"
    if not differences:
        print(f"{name}: same: {compared} files byte for byte ({timing})")
        return True
    print(f"{name}: DIFFERENT: {len(differences)} of {compared} files and folders ({timing})")
    for path, what in differences[:SHOWN]:
        print(f"  {path}: {what}")
    if len(differences) > SHOWN:
        print(f"  … and {len(differences) - SHOWN} more")
    return False


def executable(path):
    path = pathlib.Path(path)
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise argparse.ArgumentTypeError(f"{path} is not an executable file")
    return path.resolve()


def arguments():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=executable, required=True, help="the binary to compare against")
    ap.add_argument("--new", type=executable, required=True, help="the binary under test")
    ap.add_argument("--pages", type=int, default=10000, help="challenges in the corpus (10000)")
    ap.add_argument("--sites", nargs="+", choices=SITES, default=list(SITES))
    ap.add_argument("--now", default=NOW, help=f"the build clock of both builds ({NOW})")
    ap.add_argument("--base-url", default=BASE_URL, help=f"the base URL of both ({BASE_URL})")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"),
                    help="the folder holding bench/gen_corpus.py")
    ap.add_argument("--keep", metavar="DIR",
                    help="build into DIR (new or empty) and keep the trees, to look at them")
    args = ap.parse_args()
    if args.pages < 1:
        ap.error("--pages must be at least 1")
    if args.keep and pathlib.Path(args.keep).exists() and any(pathlib.Path(args.keep).iterdir()):
        ap.error(f"--keep {args.keep}: the folder is not empty")
    return args


def main():
    args = arguments()
    print(f"old: {args.old}\nnew: {args.new}\nclock {args.now}, base URL {args.base_url}")
    if args.keep:
        work = pathlib.Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        (ROOT / "target").mkdir(exist_ok=True)
        work = pathlib.Path(tempfile.mkdtemp(prefix="same-output-", dir=ROOT / "target"))
    try:
        same = [check_site(name, site_root(name, args), args, work) for name in args.sites]
    except Usage as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if all(same):
        print(f"identical: {len(same)} site(s)")
        return 0
    print(f"different: {same.count(False)} of {len(same)} site(s)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
