#!/usr/bin/env python3
"""Edit-loop benchmark: from saving a file to the dev server's reload event.

Starts `utlys serve --port 0` on a generated challenge site (the same corpus
as benches/site.py), subscribes to its server-sent events, then N times
appends a sentence to one challenge file and measures the time until the
`reload` event; then the same for a title (shown in every list with the
challenge) and for the template every page extends (an override of
base.html in the site's own theme). Prints the median and range of each.

Usage: python3 benches/edit_loop.py [--pages 10000] [--edits 5] [--shared ../shared]
                                    [--binary PATH]

--binary measures that build of `utlys` instead of building the release
binary of the checkout (to compare two versions, run the script once with
each, one after the other).
"""

import argparse
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


class Events:
    """A minimal SSE reader over a raw socket."""

    def __init__(self, host, port, path):
        self.sock = socket.create_connection((host, port), timeout=120)
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.buf = b""

    def next_event(self, timeout):
        self.sock.settimeout(timeout)
        while True:
            if b"\n\n" in self.buf:
                block, self.buf = self.buf.split(b"\n\n", 1)
                for line in block.decode(errors="replace").splitlines():
                    if line.startswith("event:"):
                        return line.split(":", 1)[1].strip()
                continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed")
            self.buf += chunk


def wait_for(events, name, timeout):
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(name)
        if events.next_event(left) == name:
            return


def measure(events, path, edit, count):
    times = []
    for i in range(count):
        time.sleep(1.0)  # let the watcher settle between edits
        t0 = time.monotonic()
        edit(path, i)
        wait_for(events, "reload", 300)
        times.append(time.monotonic() - t0)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--binary", help="the utlys binary to measure (default: the checkout's release build)")
    args = ap.parse_args()

    utlys = ROOT / "target" / "release" / "utlys"
    if args.binary:
        utlys = pathlib.Path(args.binary).resolve()
    else:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    site = ROOT / "target" / "bench" / f"edit-loop-{args.pages}"
    if site.exists():
        shutil.rmtree(site)
    subprocess.run([sys.executable, str(pathlib.Path(args.shared) / "bench" / "gen_corpus.py"),
                    "--flavor", "plain", "--pages", str(args.pages), "--out", str(site)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = subprocess.Popen([utlys, "serve", "--root", site, "--port", "0",
                             "--now", "2026-03-01T12:00:00+01:00"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = proc.stdout.readline()
        url = first.split()[1]
        hostport, _, base = url.removeprefix("http://").partition("/")
        host, port = hostport.split(":")
        events = Events(host, int(port), f"/{base}__utlys/events")

        challenge = sorted((site / "content" / "challenges").glob("*.md"))[args.pages // 2]

        def edit_content(path, i):
            with open(path, "a", encoding="utf-8") as f:
                f.write(f"\nEn rad till, nummer {i}.\n")

        titled = sorted((site / "content" / "challenges").glob("*.md"))[args.pages // 3]
        original = titled.read_text(encoding="utf-8")

        def edit_title(path, i):
            # The title is on the challenge's card: every list showing it
            # must be rendered again.
            lines = original.split("\n")
            at = next(n for n, line in enumerate(lines) if line.startswith("title:"))
            line = lines[at]
            lines[at] = f"{line[:-1]} ({i})\"" if line.endswith('"') else f"{line} ({i})"
            path.write_text("\n".join(lines), encoding="utf-8")

        # base.html: the template every page extends, the costliest to edit.
        template = site / "themes" / "default" / "templates" / "base.html"
        template.parent.mkdir(parents=True, exist_ok=True)
        base = (ROOT / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")

        def edit_template(path, i):
            path.write_text(base.replace("</body>", f"<!-- edit {i} -->\n</body>"), encoding="utf-8")

        results = (
            ("challenge body", measure(events, challenge, edit_content, args.edits)),
            ("challenge title", measure(events, titled, edit_title, args.edits)),
            ("base template", measure(events, template, edit_template, args.edits)),
        )
        for name, t in results:
            print(f"{args.pages} pages, save {name} -> reload event: median {statistics.median(t) * 1e3:.0f} ms"
                  f" (min {min(t) * 1e3:.0f}, max {max(t) * 1e3:.0f}, {len(t)} edits)")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
