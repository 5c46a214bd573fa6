"""Pairwise precision, recall and F1 of a clustering against ground truth.

    python3 dedupe_score.py TRUTH.csv CLUSTERS.csv
TRUTH: source,source_id,entity   CLUSTERS: source,source_id,cluster (no header)
Prints JSON. Records missing from CLUSTERS count as singletons.
"""
import csv
import json
import sys
from collections import Counter


def pairs(n):
    return n * (n - 1) // 2


truth = {}
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        truth[(row["source"], row["source_id"])] = row["entity"]
clusters = {}
with open(sys.argv[2]) as f:
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
print(json.dumps({"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                  "true_pairs": true_pairs, "predicted_pairs": predicted, "correct_pairs": correct}))
