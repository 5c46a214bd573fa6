"""A whole market for marketmap: two CRM instances (Salesforce and HubSpot) of the
same companies with the noise real exports have (generate_multicrm.py), plus
industry, type, owner, last activity and custom columns (Segment, Tech Stack),
contacts in both CRMs (some people in both, for the contact waterfall),
Salesforce opportunities whose outcomes follow the fit (so tiers predict wins),
and a few bad rows. Deterministic for a seed.

    python3 generate_market.py COMPANIES OUT_DIR [SEED]

Writes salesforce_accounts.csv, hubspot_accounts.csv, salesforce_contacts.csv,
hubspot_contacts.csv, salesforce_opportunities.csv and truth.csv.
"""
import csv
import datetime
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_multicrm import generate  # noqa: E402

INDUSTRIES = ["Software", "SaaS", "Financial Services", "Manufacturing", "Retail", "Healthcare", "Logistics"]
STACKS = ["Salesforce, Slack", "HubSpot, Zendesk", "Salesforce, Outreach", "Pipedrive", "Microsoft Dynamics", ""]
REPS = {"US": ["005NA1", "005NA2", "005NA3"], "CA": ["005NA1", "005NA2", "005NA3"], "GB": ["005EU1", "005EU2"],
        "DE": ["005EU1", "005EU2", "005EU3"], "FR": ["005EU3"], "AU": ["005AP1"]}
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Mei", "Nora",
         "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Victor", "Wen", "Yara", "Zoe"]
LAST = ["Nguyen", "Schmidt", "Garcia", "Okafor", "Rossi", "Kowalski", "Dubois", "Tanaka", "Silva", "Jensen", "Murphy",
        "Haddad", "Novak", "Larsen", "Moreau", "Ivanova", "Khan", "Fischer", "Costa", "Berg"]
TITLES = [("VP Sales", 6), ("Chief Revenue Officer", 3), ("Head of Sales", 5), ("Sales Director", 8), ("RevOps Manager", 6),
          ("Head of Revenue Operations", 3), ("Marketing Manager", 8), ("VP Marketing", 3), ("Account Executive", 10),
          ("Customer Success Manager", 6), ("Software Engineer", 8), ("CFO", 2), ("Sales Intern", 2), ("Office Assistant", 2)]
