#!/usr/bin/env python3
"""Import fuzzer: mutates real-looking CRM exports and imports each one.

Usage: fuzz_import.py BIN SECONDS WORKDIR [--seed N]

Seeds are slices of the bundled sample's Salesforce and HubSpot exports
(accounts, contacts, opportunities) and a generic export. Each file gets one to
four mutations: bytes flipped, inserted and deleted; NUL bytes, quotes, CR and
LF; invalid UTF-8; huge cells (up to past the 1 MiB cell limit) and huge lines;
repeated header rows (with a BOM or not); duplicated rows; a misspelt header;
another delimiter or encoding (UTF-16LE/BE with or without a BOM,
Windows-1252); truncation. Each file is imported with `marketmap import --json`
into a fresh source (DATABASE_URL names the database), and a finding is:

- a crash, a signal death or a hang (60 s per import);
- a non-zero exit without a clear message (no `Error:` line, or a Swift crash
  trace, `Fatal error`, or an internal SQL error such as "index row size");
- a report whose counts do not add up (read = new + changed + unchanged +
  rejected, loaded = new + changed), or a re-import of the same file that
  changes rows (every fifth file is imported twice).

Each finding is a folder under WORKDIR/findings with the input file, the
command line, its output and what was wrong. Stdlib only.
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "ops", "sample")
SEEDS = [
    ("salesforce", "accounts", "salesforce_accounts.csv"),
    ("hubspot", "accounts", "hubspot_accounts.csv"),
    ("salesforce", "contacts", "salesforce_contacts.csv"),
    ("hubspot", "contacts", "hubspot_contacts.csv"),
    ("salesforce", "opportunities", "salesforce_opportunities.csv"),
]
GENERIC = b"company,domain,country,employee_count,revenue,owner\n" + b"".join(
    b"Company %d,company%d.com,%s,%d,%d,rep%d\n" % (i, i % 37, [b"US", b"DE", b"FR", b"GB"][i % 4], i * 3, i * 1000, i % 5)
    for i in range(200))
TIMEOUT = 60
INTERNAL = re.compile(
    r"Fatal error|Stack dump|Current stack trace|backtrace|Segmentation fault|Illegal instruction|"
    r"ERROR [0-9A-Z]{5}:|index row size|invalid byte sequence|internal error", re.IGNORECASE)


def load_seeds():
    seeds = []
    for fmt, kind, name in SEEDS:
        with open(os.path.join(SAMPLE, name), "rb") as handle:
            lines = handle.read().split(b"\n")
        seeds.append((fmt, kind, lines[0], [line for line in lines[1:] if line]))
    lines = GENERIC.split(b"\n")
    seeds.append(("generic", "accounts", lines[0], [line for line in lines[1:] if line]))
    return seeds


def noise(rng, size):
    letters = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
    return bytes(rng.choice(letters) for _ in range(min(size, 4096))) * (size // 4096 + 1)


# Mutations work on the whole file's bytes (after the seed slice was joined).

def flip(rng, data, header):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def insert_bytes(rng, data, header):
    at = rng.randrange(len(data) + 1)
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + data[at:]


def delete_bytes(rng, data, header):
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 64):]


def special(rng, data, header):
    pieces = [b"\x00", b'"', b'""', b"\r", b"\n", b"\r\n", b",", b";", b"\t", b"\xef\xbb\xbf"]
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.choice(pieces) + data[at:]
    return data


def nul_in_header(rng, data, header):
    at = rng.randrange(len(header) + 1)
    return data[:at] + b"\x00" + data[at:]


def invalid_utf8(rng, data, header):
    pieces = [b"\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe9", b"\x80\x80"]
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.choice(pieces) + data[at:]
    return data


def huge_cell(rng, data, header):
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    index = rng.randrange(1, len(lines))
    cells = lines[index].split(b",")
    column = rng.randrange(len(cells))
    size = rng.choice([3000, 8200, 70_000, 600_000, 1_100_000])
    cell = noise(rng, size)[:size]
    cells[column] = (b'"' + cell.replace(b'"', b'""') + b'"') if rng.random() < 0.3 else cell.replace(b",", b" ")
    lines[index] = b",".join(cells)
    return b"\n".join(lines)


def huge_line(rng, data, header):
    cells = rng.choice([10_000, 200_000, 700_000])
    line = b",".join(b"x%d" % i for i in range(cells))
    lines = data.split(b"\n")
    lines.insert(rng.randrange(1, len(lines) + 1), line)
    return b"\n".join(lines)


def repeated_header(rng, data, header):
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        lines.insert(rng.randrange(1, len(lines) + 1), (b"\xef\xbb\xbf" if rng.random() < 0.3 else b"") + header)
    return b"\n".join(lines)


def duplicate_rows(rng, data, header):
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    for _ in range(rng.randint(1, 5)):
        lines.insert(rng.randrange(1, len(lines) + 1), lines[rng.randrange(1, len(lines))])
    return b"\n".join(lines)


def misspell_header(rng, data, header):
    if not header:
        return data
    cells = header.split(b",")
    column = rng.randrange(len(cells))
    word = bytearray(cells[column])
    if word:
        del word[rng.randrange(len(word))]
    cells[column] = bytes(word)
    return b",".join(cells) + data[len(header):]


def delimiter(rng, data, header):
    return data.replace(b",", rng.choice([b";", b"\t", b"|"]))


def encoding(rng, data, header):
    text = data.decode("utf-8", errors="replace")
    choice = rng.choice(["utf-16-le", "utf-16-be", "utf-16", "utf-16-be-bom", "cp1252", "utf-8-sig"])
    if choice == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if rng.random() < 0.5:
        text = text.replace("\n", "\r\n")
    return text.encode(choice, errors="replace")


def truncate(rng, data, header):
    return data[:rng.randrange(len(data) + 1)]


def empty(rng, data, header):
    return rng.choice([b"", b"\n\n", header, header + b"\n", b"\xef\xbb\xbf", b"\xff\xfe"])


MUTATIONS = [
    (flip, 6), (insert_bytes, 4), (delete_bytes, 4), (special, 6), (nul_in_header, 1), (invalid_utf8, 4),
    (huge_cell, 3), (huge_line, 1), (repeated_header, 3), (duplicate_rows, 3), (misspell_header, 2),
    (delimiter, 2), (encoding, 3), (truncate, 3), (empty, 1),
]


def mutate(rng, seeds):
    fmt, kind, header, rows = rng.choice(seeds)
    start = rng.randrange(len(rows))
    body = rows[start:start + rng.choice([1, 5, 20, 100, 400])]
    data = header + b"\n" + b"\n".join(body) + (b"\n" if rng.random() < 0.8 else b"")
    applied = []
    names, weights = zip(*MUTATIONS)
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
        mutation = rng.choices(names, weights)[0]
        data = mutation(rng, data, header)
        applied.append(mutation.__name__)
    if rng.random() < 0.05:
        fmt = rng.choice(["salesforce", "hubspot", "generic"])
    return fmt, kind, data, applied


def run_import(binary, path, source, fmt, kind, extra):
    command = [binary, "import", "--json", "--log-level", "error", "--source", source, "--format", fmt, "--kind", kind] + extra + [path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT)
        return command, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as expired:
        out = (expired.stdout or b"").decode("utf-8", "replace")
        err = (expired.stderr or b"").decode("utf-8", "replace")
        return command, None, out, err


def check(status, out, err):
    """What is wrong with one import's result, or None; and its reports."""
    if status is None:
        return f"hang: no answer within {TIMEOUT} s", None
    if status < 0:
        return f"killed by signal {-status}", None
    if status != 0:
        if INTERNAL.search(err) or INTERNAL.search(out):
            return f"exit {status} with an internal error or crash trace", None
        message = [line for line in err.splitlines() if line.startswith("Error:")]
        if not message or len(message[0]) < 20:
            return f"exit {status} without a clear message", None
        return None, None
    try:
        reports = json.loads(out)
    except ValueError:
        return "exit 0 but the --json report does not parse", None
    for report in reports:
        if report["read"] != report["new"] + report["changed"] + report["unchanged"] + report["rejected"]:
            return "counts do not add up: read != new + changed + unchanged + rejected", reports
        if report["loaded"] != report["new"] + report["changed"]:
            return "counts do not add up: loaded != new + changed", reports
        if any(len(reason) > 400 for reason in report["rejectedByReason"]):
            return "a reject reason longer than 400 characters", reports
    return None, reports


