"""Splink (PyPI, DuckDB backend) on the same normalized records marketmap
matches on: normalized name, identity domain, ISO country. An anchor for
ops/bench/dedupe only, never a marketmap dependency.

    python3 splink_dedupe.py RECORDS.csv OUT_CLUSTERS.csv [THRESHOLD=0.9]
RECORDS: source,source_id,name_norm,domain,country (header); a phone column (last 8 digits) is compared
too (exact match, and a blocking rule) when at least 5% of the records have one. City and postcode are
not used: EM-trained exact matches on them merge every Shenzhen company (on the 5,000-company real set
of ops/bench/dedupe, F1 0.10 with city and postcode against 0.72 with phone alone).
"""
import csv
import logging
import sys
import time

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

records, out = sys.argv[1], sys.argv[2]
threshold = float(sys.argv[3]) if len(sys.argv) > 3 else 0.9
df = pd.read_csv(records, dtype=str, keep_default_na=False).replace({"": None})
df["unique_id"] = df["source"] + "/" + df["source_id"]
df["name_token"] = df["name_norm"].str.split(" ").str[0]
optional = [c for c in ("phone",) if c in df.columns and df[c].notna().mean() >= 0.05]
df = df[["unique_id", "source", "source_id", "name_norm", "name_token", "domain", "country"] + optional]
started = time.monotonic()
db_api = DuckDBAPI()
settings = SettingsCreator(
    link_type="dedupe_only",
    comparisons=[
        cl.JaroWinklerAtThresholds("name_norm", [0.95, 0.88]),
        cl.ExactMatch("domain"),
        cl.ExactMatch("country"),
    ] + [cl.ExactMatch(c) for c in optional],
    blocking_rules_to_generate_predictions=[block_on("domain"), block_on("name_token", "country")]
    + ([block_on("phone")] if "phone" in optional else []),
)
linker = Linker(db_api.register(df), settings, log_level=logging.WARNING)
linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("domain"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_token", "country"))
predictions = linker.inference.predict(threshold_match_probability=threshold)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold).as_pandas_dataframe()
elapsed = time.monotonic() - started
with open(out, "w", newline="") as f:
    writer = csv.writer(f)
    for uid, cluster in zip(clusters["unique_id"], clusters["cluster_id"]):
        source, source_id = uid.split("/", 1)
        writer.writerow([source, source_id, cluster])
print(f"{elapsed:.2f}")
