"""Samples the resident memory of a `marketmap run`'s processes twice a second, so a
benchmark can say which stage a process's peak belongs to (VmHWM says only how high).

  python3 rss_sampler.py BINARY OUT.csv

Writes `epoch_seconds,role,rss_kb` lines for every process running BINARY (roles:
run, coordinator, reporter, worker-N from `--worker-id run-R-wN`) until it is
terminated. `stage_report.py memory-stages OUT.csv DATABASE_URL` maps the samples
onto the stages' windows (job_timings).
"""
import os
import re
import signal
import sys
import time


def role(cmdline):
    args = cmdline.split("\0")
    if len(args) < 2:
        return None
    if args[1] == "worker":
        for a, b in zip(args, args[1:]):
            if a == "--worker-id":
                match = re.search(r"w(\d+)$", b)
                return f"worker-{match.group(1)}" if match else "worker"
        return "worker"
    return args[1] if args[1] in ("run", "coordinator", "reporter") else None


def sample(binary):
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.path.realpath(f"/proc/{pid}/exe") != binary:
                continue
            with open(f"/proc/{pid}/cmdline") as f:
                name = role(f.read())
            with open(f"/proc/{pid}/status") as f:
                rss = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), None)
        except (OSError, StopIteration, ValueError):
            continue
        if name and rss is not None:
            yield name, rss


def main(binary, out):
    binary = os.path.realpath(binary)
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    with open(out, "w") as f:
        while running[0]:
            now = time.time()
            for name, rss in sample(binary):
                f.write(f"{now:.2f},{name},{rss}\n")
            f.flush()
            time.sleep(0.5)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