def self_test():
    """The checks must be able to fail: each kind of bad result is a finding, a good one is not."""
    good = json.dumps([{"read": 3, "new": 1, "changed": 0, "unchanged": 1, "rejected": 1, "loaded": 1, "rejectedByReason": {"x": 1}}])
    bad_sum = good.replace('"read": 3', '"read": 4')
    cases = [
        ((None, "", ""), True), ((-11, "", ""), True),
        ((1, "", "Fatal error: Unexpectedly found nil\nCurrent stack trace:"), True),
        ((1, "", "Error: ERROR 54000: index row size 8016 exceeds btree version 4 maximum 2704"), True),
        ((1, "", ""), True), ((0, "not json", ""), True), ((0, bad_sum, ""), True),
        ((1, "", "Error: f.csv: the file is empty (no header, no rows); nothing was loaded"), False), ((0, good, ""), False),
    ]
    for (status, out, err), finding in cases:
        if (check(status, out, err)[0] is not None) != finding:
            raise SystemExit(f"fuzz-import self-test failed on exit {status}, {out[:40]!r}, {err[:60]!r}")


def record(workdir, number, problem, data, command, status, out, err, applied):
    folder = os.path.join(workdir, "findings", f"{number:05d}")
    os.makedirs(folder, exist_ok=True)
    input_path = os.path.join(folder, "input.csv")
    with open(input_path, "wb") as handle:
        handle.write(data)
    with open(os.path.join(folder, "finding.txt"), "w") as handle:
        handle.write(f"problem: {problem}\nmutations: {', '.join(applied)}\nexit: {status}\n")
        handle.write("command: " + " ".join(command[:-1] + [input_path]) + "\n")
        handle.write("--- stdout\n" + out[-20000:] + "\n--- stderr\n" + err[-20000:] + "\n")
    print(f"FINDING {number}: {problem} ({', '.join(applied)}) -> {folder}", flush=True)


