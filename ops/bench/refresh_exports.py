"""Turns last night's account exports into tonight's: SHARE of the rows
change (ops/bench/nightly). Of those, 80 % are edited (employees grow by a
half plus ten, which moves some tiers), 10 % are removed from the export and 10 %
are new companies (a copy of a row with a new id, name and domain). Other rows
keep their bytes exactly. Writes each file in place (a new modification time,
so the manifest's run is a new one) and prints what it did.

    python3 refresh_exports.py SHARE SEED FILE...
"""
import csv
import random
import sys

share, seed, files = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
rng = random.Random(seed)
for path in files:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    employees = next(i for i, name in enumerate(header) if name in ("Employees", "Number of Employees"))
    website = next(i for i, name in enumerate(header) if name in ("Website", "Website URL"))
    name = 1
    picked = rng.sample(range(len(body)), int(len(body) * share))
    edited, removed, added = picked[: len(picked) * 8 // 10], set(picked[len(picked) * 8 // 10: len(picked) * 9 // 10]), picked[len(picked) * 9 // 10:]
    for index in edited:
        row = body[index]
        try:
            value = float(row[employees].replace(",", "").split("-")[0] or 0)
        except ValueError:
            value = 0
        row[employees] = str(int(value * 1.5) + 10)
    new_rows = []
    for n, index in enumerate(added):
        row = list(body[index])
        row[0] = f"N{seed}{n:08d}"
        row[name] = f"Newco {seed} {n}"
        row[website] = f"newco-{seed}-{n}.example"
        new_rows.append(row)
    kept = [row for i, row in enumerate(body) if i not in removed] + new_rows
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)  # as generate_market.py writes: untouched rows keep their bytes
        writer.writerow(header)
        writer.writerows(kept)
    print(f"  {path.rsplit('/', 1)[-1]}: {len(body):,} rows; {len(edited):,} edited, {len(removed):,} removed, {len(added):,} new")
