/// SQL of the contact waterfall (`DOMAIN.md` §3): look up by (golden account,
/// email), then by (golden account, LinkedIn URL), create only when both miss.
/// In shards (`ContactMerger`): the lookups per shard of golden accounts into
/// `resolve_contacts` (sql/0027), the new golden contacts numbered once for
/// the run, then written per shard.
enum ContactQueries {
    // Lookups (a `survive` job, or the one-process merge as shard 0).

    static let createStage = """
        DROP TABLE IF EXISTS merge_contact_accounts, merge_contacts;
        CREATE TEMP TABLE merge_contact_accounts (source text, source_id text, golden_id bigint);
        CREATE TEMP TABLE merge_contacts (
            source text, source_id text, golden_account_id bigint, email text, linkedin text, golden_contact_id bigint,
            method text, new_phase smallint, new_key text, updated_at timestamptz);
        """
    /// The source accounts of run $1's shard $2 with their golden ids, from
    /// the run's clusters (never from lineage another shard may still rewrite).
    static let shardAccounts = """
        INSERT INTO merge_contact_accounts
        SELECT c.source, c.source_id, g.golden_id FROM resolve_clusters c
        JOIN resolve_golden g ON g.run_id = c.run_id AND g.shard = c.shard
                             AND g.anchor_source = c.anchor_source AND g.anchor_source_id = c.anchor_source_id
        WHERE c.run_id = $1 AND c.shard = $2
        """
    /// Every source account with its golden id (the one-process merge, after the accounts').
    static let allAccounts = "INSERT INTO merge_contact_accounts SELECT source, source_id, golden_id FROM account_lineage"
    /// The contacts of those accounts; each keeps its golden contact while
    /// that one is still at the contact's golden account and the identifier
    /// that put it there is unchanged: its email (or, without one, its
    /// LinkedIn URL) is still the golden contact's. A changed email is looked
    /// up again, as a full run would.
    ///
    /// Each account's contacts, their lineage and golden contact are read
    /// through the indexes, account by account (`OFFSET 0` keeps the lateral
    /// subquery a loop over the shard's accounts): joined as tables, the
    /// planner read every source contact of the market in every job.
    static let stage = """
        ANALYZE merge_contact_accounts;
        INSERT INTO merge_contacts (source, source_id, golden_account_id, email, linkedin, golden_contact_id, method, updated_at)
        SELECT c.source, c.source_id, a.golden_id, c.email, c.linkedin,
               CASE WHEN \(kept) THEN c.golden_contact_id END,
               CASE WHEN \(kept) THEN 'kept' END, c.updated_at
        FROM merge_contact_accounts a
        CROSS JOIN LATERAL (
            SELECT c.source, c.source_id, c.email, c.linkedin, c.updated_at, cl.golden_contact_id,
                   g.golden_account_id AS held_by, g.email AS held_email, g.linkedin AS held_linkedin
            FROM source_contacts c
            LEFT JOIN contact_lineage cl ON cl.source = c.source AND cl.source_id = c.source_id
            LEFT JOIN golden_contacts g ON g.id = cl.golden_contact_id
            WHERE c.source = a.source AND c.account_source_id = a.source_id
            OFFSET 0) c;
        ANALYZE merge_contacts (method, golden_account_id, new_phase);
        """
    private static let kept = """
        c.held_by = a.golden_id
        AND CASE WHEN c.email IS NOT NULL THEN c.held_email = c.email ELSE c.held_linkedin IS NOT DISTINCT FROM c.linkedin END
        """
    static let matchByEmail = """
        UPDATE merge_contacts m SET golden_contact_id = g.id, method = 'email'
        FROM golden_contacts g
        WHERE m.method IS NULL AND m.email IS NOT NULL AND g.golden_account_id = m.golden_account_id AND g.email = m.email
        """
    /// The smallest golden contact of the account with the URL (read through
    /// the index for the staged URLs only, not over every golden contact).
    static let matchByLinkedIn = """
        UPDATE merge_contacts m SET golden_contact_id = g.id, method = 'linkedin'
        FROM (SELECT g.golden_account_id, g.linkedin, min(g.id) AS id FROM golden_contacts g
              JOIN (SELECT DISTINCT golden_account_id, linkedin FROM merge_contacts WHERE method IS NULL AND linkedin IS NOT NULL) w
                ON w.golden_account_id = g.golden_account_id AND w.linkedin = g.linkedin
              GROUP BY 1, 2) g
        WHERE m.method IS NULL AND m.linkedin IS NOT NULL
          AND g.golden_account_id = m.golden_account_id AND g.linkedin = m.linkedin
        """
    /// The rest with an email: a new golden contact per (account, email).
    static let createByEmail = """
        UPDATE merge_contacts SET method = 'created', new_phase = 1, new_key = email WHERE method IS NULL AND email IS NOT NULL
        """
    /// A contact without an email joins a new one of its account whose best
    /// member (source priority $1, then the smallest record id) has its LinkedIn URL; on
    /// a tie the smallest email (the smallest new id).
    static let joinNewByLinkedIn = """
        UPDATE merge_contacts m SET method = 'linkedin', new_phase = 1, new_key = n.email
        FROM (SELECT golden_account_id, linkedin, min(email) AS email
              FROM (SELECT DISTINCT ON (golden_account_id, email) golden_account_id, email, linkedin FROM merge_contacts
                    WHERE method = 'created' AND new_phase = 1
                    ORDER BY golden_account_id, email, array_position($1::text[], source) NULLS LAST, source, source_id) best
              WHERE linkedin IS NOT NULL GROUP BY 1, 2) n
        WHERE m.method IS NULL AND m.linkedin IS NOT NULL AND m.golden_account_id = n.golden_account_id AND m.linkedin = n.linkedin
        """
    /// The rest with a LinkedIn URL: a new golden contact per (account, URL).
    static let createByLinkedIn = """
        UPDATE merge_contacts SET method = 'created', new_phase = 2, new_key = linkedin WHERE method IS NULL AND linkedin IS NOT NULL
        """
    /// The rest: a new golden contact each.
    static let createSingles = "UPDATE merge_contacts SET method = 'created', new_phase = 3 WHERE method IS NULL"
    static let deleteShard = "DELETE FROM resolve_contacts WHERE run_id = $1 AND shard = $2"
    static let keepShard = """
        INSERT INTO resolve_contacts (run_id, shard, source, source_id, golden_account_id, golden_contact_id, method, new_phase, new_key)
        SELECT $1, $2, source, source_id, golden_account_id, golden_contact_id, method, new_phase, new_key FROM merge_contacts
        """

