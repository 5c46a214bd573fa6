# Shared by ops/bench/pipeline and ops/bench/nightly: the generated market and
# a database server for it. Source after ops/lib.sh.

# market_data WORK ACCOUNTS [SHARDS]: about ACCOUNTS account rows across a Salesforce
# and a HubSpot export of the same market (generate_market.py: about a third
# of the companies in both, contacts and opportunities in proportion), the
# purchased provider dataset, and the sample's configuration and manifest
# adapted to them (SHARDS jobs per sharded stage; default the sample's auto), in
# WORK/data (output in WORK/out).
market_data() {
    local work=$1 accounts=$2 shards=${3:-}
    rm -rf "$work" && mkdir -p "$work/data"
    local companies=$(( accounts * 100 / 136 ))   # about 1.36 account rows per company across the two CRMs
    say "generating about $accounts account rows ($companies companies) with contacts and opportunities"
    python3 "$ROOT/ops/bench/generate_market.py" "$companies" "$work/data" 2026
    rm -f "$work/data/truth.csv"
    python3 "$ROOT/ops/bench/generate_provider_data.py" "$work/data" 2026 "$work/data/salesforce_accounts.csv" "$work/data/hubspot_accounts.csv"
    # Enrichment here is the purchased dataset (a table provider, loaded with COPY);
    # the sample's API provider is left out: ops/bench/enrich measures API calls.
    # So is its people section: persona discovery searches the simulator's people
    # API, which these scripts do not start (no people data at this size).
    python3 - "$ROOT/ops/sample/marketmap.yaml" "$work/data/marketmap.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
start = text.index("    - name: firmo-api")
end = text.index("negative_ttl_days: 14", start) + len("negative_ttl_days: 14\n")
text = text[:start] + text[end:]
start = text.index("\n  people:\n") + 1
end = text.index("\n  providers:\n", start) + 1
open(sys.argv[2], "w").write(text[:start] + text[end:])
PY
    sed -e "s|^out:.*|out: $work/out|" -e "/^simulator:/d" ${shards:+-e "s|^shards:.*|shards: $shards|"} \
        "$ROOT/ops/sample/manifest.yaml" > "$work/data/manifest.yaml"
    ls -lh "$work/data" | awk 'NR > 1 {print "  " $5 "  " $9}'
}

# serve_database BIN WORK: an embedded PostgreSQL in WORK/pgdata for this
# script (stopped when it exits); exports DATABASE_URL.
serve_database() {
    local bin=$1 work=$2
    local log="$work/serve.log"
    "$bin" db serve --data-dir "$work/pgdata" --log-level warning >"$log" 2>&1 &
    SERVE_PID=$!
    trap 'kill $SERVE_PID 2>/dev/null; wait $SERVE_PID 2>/dev/null || true' EXIT
    for _ in $(seq 1 120); do grep -q ready "$log" && break; sleep 0.5; done
    DATABASE_URL=$(sed -n 's/.*psql "\(.*\)"$/\1/p' "$log")
    export DATABASE_URL
}
