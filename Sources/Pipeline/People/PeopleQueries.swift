/// SQL of the people stage (the cache, ledger, budget, rate windows and
/// provider rows are the Enrichment module's; account facts the score stage's).
enum PeopleQueries {
    // MARK: the plan

    static let clearPlan = "DELETE FROM people_plan WHERE run_id = $1"
    /// Every account of product $2 whose tier has a quota ($3 tiers, $4–$6
    /// personas of tier 1, 2, 3 wanted) and whose contacts (by persona tier)
    /// lack some of it, ranked by tier, then valuation (highest first), then
    /// id, and cut into $7 chunks of consecutive ranks; each with the golden
    /// contact ids it may create, after the largest in use, in rank order.
    static let plan = """
        WITH quotas AS (SELECT * FROM unnest($3::text[], $4::int8[], $5::int8[], $6::int8[]) AS q(tier, q1, q2, q3)),
        needs AS (
            SELECT s.golden_id, s.tier, s.fit_score, v.valuation,
                greatest(q.q1 - c.c1, 0) AS n1, greatest(q.q2 - c.c2, 0) AS n2, greatest(q.q3 - c.c3, 0) AS n3
            FROM account_scores s
            JOIN quotas q ON q.tier = s.tier
            LEFT JOIN account_valuations v ON v.golden_id = s.golden_id
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE persona_tier = 1) AS c1, count(*) FILTER (WHERE persona_tier = 2) AS c2,
                    count(*) FILTER (WHERE persona_tier = 3) AS c3
                FROM contact_scores cs WHERE cs.golden_account_id = s.golden_id
            ) c
            WHERE s.product = $2
        ),
        ranked AS (
            SELECT *, row_number() OVER w AS rank, count(*) OVER () AS total, sum(n1 + n2 + n3) OVER w - (n1 + n2 + n3) AS before
            FROM needs WHERE n1 + n2 + n3 > 0
            WINDOW w AS (ORDER BY tier, valuation DESC NULLS LAST, golden_id)
        )
        INSERT INTO people_plan (run_id, golden_id, rank, chunk, first_contact_id, tier, fit_score, valuation, need1, need2, need3)
        SELECT $1, golden_id, rank, ((rank - 1) * $7::int8 / total)::int,
            (SELECT coalesce(max(id), 0) FROM golden_contacts) + before + 1, tier, fit_score, valuation, n1, n2, n3
        FROM ranked
        """
    static let planChunks = "SELECT DISTINCT chunk::int8 FROM people_plan WHERE run_id = $1 ORDER BY 1"

    // MARK: one chunk

    static let chunkAccounts = """
        SELECT p.golden_id, p.first_contact_id, p.tier, p.fit_score::float8, p.valuation::float8, p.need1::int8, p.need2::int8, p.need3::int8
        FROM people_plan p WHERE p.run_id = $1 AND p.chunk = $2 ORDER BY p.rank
        """
    /// The accounts' golden contacts: what the contact waterfall matches.
    static let knownContacts = """
        SELECT c.golden_account_id, c.id, c.email, c.linkedin, c.first_name, c.last_name
        FROM golden_contacts c WHERE c.golden_account_id = ANY($1::int8[]) ORDER BY c.id
        """

    // MARK: writing a chunk (in the job's transaction)

    static let copyContacts = """
        COPY golden_contacts (id, golden_account_id, email, linkedin, first_name, last_name, title, seniority, department,
                              country, state, role_start) FROM STDIN
        """
    static let copyScores = "COPY contact_scores (golden_contact_id, golden_account_id, persona_score, persona_tier, priority) FROM STDIN"
    static let copyProvenance = "COPY contact_provenance (golden_contact_id, field, value, provider, fetched_at, cost, run_id) FROM STDIN"
    /// The verifier's ($3) verdicts on contacts that already exist: contact
    /// ids, statuses, times, costs; $5 the run.
    static let rememberVerdicts = """
        INSERT INTO contact_provenance AS p (golden_contact_id, field, value, provider, fetched_at, cost, run_id)
        SELECT c, 'email_status', v, $3, t::timestamptz, k::numeric, $5 FROM unnest($1::int8[], $2::text[], $4::text[], $6::text[]) AS x(c, v, t, k)
        ON CONFLICT (golden_contact_id, field) DO UPDATE
            SET value = excluded.value, provider = excluded.provider, fetched_at = excluded.fetched_at, cost = excluded.cost, run_id = excluded.run_id
        """
    static let stageFound = """
        CREATE TEMP TABLE people_found_batch (LIKE people_found INCLUDING DEFAULTS) ON COMMIT DROP
        """
    static let copyFound = """
        COPY people_found_batch (golden_account_id, provider, person_key, run_id, outcome, golden_contact_id, first_name, last_name,
                                 title, seniority, department, email, linkedin, country, role_start, persona_score, persona_tier,
                                 cost, fetched_at) FROM STDIN
        """
    /// A person found again keeps the contact created for them (and the run that did).
    static let upsertFound = """
        INSERT INTO people_found AS f SELECT * FROM people_found_batch
        ON CONFLICT (golden_account_id, provider, person_key) DO UPDATE SET
            run_id = CASE WHEN f.outcome = 'created' AND f.golden_contact_id = excluded.golden_contact_id THEN f.run_id ELSE excluded.run_id END,
            outcome = CASE WHEN f.outcome = 'created' AND f.golden_contact_id = excluded.golden_contact_id THEN 'created' ELSE excluded.outcome END,
            golden_contact_id = excluded.golden_contact_id,
            first_name = excluded.first_name, last_name = excluded.last_name, title = excluded.title, seniority = excluded.seniority,
            department = excluded.department, email = excluded.email, linkedin = excluded.linkedin, country = excluded.country,
            role_start = excluded.role_start, persona_score = excluded.persona_score, persona_tier = excluded.persona_tier,
            cost = excluded.cost, fetched_at = excluded.fetched_at, updated_at = now()
        """
    static let deleteStatus = "DELETE FROM people_status WHERE golden_id = ANY($1::int8[])"
    static let copyStatus = """
        COPY people_status (golden_id, run_id, status, lacking, created, linked, calls, cached, credits, planned_calls,
                            planned_credits, privacy, attempts) FROM STDIN
        """

