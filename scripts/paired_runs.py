#!/usr/bin/env python3
"""Times commands as whole processes, side by side: each round runs every command once, in turn (the
order alternating from round to round), so that a busy moment of a shared machine falls on all of them
alike. Prints, per command, the median wall time and its range, then the ratio of each command to the
last one: the ratio of the medians and the median of the rounds' ratios. CPU time (user and system) is
printed too: on a busy machine it varies far less than the wall time. Standard library only.

    paired_runs.py [--runs N] [--warmup N] NAME 'COMMAND' NAME 'COMMAND' ...

The commands run through `sh -c`, their output discarded; a command that fails stops the measure.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command):
    """Wall time and CPU time (user and system, of the command and what it ran) of one run."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    done = subprocess.run(
        ["sh", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {command}\n{done.stderr.decode(errors='replace')}")
    return elapsed, cpu_seconds() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("pairs", nargs="+", help="NAME COMMAND, repeated")
    args = parser.parse_args()
    if len(args.pairs) % 2 or len(args.pairs) < 4:
        parser.error("give at least two NAME COMMAND pairs")
    names, commands = args.pairs[0::2], args.pairs[1::2]
    for _ in range(args.warmup):
        for command in commands:
            run(command)
    load_before = os.getloadavg()[0]
    times = [[] for _ in commands]
    cpu = [[] for _ in commands]
    for round_ in range(args.runs):
        order = range(len(commands)) if round_ % 2 == 0 else reversed(range(len(commands)))
        for i in order:
            wall, used = run(commands[i])
            times[i].append(wall)
            cpu[i].append(used)
    load_after = os.getloadavg()[0]
    print(
        f"{args.runs} rounds, each command once a round, alternating; "
        f"load average {load_before:.1f} before, {load_after:.1f} after ({os.cpu_count()} cores)"
    )
    width = max(len(n) for n in names)
    for name, t, c in zip(names, times, cpu):
        q = statistics.quantiles(t, n=4)
        print(
            f"  {name:<{width}}  median {statistics.median(t) * 1000:7.1f} ms"
            f"  (quartiles {q[0] * 1000:.1f} to {q[2] * 1000:.1f}, fastest {min(t) * 1000:.1f},"
            f" slowest {max(t) * 1000:.1f}); CPU median {statistics.median(c) * 1000:.1f} ms"
        )
    base_name, base = names[-1], times[-1]
    for name, t, c in zip(names[:-1], times[:-1], cpu[:-1]):
        ratio_of_medians = statistics.median(t) / statistics.median(base)
        paired = statistics.median(a / b for a, b in zip(t, base))
        print(
            f"  {name} / {base_name}: {ratio_of_medians:.2f} (ratio of the medians),"
            f" {paired:.2f} (median of the rounds' ratios),"
            f" CPU {statistics.median(c) / statistics.median(cpu[-1]):.2f}"
        )


if __name__ == "__main__":
    main()
