"""Per-stage figures of a `marketmap run`, shared by ops/bench/pipeline and ops/bench/nightly.

A stage's figures come from its run's summary.json (`marketmap run` writes it; the
stage's jobs' timings are in the job_timings table, sql/0020):
  wall           first job claimed to last job done (`seconds`)
  work           the stage's jobs' seconds, summed (`workSeconds`)
  critical path  its longest job (`criticalPathSeconds`)
  speed-up ×N    what the work allows with N workers: work ÷ max(critical path, work ÷ N)

  python3 stage_report.py stages SUMMARY.json [DATABASE_URL]     one run's stages
  python3 stage_report.py compare FULL.json REFRESH.json         refresh ÷ full, in all and per stage
  python3 stage_report.py memory RUN.log [WORKERS]               peak RSS of every process
  python3 stage_report.py memory-stages SAMPLES.csv DATABASE_URL  each stage's highest RSS per process
                                                                 (rss_sampler.py's samples in the stages'
                                                                 windows: first claim to last finish)
"""
import json
import re
import subprocess
import sys

WORKERS = (8, 32)


def load(path):
    with open(path) as f:
        return json.load(f)


def speedup(work, critical, workers):
    """What `workers` workers could gain over one: work ÷ max(critical path, work ÷ N)."""
    if work <= 0:
        return 1.0
    return work / max(critical, work / workers)


def figures(stage):
    return (stage.get("seconds") or 0.0, stage.get("workSeconds") or 0.0, stage.get("criticalPathSeconds") or 0.0)


def stage_rows(url):
    """Rows each stage works through, read from the run's database (0 without one)."""
    if not url:
        return {}

    def q(sql):
        return int(subprocess.check_output(["psql", url, "-Atc", sql]).strip() or 0)

    accounts, golden = q("SELECT count(*) FROM source_accounts"), q("SELECT count(*) FROM golden_accounts")
    return {"normalize": q("SELECT coalesce(sum(rows_read), 0) FROM import_files"), "match": accounts,
            **{stage: accounts for stage in ("components", "resolve", "golden", "survive", "contacts", "settle")},
            "enrich": golden, "score": golden, "people": q("SELECT count(DISTINCT golden_id) FROM people_plan")}


def stage_lines(summary, rows):
    header = (f"  {'stage':<10} {'wall s':>8} {'work s':>8} {'crit. s':>8} {'crit/work':>9} {'rows':>11} {'rows/s':>10}"
              + "".join(f" {'×' + str(n) + ' max':>8}" for n in WORKERS))
    lines = [header]
    totals = [0.0, 0.0]
    for stage in summary["stages"]:
        wall, work, critical = figures(stage)
        totals[0] += wall
        totals[1] += work
        n = rows.get(stage["stage"], 0)
        rate = f"{n / wall:,.0f}" if wall and n else "-"
        share = f"{critical / work:.2f}" if work else "-"
        count = f"{n:,}" if rows else "-"
        lines.append(f"  {stage['stage']:<10} {wall:8.2f} {work:8.2f} {critical:8.2f} {share:>9} {count:>11} {rate:>10}"
                     + "".join(f" {speedup(work, critical, w):7.1f}×" for w in WORKERS))
    lines.append(f"  {'all':<10} {totals[0]:8.2f} {totals[1]:8.2f}")
    return lines


def ratio(a, b):
    return f"{b / a:6.3f}" if a else "     -"


def compare_lines(full, refresh):
    lines = [f"  {'stage':<10} {'wall full/refresh s':>22} {'÷':>6} {'work full/refresh s':>22} {'÷':>6}"]
    sums = [0.0, 0.0, 0.0, 0.0]
    by_name = {s["stage"]: s for s in refresh["stages"]}
    for stage in full["stages"]:
        other = by_name.get(stage["stage"], {})
        (fw, fk, _), (rw, rk, _) = figures(stage), figures(other)
        sums = [sums[0] + fw, sums[1] + rw, sums[2] + fk, sums[3] + rk]
        lines.append(f"  {stage['stage']:<10} {fw:10.2f} / {rw:9.2f} {ratio(fw, rw)} {fk:10.2f} / {rk:9.2f} {ratio(fk, rk)}")
    lines.append(f"  {'all stages':<10} {sums[0]:10.2f} / {sums[1]:9.2f} {ratio(sums[0], sums[1])} {sums[2]:10.2f} / {sums[3]:9.2f} {ratio(sums[2], sums[3])}")
    return lines


def memory_lines(log, workers=1):
    """The `peak memory:` line of `marketmap run`, one process a line; says which expected one is missing
    (the run itself, the coordinator, the reporter and each of `workers` workers)."""
    peaks = {}
    for line in open(log):
        if "peak memory:" in line:
            for name, mb in re.findall(r"([\w-]+) (\d+) MB", line.split("peak memory:", 1)[1]):
                peaks[name] = int(mb)
    if not peaks:
        return ["  peak memory: not in the log"]
    lines = [f"  {name:<12} {mb:6,} MB" for name, mb in sorted(peaks.items())]
    expected = ["run", "coordinator", "reporter"] + [f"worker-{i}" for i in range(1, workers + 1)]
    missing = [name for name in expected if name not in peaks]
    if missing:
        lines.append("  missing: " + ", ".join(missing))
    return lines


def stage_windows(url):
    """The latest run's stages: (stage, first claim, last finish) in epoch seconds, in the order they began."""
    sql = ("SELECT stage, extract(epoch FROM min(claimed_at)), extract(epoch FROM max(finished_at)) FROM job_timings "
           "WHERE run_id = (SELECT max(run_id) FROM job_timings) GROUP BY stage ORDER BY 2")
    out = subprocess.check_output(["psql", url, "-AtF,", "-c", sql], text=True)
    return [(name, float(start), float(end)) for name, start, end in (line.split(",") for line in out.splitlines() if line)]


def memory_stage_lines(samples, windows):
    """Per stage, the highest resident memory sampled per role in its window (workers: the highest of any worker)."""
    rows = []
    for line in open(samples):
        at, name, kb = line.strip().split(",")
        rows.append((float(at), "worker" if name.startswith("worker") else name, int(kb)))
    roles = ["worker", "coordinator", "reporter", "run"]
    lines = [f"  {'stage':<10}" + "".join(f" {r + ' MB':>14}" for r in roles)]
    for stage, start, end in windows:
        peak = {}
        for at, name, kb in rows:
            if start <= at <= end:
                peak[name] = max(peak.get(name, 0), kb)
        lines.append(f"  {stage:<10}" + "".join(f" {peak[r] // 1024:>14,}" if r in peak else f" {'-':>14}" for r in roles))
    return lines


def main(argv):
    if len(argv) >= 2 and argv[0] == "stages":
        print("per stage (crit. = critical path, the longest job; ×N max = the speed-up the work allows with N workers):")
        print("\n".join(stage_lines(load(argv[1]), stage_rows(argv[2] if len(argv) > 2 else ""))))
    elif len(argv) == 3 and argv[0] == "compare":
        print("refresh ÷ full, per stage and in all (wall and work):")
        print("\n".join(compare_lines(load(argv[1]), load(argv[2]))))
    elif len(argv) in (2, 3) and argv[0] == "memory":
        print("peak resident memory per process:")
        print("\n".join(memory_lines(argv[1], int(argv[2]) if len(argv) > 2 else 1)))
    elif len(argv) == 3 and argv[0] == "memory-stages":
        print("highest resident memory sampled in each stage (twice a second; workers: the highest worker):")
        print("\n".join(memory_stage_lines(argv[1], stage_windows(argv[2]))))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
