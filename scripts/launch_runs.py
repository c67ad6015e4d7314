#!/usr/bin/env python3
"""Times the app's launch as whole processes, side by side: each round launches every binary once (the
order alternating from round to round) with `DEMARCHE_EXIT_AFTER_FIRST_FRAME=1`, in a fresh home folder
(no saved view), and reads what it prints (first frame drawn, map drawn) and its peak memory (GNU time's
maximum resident set size). Prints the medians per binary and the load average. Standard library only.

    DISPLAY=:99 launch_runs.py [--runs N] NAME BINARY [ARGS...] -- NAME BINARY ...

Run it under a display (Xvfb: `Xvfb :99 -screen 0 1280x1024x24 &`, then `DISPLAY=:99`); `/usr/bin/time`
must be GNU time. The launch time of a shared machine varies by half from one hour to the next: time the
app beside `examples/bare_window.rs` (an eframe window with one label, the floor under any launch there).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile


def launch(command):
    home = tempfile.mkdtemp(prefix="demarche-launch-")
    env = dict(os.environ)
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        XDG_DATA_HOME=os.path.join(home, ".local", "share"),
        DEMARCHE_EXIT_AFTER_FIRST_FRAME="1",
    )
    try:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "peak-kb %M"] + command,
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)
    out = done.stdout + done.stderr
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{out}")

    def number(pattern):
        m = re.search(pattern, out)
        return float(m.group(1)) if m else float("nan")

    return {
        "first frame": number(r"first frame drawn (\d+) ms"),
        "map": number(r"map drawn (\d+) ms"),
        "peak MiB": number(r"peak-kb (\d+)") / 1024.0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("commands", nargs=argparse.REMAINDER, help="NAME BINARY [ARGS] -- NAME ...")
    args = parser.parse_args()
    groups, current = [], []
    for word in args.commands:
        if word == "--":
            groups.append(current)
            current = []
        else:
            current.append(word)
    groups.append(current)
    groups = [g for g in groups if g]
    if len(groups) < 1 or any(len(g) < 2 for g in groups):
        parser.error("give NAME BINARY [ARGS], separated by --")
    names = [g[0] for g in groups]
    results = [[] for _ in groups]
    launch(groups[0][1:])  # warm the caches
    load_before = os.getloadavg()[0]
    for round_ in range(args.runs):
        order = range(len(groups)) if round_ % 2 == 0 else reversed(range(len(groups)))
        for i in order:
            results[i].append(launch(groups[i][1:]))
    load_after = os.getloadavg()[0]
    print(f"{args.runs} rounds, alternating; load average {load_before:.1f} before, {load_after:.1f} after")
    for name, runs in zip(names, results):
        cells = []
        for key in ("first frame", "map", "peak MiB"):
            values = [r[key] for r in runs if r[key] == r[key]]
            if values:
                unit = " MiB" if key == "peak MiB" else " ms"
                cells.append(f"{key} median {statistics.median(values):.0f}{unit}"
                             f" ({min(values):.0f} to {max(values):.0f})")
        print(f"  {name}: " + "; ".join(cells))


if __name__ == "__main__":
    main()
