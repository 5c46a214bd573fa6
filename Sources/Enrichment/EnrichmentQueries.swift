import Postgres

/// SQL of enrichment: the cache, the credit budget and ledger, the fleet-wide
/// rate limit, and table providers.
enum EnrichmentQueries {
    static let cached = """
        SELECT input_key, found, answer::text, to_char(fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM enrichment_cache
        WHERE provider = $1 AND input_key = ANY($2::text[]) AND expires_at > now()
        """
    /// $5 and $6: days a positive and a negative answer stay fresh.
    static let remember = """
        INSERT INTO enrichment_cache AS c (provider, input_key, found, answer, fetched_at, expires_at)
        SELECT $1, k, f = 1, a::jsonb, now(), now() + make_interval(secs => (CASE WHEN f = 1 THEN $5::float8 ELSE $6::float8 END) * 86400)
        FROM unnest($2::text[], $3::int8[], $4::text[]) AS x(k, f, a)
        ON CONFLICT (provider, input_key) DO UPDATE
            SET found = excluded.found, answer = excluded.answer, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at
        """

    static let openBudget = "INSERT INTO run_credits (run_id, budget) VALUES ($1, $2::float8::numeric) ON CONFLICT (run_id) DO NOTHING"
    static let lockBudget = "SELECT budget::float8, spent::float8 FROM run_credits WHERE run_id = $1 FOR UPDATE"
    static let charge = "UPDATE run_credits SET spent = spent + $2::float8::numeric WHERE run_id = $1"
    static let refund = "UPDATE run_credits SET spent = greatest(spent - $2::float8::numeric, 0) WHERE run_id = $1"
    static let reserve = """
        INSERT INTO credit_ledger (run_id, provider, golden_id, input_key, cost, pool)
        SELECT $1, $2, g, k, $3::float8::numeric, $6 FROM unnest($4::int8[], $5::text[]) AS x(g, k)
        RETURNING id, input_key
        """
    /// $2: ledger ids, $3: outcomes, $4: what each call is charged (0: no
    /// answer came; less than reserved: a per-result price on fewer results).
    static let settle = """
        UPDATE credit_ledger l SET outcome = x.o, cost = x.c::numeric, settled_at = now()
        FROM unnest($2::int8[], $3::text[], $4::text[]) AS x(i, o, c)
        WHERE l.id = x.i AND l.run_id = $1
        """

    // A split budget's pools (no row: the run's budget is not split).
    static let openPool = """
        INSERT INTO run_credit_pools (run_id, pool, budget) VALUES ($1, $2, $3::float8::numeric) ON CONFLICT (run_id, pool) DO NOTHING
        """
    static let lockPool = "SELECT budget::float8, spent::float8 FROM run_credit_pools WHERE run_id = $1 AND pool = $2 FOR UPDATE"
    static let chargePool = "UPDATE run_credit_pools SET spent = spent + $3::float8::numeric WHERE run_id = $1 AND pool = $2"
    static let refundPool = "UPDATE run_credit_pools SET spent = greatest(spent - $3::float8::numeric, 0) WHERE run_id = $1 AND pool = $2"

    /// Takes up to $2 request slots of the current second for provider $1,
    /// whose limit is $3 per second; returns how many were granted.
    static let takeRate = """
        INSERT INTO provider_rate_windows AS w (provider, second, used, granted)
        VALUES ($1, floor(extract(epoch FROM clock_timestamp()))::int8, least($2::int4, $3::int4), least($2::int4, $3::int4))
        ON CONFLICT (provider, second) DO UPDATE
            SET used = w.used + least(excluded.used, $3::int4 - w.used), granted = least(excluded.used, $3::int4 - w.used)
            WHERE w.used < $3::int4
        RETURNING granted
        """
    static let forgetOldWindows = "DELETE FROM provider_rate_windows WHERE second < floor(extract(epoch FROM clock_timestamp()))::int8 - 60"

    static let providerFile = "SELECT fingerprint FROM provider_files WHERE provider = $1"
    static let clearProviderRows = "DELETE FROM provider_rows WHERE provider = $1"
    /// A provider file's rows as read (`loadCSV`), before the first row of each key is kept.
    static let stageProviderRows = """
        DROP TABLE IF EXISTS provider_load; CREATE TEMP TABLE provider_load (key text, position bigint, data jsonb) ON COMMIT DROP
        """
    static let copyStagedProviderRows = "COPY provider_load (key, position, data) FROM STDIN"
    static let keepFirstProviderRows = """
        INSERT INTO provider_rows (provider, key, data)
        SELECT DISTINCT ON (key) $1, key, data FROM provider_load ORDER BY key, position
        """
    static let recordProviderFile = """
        INSERT INTO provider_files (provider, path, fingerprint, rows) VALUES ($1, $2, $3, $4)
        ON CONFLICT (provider) DO UPDATE SET path = excluded.path, fingerprint = excluded.fingerprint, rows = excluded.rows, loaded_at = now()
        """
    static let lockProviderFile = "SELECT pg_advisory_xact_lock(hashtext('marketmap.provider_rows.' || $1))"
    static let providerRows = "SELECT key, data::text FROM provider_rows WHERE provider = $1 AND key = ANY($2::text[])"
    // People lists: many rows per key, in file order.
    static let clearPeopleRows = "DELETE FROM people_provider_rows WHERE provider = $1"
    static let copyPeopleRows = "COPY people_provider_rows (provider, key, position, data) FROM STDIN"
    static let peopleRows = """
        SELECT key, data::text FROM people_provider_rows WHERE provider = $1 AND key = ANY($2::text[]) ORDER BY key, position
        """

    /// Rows of a warehouse table by key. `table` (`[schema.]name`) and `column`
    /// come from the configuration and are quoted here, as identifiers; the
    /// keys are bound.
    static func tableRows(table: String, column: String) -> String {
        let relation = table.split(separator: ".").map { quoteIdentifier(String($0)) }.joined(separator: ".")
        let key = "t." + quoteIdentifier(column) + "::text"
        return "SELECT lower(" + key + "), to_jsonb(t)::text FROM " + relation + " t WHERE lower(" + key + ") = ANY($1::text[]) ORDER BY 1, 2"
    }
}