def stored_counts(source, kind):
    """Rows stored for `source` and rows rejected for it (psql), or None without psql."""
    if not shutil.which("psql"):
        return None
    table = {"accounts": "source_accounts", "contacts": "source_contacts", "opportunities": "source_opportunities"}[kind]
    done = subprocess.run(["psql", os.environ["DATABASE_URL"], "-qAt", "-v", f"source={source}", "-c",
                           f"SELECT (SELECT count(*) FROM {table} WHERE source = :'source') || ' ' || "
                           f"(SELECT count(*) FROM rejected_rows WHERE source = :'source')"],
                          capture_output=True, timeout=60)
    parts = done.stdout.decode().split()
    return (int(parts[0]), int(parts[1])) if len(parts) == 2 else None


def reset_database():
    """Keeps the database small: every source table emptied (psql, when installed)."""
    if not shutil.which("psql"):
        return
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qAtc",
                    "TRUNCATE import_files, import_raw_rows, rejected_rows, source_accounts, source_contacts, source_opportunities CASCADE"],
                   capture_output=True, timeout=120)


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    binary, seconds, workdir = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    seed = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--seed" else random.SystemRandom().randrange(1 << 32)
    self_test()
    rng = random.Random(seed)
    seeds = load_seeds()
    files_dir = os.path.join(workdir, "files")
    os.makedirs(files_dir, exist_ok=True)
    deadline = time.time() + seconds
    imported = findings = ok = failed = rejected_rows = reimported = 0
    refusals = {}
    started = time.time()
    print(f"fuzz-import: seed {seed}, {seconds:.0f} s", flush=True)
    while time.time() < deadline:
        number = imported + 1
        fmt, kind, data, applied = mutate(rng, seeds)
        extra = []
        if rng.random() < 0.2:
            extra.append("--derived-ids")
        if rng.random() < 0.1:  # options that may not fit the file
            extra += rng.choice([["--delimiter", ";"], ["--delimiter", "tab"], ["--delimiter", ","], ["--encoding", "utf-16le"],
                                 ["--encoding", "utf-16be"], ["--encoding", "latin-1"], ["--encoding", "utf-8"]])
        path = os.path.join(files_dir, f"{number:05d}.csv")
        with open(path, "wb") as handle:
            handle.write(data)
        source = f"fz-{number}"
        command, status, out, err = run_import(binary, path, source, fmt, kind, extra)
        imported += 1
        problem, reports = check(status, out, err)
        if problem is None and reports is not None and number % 10 == 0:
            # The report is what the database holds: a fresh source has `new` rows and `rejected` rejects.
            stored = stored_counts(source, kind)
            if stored is not None and stored != (reports[0]["new"], reports[0]["rejected"]):
                problem = f"the database holds {stored[0]} rows and {stored[1]} rejects, the report says new {reports[0]['new']}, rejected {reports[0]['rejected']}"
        if problem is None and reports is not None and number % 5 == 0:
            # Re-importing the same file changes nothing.
            command, status, out, err = run_import(binary, path, source, fmt, kind, extra)
            reimported += 1
            problem, again = check(status, out, err)
            if problem is None and again is not None:
                if any(r["new"] or r["changed"] for r in again):
                    problem = "re-importing the same file changed rows"
                elif [r["rejected"] for r in again] != [r["rejected"] for r in reports]:
                    problem = "re-importing the same file rejected a different number of rows"
        if problem:
            findings += 1
            record(workdir, number, problem, data, command, status, out, err, applied)
        elif reports is None:
            failed += 1
            message = next((line for line in err.splitlines() if line.startswith("Error:")), "")
            key = re.sub(r"\S*/files/\d+\.csv", "FILE", message)
            key = re.sub(r'"[^"]*"', '"…"', key)[:110]
            refusals[key] = refusals.get(key, 0) + 1
        else:
            ok += 1
            rejected_rows += sum(r["rejected"] for r in reports)
        os.remove(path)
        if number % 200 == 0:
            reset_database()
            print(f"  {number} files, {findings} findings, {time.time() - started:.0f} s", flush=True)
    elapsed = time.time() - started
    print(f"fuzz-import: {imported} files imported in {elapsed:.0f} s (seed {seed}): {ok} loaded "
          f"({rejected_rows} rows rejected with line and reason), {failed} refused up front with a message, "
          f"{reimported} imported twice; {findings} findings", flush=True)
    for message, count in sorted(refusals.items(), key=lambda item: -item[1])[:10]:
        print(f"  refused {count}: {message}", flush=True)
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
