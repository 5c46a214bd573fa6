"""Writes N Salesforce-style account rows with the noise real exports have
(URL variants, legal suffixes, country spellings, thousands separators).
Deterministic for a given seed. Used by ops/bench/import and ops/bench/pipeline.

    python3 generate_accounts.py N OUT.csv [SEED]
"""
import csv
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
syllables = ["ac", "me", "glo", "bex", "ini", "tech", "umb", "rel", "la", "vand", "ray", "sta", "rk", "wa", "yne", "cy", "ber", "dyne",
             "tyr", "ell", "hoo", "li", "nova", "zen", "quin", "tera", "lum", "vex", "ori", "pax"]
suffixes = ["Inc.", "Inc", "LLC", "Ltd", "GmbH", "Corp.", "Corporation", "S.A.", "B.V.", "", "", "", "Co."]
tlds = ["com", "com", "com", "io", "co.uk", "de", "fr", "com.au", "net"]
countries = [("United States", "CA"), ("USA", "Calif."), ("US", "NY"), ("U.S.", "Texas"), ("United Kingdom", ""), ("UK", ""),
             ("Germany", ""), ("Deutschland", ""), ("France", ""), ("Canada", "Ontario"), ("Australia", "")]
industries = ["Software", "Manufacturing", "Retail", "Financial Services", "Healthcare", "Education", ""]
with open(out, "w", newline="", encoding="utf-8") as handle:
    writer = csv.writer(handle)
    writer.writerow(["Account ID", "Account Name", "Website", "Industry", "Employees", "Annual Revenue", "Billing Country",
                     "Billing State/Province", "Account Owner", "Type", "Last Activity", "ICP Segment"])
    for i in range(n):
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        name = f"{word.capitalize()} {rng.choice(['Systems', 'Labs', 'Group', 'Works', 'Partners', ''])} {rng.choice(suffixes)}".strip()
        domain = f"{word}{i}.{rng.choice(tlds)}"
        website = rng.choice([f"https://www.{domain}/", f"http://{domain}", domain, f"www.{domain}", f"https://{domain}/about?x=1", ""])
        country, state = rng.choice(countries)
        employees = rng.choice([f"{rng.randint(1, 50000):,}", str(rng.randint(1, 50000)), ""])
        revenue = rng.choice([f"${rng.randint(1, 900)}M", str(rng.randint(10000, 900000000)), ""])
        writer.writerow([f"001{i:012d}", name, website, rng.choice(industries), employees, revenue, country, state,
                         f"005{rng.randint(1, 200):06d}", rng.choice(["Customer", "Prospect", "Partner"]),
                         f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", rng.choice(["SMB", "Mid-Market", "Enterprise"])])
