#!/usr/bin/env python3
"""A people set for the provider simulator's people searches (the sample and the benchmarks).

usage: generate_people_data.py OUT.csv SEED ACCOUNTS.csv [ACCOUNTS.csv ...] [--contacts CONTACTS.csv ...]

For the domains found in the account exports' website columns, of accounts with
at least 200 employees (those a tier plan asks about), writes 2 to 5 people:
a spread of the persona rubric's titles (VP Sales, Chief Revenue Officer, Sales
Director, RevOps Manager, ...), some negative ones (interns, assistants) and
some off-persona ones (engineers). Where the CRM exports given with
--contacts hold people at the domain, some of them come back as the CRM has
them (the same email) and some with another email but the same LinkedIn URL,
so the contact waterfall has someone to link. One email in ten fails
verification (`email_status`).
"""
import csv
import random
import sys

from generate_provider_data import EMPLOYEES, WEBSITE, domain, first

FIRST = ["Ava", "Ben", "Chloe", "Dev", "Elena", "Felix", "Grace", "Hiro", "Ines", "Jonas", "Kira", "Liam", "Maya", "Nico", "Omar",
         "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wes", "Yara", "Zoe"]
LAST = ["Adams", "Brooks", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jansen", "Khan", "Lopez", "Moreau",
        "Novak", "Okafor", "Park", "Rossi", "Silva", "Tanaka", "Ulrich", "Vargas", "Weber", "Young", "Zhang"]
TITLES = [("VP Sales", 3), ("Chief Revenue Officer", 2), ("Head of Revenue Operations", 2), ("SVP Sales", 1), ("Head of Sales", 2),
          ("Sales Director", 3), ("RevOps Manager", 2), ("VP Marketing", 2), ("Account Executive", 3), ("Marketing Manager", 2),
          ("Sales Intern", 1), ("Executive Assistant", 1), ("Software Engineer", 2)]
COUNTRY = ("Billing Country", "Country/Region", "country")


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        sys.exit(__doc__)
    out, seed = args[0], int(args[1])
    accounts, contacts = [], []
    target = accounts
    for arg in args[2:]:
        if arg == "--contacts":
            target = contacts
        else:
            target.append(arg)
    rng = random.Random(seed)
    countries = {}
    for path in accounts:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                d = domain(first(row, WEBSITE))
                employees = first(row, EMPLOYEES)
                if d and "." in d and employees.isdigit() and int(employees) >= 200:
                    countries.setdefault(d, first(row, COUNTRY))
    known = {}
    for path in contacts:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                email = row.get("Email", "").strip().lower()
                if "@" in email:
                    known.setdefault(email.split("@")[1], []).append(row)
    rows = []
    titles = [title for title, weight in TITLES for _ in range(weight)]
    for d in sorted(countries):
        people = []
        for crm in known.get(d, [])[:2]:
            draw = rng.random()
            title = crm.get("Title") or crm.get("Job Title") or ""
            name = (crm.get("First Name", ""), crm.get("Last Name", ""))
            if draw < 0.3:
                people.append((name, title, crm["Email"].strip().lower(), crm.get("LinkedIn URL", "")))
            elif draw < 0.45:
                slug = f"{name[0]}-{name[1]}-{rng.randint(1000, 9999)}".lower()
                people.append((name, title, f"{name[0]}.{name[1]}@alumni-mail.example".lower(), crm.get("LinkedIn URL") or f"https://www.linkedin.com/in/{slug}"))
        for _ in range(rng.randint(2, 5) - len(people)):
            name = (rng.choice(FIRST), rng.choice(LAST))
            slug = f"{name[0]}-{name[1]}-{rng.randint(1000, 9999)}".lower()
            linkedin = f"https://www.linkedin.com/in/{slug}" if rng.random() < 0.7 else ""
            people.append((name, rng.choice(titles), f"{name[0]}.{name[1]}@{d}".lower(), linkedin))
        for (first_name, last_name), title, email, linkedin in people:
            started = f"{rng.randint(2021, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            status = "invalid" if rng.random() < 0.1 else "valid"
            rows.append([d, first_name, last_name, title, email, linkedin, countries[d], started, status])
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["domain", "first_name", "last_name", "title", "email", "linkedin", "country", "started_at", "email_status"])
        writer.writerows(rows)
    print(f"{len(rows)} people at {len(countries)} domains")


if __name__ == "__main__":
    main()
