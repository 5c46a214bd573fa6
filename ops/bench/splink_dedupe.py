"""Splink (PyPI, DuckDB backend) on the same normalized records marketmap
matches on: normalized name, identity domain, ISO country. An anchor for
ops/bench/dedupe only, never a marketmap dependency.

    python3 splink_dedupe.py RECORDS.csv OUT_CLUSTERS.csv [THRESHOLD=0.9]
RECORDS: source,source_id,name_norm,domain,country (header)
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
started = time.monotonic()
db_api = DuckDBAPI()
settings = SettingsCreator(
    link_type="dedupe_only",
    comparisons=[
        cl.JaroWinklerAtThresholds("name_norm", [0.95, 0.88]),
        cl.ExactMatch("domain"),
        cl.ExactMatch("country"),
    ],
    blocking_rules_to_generate_predictions=[block_on("domain"), block_on("name_token", "country")],
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