    // Numbering (once per run, when the `contacts` stage starts).

    /// New ids after the largest in use, in one order for the whole run
    /// (email ones, then LinkedIn ones, then single contacts; by account, then
    /// key), so they depend neither on the shard nor on the worker count. Not
    /// from the sequence: a step rolled back by a killed process would have
    /// consumed ids and its retry would number differently. The lock keeps two
    /// resolves from drawing the same ids.
    static let lockContacts = "LOCK TABLE golden_contacts IN SHARE ROW EXCLUSIVE MODE"
    /// The survive jobs just wrote the run's rows: without statistics the
    /// numbering joins them row by row (17 s instead of 2 s at 140k contacts).
    static let analyzeLookups = "ANALYZE resolve_contacts"
    static let numberNew = """
        UPDATE resolve_contacts r SET golden_contact_id = n.id
        FROM (SELECT source, source_id,
                     (SELECT coalesce(max(id), 0) FROM golden_contacts)
                         + dense_rank() OVER (ORDER BY new_phase, golden_account_id, new_key,
                                              CASE WHEN new_phase = 3 THEN source END, CASE WHEN new_phase = 3 THEN source_id END) AS id
              FROM resolve_contacts WHERE run_id = $1 AND new_phase IS NOT NULL) n
        WHERE r.run_id = $1 AND r.source = n.source AND r.source_id = n.source_id
        """

    // Writing (a `contacts` job per shard).

