#!/usr/bin/env python3
"""Provider datasets for a market's account exports (the sample and the benchmarks).

usage: generate_provider_data.py OUT_DIR SEED ACCOUNTS.csv [ACCOUNTS.csv ...]

Writes, for the domains found in the exports' website columns:
  provider_data.csv           what the provider simulator answers (about 85 % of
                              domains): industry, employees, annual_revenue,
                              technologies ("a; b" lists become JSON arrays)
  purchased_firmographics.csv a purchased dataset for a table provider (about
                              40 % of domains): site, headcount, revenue
Values a CRM already has are kept, so enrichment agrees with the CRMs.
"""
import csv
import random
import re
import sys

INDUSTRIES = ["Software", "SaaS", "Financial Services", "Retail", "Manufacturing", "Healthcare", "Logistics", "Media"]
TECH = ["Salesforce", "HubSpot", "Slack", "Outreach", "Snowflake", "Marketo", "Zendesk", "Gong"]
WEBSITE = ("Website", "Website URL", "website", "domain")
INDUSTRY = ("Industry", "industry")
EMPLOYEES = ("Employees", "Number of Employees", "employees")


def domain(value):
    host = re.sub(r"^[a-z+.-]+://", "", value.strip().lower())
    host = re.split(r"[/?#]", host)[0]
    return host[4:] if host.startswith("www.") else host


def first(row, names):
    for name in names:
        if row.get(name, "").strip():
            return row[name].strip()
    return ""


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, seed, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    rng = random.Random(seed)
    known = {}
    for path in files:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                d = domain(first(row, WEBSITE))
                if not d or "." not in d:
                    continue
                entry = known.setdefault(d, {})
                entry.setdefault("industry", first(row, INDUSTRY))
                entry.setdefault("employees", first(row, EMPLOYEES))
                if not entry["industry"]:
                    entry["industry"] = first(row, INDUSTRY)
                if not entry["employees"]:
                    entry["employees"] = first(row, EMPLOYEES)
    with open(f"{out}/provider_data.csv", "w", newline="") as api, open(f"{out}/purchased_firmographics.csv", "w", newline="") as bought:
        api_writer, bought_writer = csv.writer(api), csv.writer(bought)
        api_writer.writerow(["domain", "industry", "employees", "annual_revenue", "technologies"])
        bought_writer.writerow(["site", "headcount", "revenue"])
        for d in sorted(known):
            entry = known[d]
            employees = entry["employees"] if entry["employees"].isdigit() else str(rng.choice([12, 45, 120, 380, 900, 2400, 8000]))
            industry = entry["industry"] or rng.choice(INDUSTRIES)
            revenue = int(employees) * rng.choice([90_000, 150_000, 210_000])
            if rng.random() < 0.85:
                api_writer.writerow([d, industry, employees, revenue, "; ".join(sorted(rng.sample(TECH, rng.randint(1, 4))))])
            if rng.random() < 0.4:
                bought_writer.writerow([f"https://www.{d}/", employees, revenue])


if __name__ == "__main__":
    main()
