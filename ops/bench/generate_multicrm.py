"""Messy multi-CRM account data with ground truth, for ops/bench/dedupe.

Writes OUT/salesforce.csv, OUT/hubspot.csv and OUT/truth.csv (source, source_id,
entity). About a third of the companies are in both CRMs. Noise: URL variants
and subdomains, legal suffixes, case and punctuation, missing domains, name typos,
country spellings, same-name companies in different countries, franchise
branches sharing the corporate domain (flagged Prevent Override), free-mail
websites. Deterministic for a seed.

    python3 generate_multicrm.py COMPANIES OUT_DIR [SEED]

`generate(count, seed)` is also what ops/bench/generate_market.py builds on.
"""
import csv
import os
import random
import sys

rng = random.Random(11)

syllables = ["ac", "me", "glo", "bex", "ini", "tech", "umb", "rel", "la", "vand", "ray", "sta", "rk", "wa", "yne", "cy",
             "ber", "dyne", "tyr", "ell", "hoo", "li", "nova", "zen", "quin", "tera", "lum", "vex", "ori", "pax", "mo",
             "sol", "kin", "dra", "fen", "gar", "hel", "jor", "kal", "mir", "nor", "pel", "rho", "sen", "tal", "ur"]
words = ["Systems", "Labs", "Group", "Works", "Partners", "Dynamics", "Analytics", "Logistics", "Health", "Foods"]
suffixes = ["Inc.", "Inc", "LLC", "Ltd", "Limited", "GmbH", "Corp.", "Corporation", "S.A.", "B.V.", "Co.", "", "", ""]
tlds = ["com", "com", "com", "io", "co.uk", "de", "fr", "com.au", "net", "ca"]
countries = {
    "US": ["United States", "USA", "U.S.", "US", "united states of america"],
    "GB": ["United Kingdom", "UK", "England", "GB"],
    "DE": ["Germany", "Deutschland", "DE"],
    "FR": ["France", "FR"],
    "CA": ["Canada", "CA", "CAN"],
    "AU": ["Australia", "AU"],
}
freemail = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"]


def typo(text):
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 1)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if op == "drop":
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]


def website(domain):
    return rng.choice([f"https://www.{domain}/", f"http://{domain}", domain, f"www.{domain}", f"https://{domain}/about",
                       f"https://{rng.choice(['us', 'eu', 'shop', 'app'])}.{domain}", domain.upper()])


def variant(base, noisy):
    name = base
    if noisy and rng.random() < 0.15:
        name = typo(name)
    name = f"{name} {rng.choice(suffixes)}".strip()
    return rng.choice([name, name.upper(), name.lower(), name.replace(" ", "  ")]) if noisy else name


def generate(count, seed=11):
    """Entities, rows per CRM ({"sfdc": [...], "hubspot": [...]}, each row with its entity) and truth."""
    rng.seed(seed)
    entities = []
    used_names = set()
    used_domains = set()
    for e in range(count):
        while True:
            stem = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
            base = f"{stem} {rng.choice(words)}" if rng.random() < 0.6 else stem
            if base.lower() not in used_names:
                used_names.add(base.lower())
                break
        # Two companies never share a registrable domain (franchise branches, below, are the exception).
        while True:
            domain = f"{stem.lower()}{rng.choice(['', 'hq', 'group', '', str(rng.randint(2, 99))])}.{rng.choice(tlds)}"
            if domain not in used_domains:
                used_domains.add(domain)
                break
        entities.append({"id": e, "base": base, "domain": domain, "country": rng.choice(list(countries))})

    # Same-name companies in different countries (different entities, no shared domain).
    for _ in range(count // 50):
        twin = dict(rng.choice(entities))
        others = [c for c in countries if c != twin["country"]]
        entities.append({"id": len(entities), "base": twin["base"], "domain": f"{twin['domain'].split('.')[0]}-{others[0].lower()}.{rng.choice(tlds)}",
                         "country": rng.choice(others)})

    rows = {"sfdc": [], "hubspot": []}
    truth = []


    def emit(source, entity, prevent=False, name_override=None, domain_override=None):
        noisy = True
        domain = domain_override or entity["domain"]
        r = rng.random()
        if r < 0.18:
            site = ""                                      # missing domain
        elif r < 0.23:
            site = f"https://{rng.choice(freemail)}"       # free-mail "website"
        else:
            site = website(domain)
        record_id = f"{'001' if source == 'sfdc' else '9'}{len(rows[source]):09d}"
        rows[source].append({
            "id": record_id, "name": name_override or variant(entity["base"], noisy), "site": site,
            "country": rng.choice(countries[entity["country"]]), "prevent": "true" if prevent else "",
            "employees": str(rng.randint(5, 20000)), "entity": entity,
        })
        truth.append((source, record_id, entity["id"]))


    for entity in entities:
        placement = rng.random()
        if placement < 0.34:
            emit("sfdc", entity)
            emit("hubspot", entity)
        elif placement < 0.67:
            emit("sfdc", entity)
        else:
            emit("hubspot", entity)
        if rng.random() < 0.02:   # a duplicate inside one CRM
            emit(rng.choice(["sfdc", "hubspot"]), entity)
        if rng.random() < 0.01:   # franchise branch on the corporate domain: a different entity
            branch = {"id": len(entities) + 10_000_000 + entity["id"], "base": f"{entity['base']} Franchise {rng.choice(['Nord', 'Ost', 'West'])}",
                      "domain": entity["domain"], "country": entity["country"]}
            emit("sfdc", branch, prevent=True, name_override=branch["base"])
    return entities, rows, truth


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    entities, rows, truth = generate(count, int(sys.argv[3]) if len(sys.argv) > 3 else 11)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "salesforce.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Account ID", "Account Name", "Website", "Billing Country", "Employees", "Prevent Override"])
        for r in rows["sfdc"]:
            w.writerow([r["id"], r["name"], r["site"], r["country"], r["employees"], r["prevent"]])
    with open(os.path.join(out, "hubspot.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Record ID", "Company name", "Website URL", "Country/Region", "Number of Employees", "Prevent Override"])
        for r in rows["hubspot"]:
            w.writerow([r["id"], r["name"], r["site"], r["country"], r["employees"], r["prevent"]])
    with open(os.path.join(out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "source_id", "entity"])
        w.writerows(truth)
    print(f"{len(rows['sfdc'])} salesforce + {len(rows['hubspot'])} hubspot records, {len(entities)} companies")


if __name__ == "__main__":
    main()
