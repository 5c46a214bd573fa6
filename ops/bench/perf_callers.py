"""The functions holding the most samples of a `perf script` dump, callees included,
for the marketmap worker threads and for PostgreSQL (ops/bench/profile-stages).

  python3 perf_callers.py STAGE.script [TOP=25]

A sample counts once for every distinct function on its stack, so a function's share
is the time spent in it or in what it calls; shares are of all samples of the process
kind. Frames on nearly every stack (threads, the job loop: 80 % or more) are left out;
Swift names are demangled with `swift demangle --simplified` where it is on PATH.
"""
import collections
import re
import shutil
import subprocess
import sys


def demangled(names):
    if not names or shutil.which("swift") is None:
        return names
    result = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names), capture_output=True, text=True)
    lines = result.stdout.split("\n")
    return lines[:len(names)] if result.returncode == 0 and len(lines) >= len(names) else names


def stacks(path):
    """(process name, [function, ...] leaf first) of every sample."""
    for block in open(path, errors="replace").read().split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if len(lines) < 2:
            continue
        process = lines[0].split(" ", 1)[0]
        yield process, [re.sub(r"\+0x[0-9a-f]+ \(.*$", "", line.split(" ", 1)[-1]) for line in lines[1:]]


def main():
    path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
    counts = {"marketmap": collections.Counter(), "postgres": collections.Counter()}
    totals = collections.Counter()
    for process, frames in stacks(path):
        # The workers' job threads are named by Swift concurrency / Dispatch (`oot.default-qos`).
        kind = "postgres" if process == "postgres" else "marketmap" if "qos" in process or process == "marketmap" else None
        if kind is None:
            continue
        totals[kind] += 1
        for function in set(frames):
            counts[kind][function] += 1
    for kind in ("marketmap", "postgres"):
        print(f"{kind}: {totals[kind]} samples; inclusive share of the top functions")
        shown = [(f, c) for f, c in counts[kind].most_common() if c < 0.8 * totals[kind]][:top]
        for (function, count), name in zip(shown, demangled([f for f, _ in shown])):
            print(f"  {100 * count / max(1, totals[kind]):5.1f}%  {name[:160]}")


if __name__ == "__main__":
    main()
