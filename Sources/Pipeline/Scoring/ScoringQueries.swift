import Postgres

/// SQL of the score stage.
enum ScoringQueries {
    /// The facts criteria read for the golden accounts of one shard ($1 of
    /// $2): golden fields, plus every non-blank `extra` column of its source
    /// records (the record of the most recent CRM activity wins a key, ties by
    /// source and record id, like survivorship's most recent non-blank), as
    /// parallel arrays; then the fields enrichment filled (`account_enrichment`),
    /// also as arrays; `input_hash`, the account's input hash (`inputHash`).
    static let accountFacts = facts(of: "enriched_accounts", enrichment: true, hashed: true)
    /// The same for the shard's accounts noted in `account_changes` after $3
    /// whose input hash differs from the one stored when they were last
    /// scored (`score_inputs`): what a refresh scores again.
    static let changedAccountFacts = facts(
        of: "enriched_accounts", enrichment: true, hashed: true,
        filter: "g.id = ANY (\(changedSince)) AND \(inputHash) IS DISTINCT FROM (SELECT i.input_hash FROM score_inputs i WHERE i.golden_id = g.id)")
    /// The golden ids of shard $1 of $2 noted in `account_changes` after $3 (sql/0033).
    static let changedSince = "ARRAY(SELECT c.golden_id FROM account_changes c WHERE c.seq > $3 AND c.golden_id % $2 = $1)"
    /// Everything scoring reads of an account, hashed: the facts row (with
    /// enrichment and extra fields) and its contacts' facts. `ROW(...)::text`
    /// tells NULL from blank.
    private static let inputHash = """
        md5(ROW(g.name, g.domain, g.industry, g.employees, g.annual_revenue, g.country, g.state, g.city, g.type, g.owner,
                x.keys, x.vals, en.keys, en.vals, ct.contacts)::text)
        """
    /// The same facts as the CRMs gave them, without enrichment: what the
    /// enrich stage starts from (so a refresh knows what is still missing).
    static let crmFacts = facts(of: "golden_accounts", enrichment: false)
    /// The same for the shard's accounts a refresh enriches again: those
    /// noted in `account_changes` after $3, and those whose last attempts a
    /// run may not repeat as they were: a failure, the budget, or a lookup at
    /// a provider in $4 (HTTP providers and database tables: their answers
    /// may have expired or changed; a CSV file's content is in the stage's
    /// inputs).
    static let changedCRMFacts = facts(of: "golden_accounts", enrichment: false, filter: """
        g.id = ANY (\(changedSince) || ARRAY(
            SELECT s.golden_id FROM enrichment_status s
            WHERE s.golden_id % $2 = $1 AND EXISTS (
                SELECT 1 FROM jsonb_array_elements(s.attempts) a
                WHERE a->>'outcome' IN ('failed', 'budget') OR (a->>'provider' = ANY ($4::text[]) AND a->>'outcome' <> 'skipped'))))
        """)
    /// The scoring facts of the accounts $1 (ids): what people providers' `only_run_if` reads.
    static let accountFactsOfIDs = facts(of: "enriched_accounts", enrichment: true, filter: "g.id = ANY($1::int8[])")

    /// `table` and `filter` are fixed texts above, never input.
    private static func facts(of table: String, enrichment: Bool, hashed: Bool = false, filter: String = "g.id % $2 = $1") -> String {
        """
        SELECT g.id, g.name, g.domain, g.industry, g.employees::float8, g.annual_revenue::float8, g.country, g.state,
            g.city, g.type, g.owner, coalesce(x.keys, '{}') AS extra_keys, coalesce(x.vals, '{}') AS extra_values,
            coalesce(en.keys, '{}') AS enriched_keys, coalesce(en.vals, '{}') AS enriched_values\(hashed ? ", " + inputHash + " AS input_hash" : "")
        FROM \(quoteIdentifier(table)) g
        LEFT JOIN LATERAL (
            SELECT array_agg(e.key ORDER BY e.key) AS keys, array_agg(e.value ORDER BY e.key) AS vals
            FROM (
                SELECT DISTINCT ON (e.key) e.key, e.value
                FROM account_lineage l
                JOIN source_accounts s ON s.source = l.source AND s.source_id = l.source_id,
                LATERAL jsonb_each_text(s.extra) e
                WHERE l.golden_id = g.id AND e.value <> ''
                ORDER BY e.key, s.last_activity DESC NULLS LAST, s.source, s.source_id
            ) e
        ) x ON true
        LEFT JOIN LATERAL (
            SELECT array_agg(a.field ORDER BY a.field) AS keys, array_agg(a.value ORDER BY a.field) AS vals
            FROM account_enrichment a WHERE a.golden_id = g.id AND \(enrichment)
        ) en ON true
        \(hashed ? contactsOfAccount : "")
        WHERE \(filter)
        ORDER BY g.id
        """
    }
    /// What persona scoring reads of an account's contacts, for its input hash.
    private static let contactsOfAccount = """
        LEFT JOIN LATERAL (
            SELECT string_agg(ROW(c.id, c.title, c.seniority, c.department, c.country, c.role_start)::text, ';' ORDER BY c.id) AS contacts
            FROM golden_contacts c WHERE c.golden_account_id = g.id
        ) ct ON true
        """
    /// Contacts of the accounts $1 (ids) with whole months in role as of $2.
    static let contactFacts = """
        SELECT c.id, c.golden_account_id, c.title, c.seniority, c.department, c.country,
            CASE WHEN c.role_start IS NULL THEN NULL
                 ELSE (extract(year FROM age($2::date, c.role_start)) * 12 + extract(month FROM age($2::date, c.role_start)))::int8 END
        FROM golden_contacts c
        WHERE c.golden_account_id = ANY($1::int8[])
        ORDER BY c.id
        """
    /// The rows of the accounts $1 (ids) a job scores again (those of deleted
    /// accounts go with them: `MergeQueries.dropOrphans`).
    static let deleteAccountScores = "DELETE FROM account_scores WHERE golden_id = ANY($1::int8[])"
    static let deleteValuations = "DELETE FROM account_valuations WHERE golden_id = ANY($1::int8[])"
    static let deleteContactScores = "DELETE FROM contact_scores WHERE golden_account_id = ANY($1::int8[])"
    /// The input hashes $2 of the accounts $1 just scored.
    static let saveInputHashes = """
        INSERT INTO score_inputs (golden_id, input_hash) SELECT * FROM unnest($1::int8[], $2::text[])
        ON CONFLICT (golden_id) DO UPDATE SET input_hash = excluded.input_hash
        """
    static let copyAccountScores = "COPY account_scores (golden_id, product, fit_score, tier, excluded_by, failed_gate, basis) FROM STDIN"
    static let copyValuations = "COPY account_valuations (golden_id, valuation) FROM STDIN"
    static let copyContactScores = "COPY contact_scores (golden_contact_id, golden_account_id, persona_score, persona_tier, priority) FROM STDIN"
}