    /// The shard's contacts with their source records, read once for the
    /// job's four statements (each joined `resolve_contacts` to
    /// `source_contacts` itself before), in member order: source priority
    /// $3, then the smallest record id (never load order, which differs
    /// between a refresh and a full run).
    static let stageMembers = """
        DROP TABLE IF EXISTS contact_members;
        CREATE TEMP TABLE contact_members (
            golden_contact_id bigint, golden_account_id bigint, method text, source text, source_id text, priority int,
            email text, linkedin text, first_name text, last_name text, title text, seniority text, department text,
            country text, state text, role_start date);
        """
    static let readMembers = """
        INSERT INTO contact_members
        SELECT r.golden_contact_id, r.golden_account_id, r.method, r.source, r.source_id, array_position($3::text[], r.source),
               c.email, c.linkedin, c.first_name, c.last_name, c.title, c.seniority, c.department, c.country, c.state, c.role_start
        FROM resolve_contacts r JOIN source_contacts c ON c.source = r.source AND c.source_id = r.source_id
        WHERE r.run_id = $1 AND r.shard = $2
        """
    /// Statistics only of what the four statements filter and group by: all
    /// sixteen columns (names, titles, a sort each) took 264 ms a job at 200k,
    /// more than any of the statements (`pg_stat_statements`, 2026-12-04); so
    /// for `merge_contacts` above (the emails and URLs are only compared).
    static let analyzeMembers = "ANALYZE contact_members (golden_contact_id, method)"
    private static let memberOrder = "golden_contact_id, priority NULLS LAST, source, source_id"
    /// The shard's new golden contacts, from their best creating member.
    static let insertCreated = """
        INSERT INTO golden_contacts (id, golden_account_id, email, linkedin, first_name, last_name, title, seniority,
                                     department, country, state, role_start)
        SELECT DISTINCT ON (golden_contact_id) golden_contact_id, golden_account_id, email, linkedin,
               first_name, last_name, title, seniority, department, country, state, role_start
        FROM contact_members WHERE method = 'created'
        ORDER BY \(memberOrder)
        """
    /// The shard's golden contacts follow their best member, so an edited
    /// source contact edits its golden contact on a refresh as on a full
    /// run. Email and LinkedIn URL are its identity: kept.
    static let followMembers = """
        UPDATE golden_contacts g SET first_name = b.first_name, last_name = b.last_name, title = b.title, seniority = b.seniority,
            department = b.department, country = b.country, state = b.state, role_start = b.role_start, updated_at = now()
        FROM (SELECT DISTINCT ON (golden_contact_id) golden_contact_id, first_name, last_name, title, seniority,
                     department, country, state, role_start
              FROM contact_members ORDER BY \(memberOrder)) b
        WHERE g.id = b.golden_contact_id AND g.id = ANY (ARRAY(SELECT golden_contact_id FROM contact_members))
          AND (g.first_name, g.last_name, g.title, g.seniority, g.department, g.country, g.state, g.role_start)
              IS DISTINCT FROM (b.first_name, b.last_name, b.title, b.seniority, b.department, b.country, b.state, b.role_start)
        """
    static let writeLineage = """
        INSERT INTO contact_lineage AS l (source, source_id, golden_contact_id, match_method)
        SELECT source, source_id, golden_contact_id, method FROM contact_members
        ON CONFLICT (source, source_id) DO UPDATE SET golden_contact_id = excluded.golden_contact_id,
            match_method = CASE WHEN l.golden_contact_id = excluded.golden_contact_id THEN l.match_method ELSE excluded.match_method END
        WHERE l.golden_contact_id IS DISTINCT FROM excluded.golden_contact_id
        """
    /// Fills blank email / LinkedIn of the shard's golden contacts from their members.
    static let fillIdentifiers = """
        UPDATE golden_contacts g SET email = coalesce(g.email, x.email), linkedin = coalesce(g.linkedin, x.linkedin), updated_at = now()
        FROM (SELECT golden_contact_id, min(email) AS email, min(linkedin) AS linkedin FROM contact_members GROUP BY 1) x
        WHERE g.id = x.golden_contact_id AND g.id = ANY (ARRAY(SELECT golden_contact_id FROM contact_members))
          AND ((g.email IS NULL AND x.email IS NOT NULL) OR (g.linkedin IS NULL AND x.linkedin IS NOT NULL))
          AND NOT EXISTS (SELECT 1 FROM golden_contacts o WHERE o.golden_account_id = g.golden_account_id AND o.email = x.email AND o.id <> g.id)
        """

    // Settling (once per run, after every shard).

    /// A contact no account of run $1 holds (its account left the exports, or
    /// never was) has no golden contact: last night's lineage row goes, so its
    /// golden contact is an orphan unless another record holds it, as on a full run.
    static let dropLineageWithoutAccount = """
        DELETE FROM contact_lineage l
        WHERE NOT EXISTS (SELECT 1 FROM resolve_contacts r WHERE r.run_id = $1 AND r.source = l.source AND r.source_id = l.source_id)
        """

    /// Golden contacts no source record holds any more, except those the
    /// people stage created (bought: kept until their account goes), with
    /// their contact scores (no foreign key deletes those: sql/0029).
    static let dropOrphans = """
        WITH gone AS (
            DELETE FROM golden_contacts g WHERE NOT EXISTS (SELECT 1 FROM contact_lineage l WHERE l.golden_contact_id = g.id)
                AND NOT EXISTS (SELECT 1 FROM people_found f WHERE f.golden_contact_id = g.id AND f.outcome = 'created')
            RETURNING g.id
        )
        DELETE FROM contact_scores c USING gone WHERE c.golden_contact_id = gone.id
        """
    /// `ContactMergeReport` of run $1: contacts of no staged account are without one.
    static let summary = """
        SELECT (SELECT count(*) FROM source_contacts)::int8 AS contacts, (SELECT count(*) FROM golden_contacts)::int8 AS golden,
               count(*) FILTER (WHERE method = 'email')::int8 AS email, count(*) FILTER (WHERE method = 'linkedin')::int8 AS linkedin,
               count(*) FILTER (WHERE method = 'created')::int8 AS created, count(*)::int8 AS attached
        FROM resolve_contacts WHERE run_id = $1
        """
}
