"""Pairwise precision, recall and F1 of a clustering against ground truth.

    python3 dedupe_score.py TRUTH.csv CLUSTERS.csv [CLASSES.csv] [--records RECORDS.csv] [--show N] [--show-missed N]
TRUTH: source,source_id,entity   CLUSTERS: source,source_id,cluster (no header)
CLASSES: entity,class (header; an entity may have several classes)
RECORDS: source,source_id and any of name,website,country_raw,country,domain,name_norm,city (header): what --show prints
Prints JSON. Records missing from CLUSTERS count as singletons.

With CLASSES the JSON also has "by_class": per class, its entities, true_pairs, missed_pairs (true pairs
split apart), recall, false_merge_pairs (pairs predicted together whose entities differ, counted for the
classes of both entities) and false_merge_clusters (predicted clusters holding >= 2 entities, counted for
every class among them).
--show N (or DEDUPE_SHOW=N) prints up to N false-merge clusters with their records to stderr, the largest
of each class in turn; --show-missed N (or DEDUPE_SHOW_MISSED=N) the same for split entities.
"""
import argparse
import csv
import json
import os
import sys
from collections import Counter, defaultdict


def pairs(n):
    return n * (n - 1) // 2


def cross_pairs(counts):
    """Pairs between different groups: (N² - Σ nᵢ²) / 2."""
    total = sum(counts)
    return (total * total - sum(n * n for n in counts)) // 2


parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("truth")
parser.add_argument("clusters")
parser.add_argument("classes", nargs="?")
parser.add_argument("--records", help="records to print with --show (CSV with source,source_id,...)")
parser.add_argument("--show", type=int, default=int(os.environ.get("DEDUPE_SHOW") or 0), metavar="N")
parser.add_argument("--show-missed", type=int, default=int(os.environ.get("DEDUPE_SHOW_MISSED") or 0), metavar="N")
args = parser.parse_args()

truth = {}
with open(args.truth) as f:
    for row in csv.DictReader(f):
        truth[(row["source"], row["source_id"])] = row["entity"]
clusters = {}
with open(args.clusters) as f:
    for source, source_id, cluster in csv.reader(f):
        clusters[(source, source_id)] = cluster
for key in truth:
    clusters.setdefault(key, "single:" + "/".join(key))
true_pairs = sum(pairs(n) for n in Counter(truth.values()).values())
predicted = sum(pairs(n) for n in Counter(clusters[k] for k in truth).values())
correct = sum(pairs(n) for n in Counter((truth[k], clusters[k]) for k in truth).values())
precision = correct / predicted if predicted else 1.0
recall = correct / true_pairs if true_pairs else 1.0
f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
result = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
          "true_pairs": true_pairs, "predicted_pairs": predicted, "correct_pairs": correct}

classes = defaultdict(list)
if args.classes:
    with open(args.classes) as f:
        for row in csv.DictReader(f):
            classes[row["entity"]].append(row["class"])
for entity in set(truth.values()):
    classes.setdefault(entity, ["plain"] if args.classes else ["all"])

# entity → records per predicted cluster; predicted cluster → records per entity
by_entity = defaultdict(Counter)
by_cluster = defaultdict(Counter)
for k, entity in truth.items():
    by_entity[entity][clusters[k]] += 1
    by_cluster[clusters[k]][entity] += 1
false_clusters = {c: counts for c, counts in by_cluster.items() if len(counts) > 1}
split_entities = {e: counts for e, counts in by_entity.items() if len(counts) > 1}

if args.classes:
    stats = defaultdict(Counter)
    for entity, counts in by_entity.items():
        n = sum(counts.values())
        for c in classes[entity]:
            stats[c]["entities"] += 1
            stats[c]["true_pairs"] += pairs(n)
            stats[c]["missed_pairs"] += cross_pairs(counts.values())
    for counts in false_clusters.values():
        total = cross_pairs(counts.values())
        for c in {c for e in counts for c in classes[e]}:
            without = cross_pairs([n for e, n in counts.items() if c not in classes[e]])
            stats[c]["false_merge_pairs"] += total - without
            stats[c]["false_merge_clusters"] += 1
    result["by_class"] = {
        c: {"entities": s["entities"], "true_pairs": s["true_pairs"], "missed_pairs": s["missed_pairs"],
            "recall": round(1 - s["missed_pairs"] / s["true_pairs"], 4) if s["true_pairs"] else 1.0,
            "false_merge_pairs": s["false_merge_pairs"], "false_merge_clusters": s["false_merge_clusters"]}
        for c, s in sorted(stats.items(), key=lambda item: (-item[1]["false_merge_pairs"], item[0]))}
print(json.dumps(result))

records = {}
if args.records and (args.show or args.show_missed):
    with open(args.records, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            records[(row["source"], row["source_id"])] = row
members = defaultdict(list)
for k in sorted(truth):
    members[clusters[k]].append(k)


def describe(k):
    row = records.get(k, {})
    fields = [row.get("name") or row.get("name_norm") or "", row.get("website") or row.get("domain") or "",
              row.get("country_raw") or row.get("country") or ""]
    extra = [f"{label}={row[field]}" for label, field in (("domain", "domain"), ("iso", "country"), ("city", "city"))
             if row.get(field) and row.get(field) not in fields]
    return " | ".join(fields + extra)


def spread(groups, weight, limit):
    """Up to `limit` groups, taking the heaviest one of each class in turn."""
    order = defaultdict(list)
    for g, counts in groups.items():
        for c in {c for e in counts for c in classes[e]}:
            order[c].append(g)
    ranked = sorted(order, key=lambda c: -sum(weight(groups[g]) for g in order[c]))
    for c in ranked:
        order[c].sort(key=lambda g: (-weight(groups[g]), g))
    chosen, seen = [], set()
    while len(chosen) < limit and any(order[c] for c in ranked):
        for c in ranked:
            while order[c] and order[c][0] in seen:
                order[c].pop(0)
            if order[c] and len(chosen) < limit:
                g = order[c].pop(0)
                seen.add(g)
                chosen.append((c, g))
    return chosen


if args.show:
    print(f"--- {min(args.show, len(false_clusters))} of {len(false_clusters)} false-merge clusters", file=sys.stderr)
    for c, cluster in spread(false_clusters, lambda counts: cross_pairs(counts.values()), args.show):
        counts = false_clusters[cluster]
        print(f"[{c}] cluster {cluster}: {len(counts)} entities, {cross_pairs(counts.values())} false pairs", file=sys.stderr)
        for k in members[cluster][:12]:
            print(f"    {k[0]:7} {k[1]:14} entity {truth[k]:>6} {','.join(classes[truth[k]]):28} {describe(k)}", file=sys.stderr)
        if len(members[cluster]) > 12:
            print(f"    ... {len(members[cluster]) - 12} more records", file=sys.stderr)
if args.show_missed:
    by_entity_keys = defaultdict(list)
    for k in sorted(truth):
        by_entity_keys[truth[k]].append(k)
    print(f"--- {min(args.show_missed, len(split_entities))} of {len(split_entities)} split entities", file=sys.stderr)
    singles = {e: Counter({e: 1}) for e in split_entities}
    for c, entity in spread(singles, lambda counts: cross_pairs(split_entities[next(iter(counts))].values()), args.show_missed):
        print(f"[{c}] entity {entity}: {cross_pairs(split_entities[entity].values())} missed pairs", file=sys.stderr)
        for k in by_entity_keys[entity][:12]:
            print(f"    {k[0]:7} {k[1]:14} cluster {clusters[k][:14]:14} {describe(k)}", file=sys.stderr)