    // MARK: figures (the run summary and the report)

    /// Whether run $1 has a people stage, and whether it only plans.
    static let stageOfRun = """
        SELECT EXISTS (SELECT 1 FROM run_stages WHERE run_id = $1 AND stage = 'people'),
            coalesce((SELECT (params->>'people_plan_only')::boolean FROM runs WHERE id = $1), false)
        """

    /// $1 run: accounts planned, personas lacking per tier, accounts per plan tier.
    static let planFigures = """
        SELECT count(*)::int8, coalesce(sum(need1), 0)::int8, coalesce(sum(need2), 0)::int8, coalesce(sum(need3), 0)::int8,
            count(*) FILTER (WHERE tier = 'T1')::int8, count(*) FILTER (WHERE tier = 'T2')::int8, count(*) FILTER (WHERE tier = 'T3')::int8
        FROM people_plan WHERE run_id = $1
        """
    /// $1 run: calls, cached answers, credits charged, planned calls and
    /// credits, over the accounts it worked on.
    static let statusFigures = """
        SELECT coalesce(sum(calls), 0)::int8, coalesce(sum(cached), 0)::int8, coalesce(sum(credits), 0)::float8,
            coalesce(sum(planned_calls), 0)::int8, coalesce(sum(planned_credits), 0)::float8
        FROM people_status WHERE run_id = $1
        """
    static let statusCounts = "SELECT status, count(*)::int8 FROM people_status WHERE run_id = $1 GROUP BY 1 ORDER BY 1"
    static let privacyCounts = "SELECT privacy, count(*)::int8 FROM people_status WHERE run_id = $1 AND privacy IS NOT NULL GROUP BY 1 ORDER BY 1"
    /// People found by the run per outcome; a link to a contact a CRM holds is `linked_crm`.
    static let outcomeCounts = """
        SELECT CASE WHEN f.outcome LIKE 'linked%' AND EXISTS (SELECT 1 FROM contact_lineage l WHERE l.golden_contact_id = f.golden_contact_id)
                    THEN f.outcome || ' (CRM)' ELSE f.outcome END, count(*)::int8
        FROM people_found f WHERE f.run_id = $1 GROUP BY 1 ORDER BY 1
        """
    /// Failure reasons of the run's searches, most frequent first.
    static let failureReasons = """
        SELECT (a->>'provider') || ': ' || (a->>'detail'), count(*)::int8
        FROM people_status s, jsonb_array_elements(s.attempts) a
        WHERE s.run_id = $1 AND a->>'outcome' = 'failed' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5
        """
    /// The people credits of run $1 (its ledger), and the people pool's budget if split.
    static let peopleCredits = """
        SELECT coalesce((SELECT sum(cost) FROM credit_ledger WHERE run_id = $1 AND pool = 'people'), 0)::float8,
            (SELECT budget::float8 FROM run_credit_pools WHERE run_id = $1 AND pool = 'people'),
            (SELECT budget::float8 FROM run_credits WHERE run_id = $1)
        """
    /// Per account tier of product $1: accounts, with a tier-1 and with a
    /// tier-2 persona counting the CRMs' contacts only (before) and every
    /// contact (after, with the people found), contacts found.
    static let coverage = """
        SELECT s.tier, count(*)::float8,
            count(*) FILTER (WHERE c.crm1 > 0)::float8, count(*) FILTER (WHERE c.all1 > 0)::float8,
            count(*) FILTER (WHERE c.crm2 > 0)::float8, count(*) FILTER (WHERE c.all2 > 0)::float8,
            coalesce(sum(c.found), 0)::float8
        FROM account_scores s
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE cs.persona_tier = 1 AND crm) AS crm1, count(*) FILTER (WHERE cs.persona_tier = 1) AS all1,
                count(*) FILTER (WHERE cs.persona_tier = 2 AND crm) AS crm2, count(*) FILTER (WHERE cs.persona_tier = 2) AS all2,
                count(*) FILTER (WHERE NOT crm) AS found
            FROM (SELECT x.persona_tier, EXISTS (SELECT 1 FROM contact_lineage l WHERE l.golden_contact_id = x.golden_contact_id) AS crm
                  FROM contact_scores x WHERE x.golden_account_id = s.golden_id) cs
        ) c
        WHERE s.product = $1 AND s.tier IS NOT NULL
        GROUP BY 1 ORDER BY 1
        """
}