TODAY = datetime.date(2026, 11, 1)


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 2026
    entities, rows, truth = generate(count, seed)
    rng = random.Random(seed + 1)
    profile = {}
    known = {entity["id"] for entity in entities}
    # Franchise branches exist only as rows: they are companies too.
    entities = entities + [r["entity"] for rs in rows.values() for r in rs if r["entity"]["id"] not in known]
    for entity in entities:
        employees = int(min(50_000, max(3, rng.lognormvariate(5.0, 1.6))))
        industry = rng.choice(INDUSTRIES)
        kind = "Partner" if rng.random() < 0.04 else "Customer" if rng.random() < 0.12 else "Prospect"
        fit = (industry in ("Software", "SaaS", "Financial Services")) + (employees >= 200) + (employees >= 1000)
        reps = REPS[entity["country"]]
        profile[entity["id"]] = {
            "employees": employees, "industry": industry, "type": kind, "fit": fit,
            "owner": rng.choice(reps) if rng.random() < 0.7 else "",
            "last": (TODAY - datetime.timedelta(days=int(rng.expovariate(1 / 200)))).isoformat(),
            "segment": "Enterprise" if employees >= 1000 else "Mid-Market" if employees >= 200 else "SMB",
            "stack": rng.choice(STACKS), "people": [],
        }
        for _ in range(rng.choice([0, 1, 2, 3, 4, 5, 6] if fit >= 2 else [0, 0, 1, 2, 3])):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            title = rng.choices([t for t, _ in TITLES], weights=[w for _, w in TITLES])[0]
            start = TODAY - datetime.timedelta(days=rng.randint(20, 2500))
            domain = entity["domain"]
            profile[entity["id"]]["people"].append({
                "first": first, "last": last, "title": title, "start": start.isoformat(),
                "email": f"{first}.{last}@{domain}".lower() if rng.random() < 0.85 else "",
                "linkedin": f"https://www.linkedin.com/in/{first}-{last}-{rng.randint(100, 99999)}".lower() if rng.random() < 0.6 else "",
            })
    os.makedirs(out, exist_ok=True)

    def employees_text(n, source):
        return f"{n:,}" if source == "sfdc" and rng.random() < 0.3 else str(n)

    with open(os.path.join(out, "salesforce_accounts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        # The custom fields marketmap pushes back exist in the CRM (a fifth already filled by an earlier pass).
        w.writerow(["Account ID", "Account Name", "Website", "Industry", "Employees", "Billing Country", "Type",
                    "Account Owner", "Last Activity", "Prevent Override", "Segment", "Tech Stack",
                    "Account_Tier__c", "Account_Valuation__c", "ICP_Fit_Score__c"])
        for r in rows["sfdc"]:
            p = profile[r["entity"]["id"]]
            old = rng.random() < 0.2
            w.writerow([r["id"], r["name"], r["site"], p["industry"] if rng.random() < 0.9 else "", employees_text(p["employees"], "sfdc"),
                        r["country"], p["type"], p["owner"], p["last"], r["prevent"], p["segment"], p["stack"],
                        rng.choice(["Tier 1", "Tier 2", "Tier 3"]) if old else "", str(rng.randint(1, 40) * 5000) if old else "",
                        str(rng.randint(0, 100)) if old else ""])
        w.writerow(["001BAD0000001", "", "", "Software", "12", "US", "Prospect", "", "", "", "", "", "", "", ""])  # no name, no domain
        w.writerow(["001BAD0000002", "Broken Count Inc", "brokencount.com", "Retail", "lots", "US", "", "", "", "", "", "", "", "", ""])
    with open(os.path.join(out, "hubspot_accounts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Record ID", "Company name", "Website URL", "Industry", "Number of Employees", "Country/Region", "Type",
                    "Company owner", "Last Activity Date", "Segment", "Tech Stack", "account_tier", "account_valuation"])
        for r in rows["hubspot"]:
            p = profile[r["entity"]["id"]]
            old = rng.random() < 0.2
            w.writerow([r["id"], r["name"], r["site"], p["industry"].upper() if rng.random() < 0.2 else p["industry"],
                        p["employees"], r["country"], p["type"].upper(), p["owner"], p["last"], p["segment"], p["stack"],
                        rng.choice(["tier_1", "tier_2", "tier_3"]) if old else "", str(rng.randint(1, 40) * 5000) if old else ""])
        w.writerow(["9BAD", "Last Activity Broken", "lastactivity.io", "", "40", "US", "", "", "yesterday-ish", "", "", "", ""])

    sf_contacts, hs_contacts, deals = [], [], []
    sf_of, hs_of = {}, {}
    for r in rows["sfdc"]:
        sf_of.setdefault(r["entity"]["id"], r["id"])
    for r in rows["hubspot"]:
        hs_of.setdefault(r["entity"]["id"], r["id"])
    for entity in entities:
        p = profile[entity["id"]]
        for i, person in enumerate(p["people"]):
            where = [s for s, table in (("sfdc", sf_of), ("hubspot", hs_of)) if entity["id"] in table]
            if not where:
                continue
            targets = where if len(where) == 2 and rng.random() < 0.4 else [rng.choice(where)]
            for source in targets:
                if source == "sfdc":
                    sf_contacts.append([f"003{len(sf_contacts):09d}", sf_of[entity["id"]], person["first"], person["last"], person["email"],
                                        person["title"] if rng.random() < 0.9 else "", person["linkedin"], entity["country"], person["start"],
                                        "", ""])
                else:
                    hs_contacts.append([f"7{len(hs_contacts):09d}", hs_of[entity["id"]], person["first"], person["last"],
                                        person["email"].upper() if rng.random() < 0.2 else person["email"], person["title"],
                                        person["linkedin"], entity["country"], person["start"], ""])
        if entity["id"] in sf_of and (p["type"] == "Customer" or rng.random() < 0.25):
            value = {0: 12_000, 1: 30_000, 2: 80_000, 3: 200_000}[p["fit"]] * rng.uniform(0.6, 1.5)
            for _ in range(rng.randint(1, 3)):
                closed = rng.random() < 0.8
                won = closed and rng.random() < 0.15 + 0.2 * p["fit"]
                stage = "Closed Won" if won else "Closed Lost" if closed else rng.choice(["Discovery", "Proposal", "Negotiation"])
                close = TODAY - datetime.timedelta(days=rng.randint(0, 700))
                deals.append([f"006{len(deals):09d}", sf_of[entity["id"]], f"{entity['base']} — deal {len(deals)}",
                              round(value, -2), stage, close.isoformat(), "true" if won else "false", "true" if closed else "false"])
    with open(os.path.join(out, "salesforce_contacts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Contact ID", "Account ID", "First Name", "Last Name", "Email", "Title", "LinkedIn URL", "Mailing Country",
                    "Start Date in Role", "Persona_Tier__c", "Priority__c"])
        w.writerows(sf_contacts)
        w.writerow(["003BAD", "", "No", "Account", "no.account@x.com", "VP Sales", "", "US", "", "", ""])
    with open(os.path.join(out, "hubspot_contacts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Record ID", "Associated Company ID", "First Name", "Last Name", "Email", "Job Title", "LinkedIn URL", "Country/Region",
                    "Start Date in Role", "persona_tier"])
        w.writerows(hs_contacts)
    with open(os.path.join(out, "salesforce_opportunities.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Opportunity ID", "Account ID", "Opportunity Name", "Amount", "Stage", "Close Date", "Won", "Closed"])
        w.writerows(deals)
    with open(os.path.join(out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "source_id", "entity"])
        w.writerows(truth)
    print(f"{len(rows['sfdc'])} + {len(rows['hubspot'])} accounts, {len(sf_contacts)} + {len(hs_contacts)} contacts, "
          f"{len(deals)} opportunities, {len(entities)} companies")


if __name__ == "__main__":
    main()
