/// SQL of the contact waterfall (`DOMAIN.md` §3): look up by (golden account,
/// email), then by (golden account, LinkedIn URL), create only when both miss.
enum ContactQueries {
    /// A contact keeps its golden contact while its golden account and the
    /// identifier that put it there are unchanged: its email (or, without one,
    /// its LinkedIn URL) is still the golden contact's. A changed email is
    /// looked up again, as a full run would.
    static let stage = """
        DROP TABLE IF EXISTS merge_contacts;
        CREATE TEMP TABLE merge_contacts AS
            SELECT c.source, c.source_id, al.golden_id AS golden_account_id, c.email, c.linkedin,
                   CASE WHEN \(kept) THEN cl.golden_contact_id END AS golden_contact_id,
                   CASE WHEN \(kept) THEN 'kept' END AS method,
                   c.updated_at
            FROM source_contacts c
            LEFT JOIN account_lineage al ON al.source = c.source AND al.source_id = c.account_source_id
            LEFT JOIN contact_lineage cl ON cl.source = c.source AND cl.source_id = c.source_id
            LEFT JOIN golden_contacts g ON g.id = cl.golden_contact_id;
        ANALYZE merge_contacts;
        """
    private static let kept = """
        g.golden_account_id = al.golden_id
        AND CASE WHEN c.email IS NOT NULL THEN g.email = c.email ELSE g.linkedin IS NOT DISTINCT FROM c.linkedin END
        """
    static let matchByEmail = """
        UPDATE merge_contacts m SET golden_contact_id = g.id, method = 'email'
        FROM golden_contacts g
        WHERE m.golden_contact_id IS NULL AND m.email IS NOT NULL
          AND g.golden_account_id = m.golden_account_id AND g.email = m.email
        """
    static let matchByLinkedIn = """
        UPDATE merge_contacts m SET golden_contact_id = g.id, method = 'linkedin'
        FROM (SELECT golden_account_id, linkedin, min(id) AS id FROM golden_contacts
              WHERE linkedin IS NOT NULL GROUP BY golden_account_id, linkedin) g
        WHERE m.golden_contact_id IS NULL AND m.linkedin IS NOT NULL
          AND g.golden_account_id = m.golden_account_id AND g.linkedin = m.linkedin
        """
    /// The largest golden contact id in use or already assigned in this merge:
    /// new ids follow it in a fixed order, so the same input gives the same ids
    /// whatever order the normalize jobs wrote the source rows in, and a merge
    /// rolled back by a killed worker leaves no gap (a sequence would).
    static let lockContacts = "LOCK TABLE golden_contacts IN SHARE ROW EXCLUSIVE MODE"
    private static let lastContactID = """
        (SELECT greatest((SELECT coalesce(max(id), 0) FROM golden_contacts),
                         (SELECT coalesce(max(golden_contact_id), 0) FROM merge_contacts)))
        """
    /// New golden contacts, one per (account, email) among the unmatched.
    static let assignByEmail = """
        WITH ids AS (
            SELECT golden_account_id, email, \(lastContactID) + row_number() OVER (ORDER BY golden_account_id, email) AS id
            FROM (SELECT DISTINCT golden_account_id, email FROM merge_contacts
                  WHERE golden_contact_id IS NULL AND email IS NOT NULL AND golden_account_id IS NOT NULL
                  ORDER BY golden_account_id, email) groups
        )
        UPDATE merge_contacts m SET golden_contact_id = ids.id, method = 'created'
        FROM ids WHERE m.golden_contact_id IS NULL AND m.golden_account_id = ids.golden_account_id AND m.email = ids.email
        """
    static let assignByLinkedIn = """
        WITH ids AS (
            SELECT golden_account_id, linkedin, \(lastContactID) + row_number() OVER (ORDER BY golden_account_id, linkedin) AS id
            FROM (SELECT DISTINCT golden_account_id, linkedin FROM merge_contacts
                  WHERE golden_contact_id IS NULL AND linkedin IS NOT NULL AND golden_account_id IS NOT NULL
                  ORDER BY golden_account_id, linkedin) groups
        )
        UPDATE merge_contacts m SET golden_contact_id = ids.id, method = 'created'
        FROM ids WHERE m.golden_contact_id IS NULL AND m.golden_account_id = ids.golden_account_id AND m.linkedin = ids.linkedin
        """
    static let assignSingles = """
        WITH ids AS (
            SELECT source, source_id, \(lastContactID) + row_number() OVER (ORDER BY source, source_id) AS id
            FROM (SELECT source, source_id FROM merge_contacts
                  WHERE golden_contact_id IS NULL AND golden_account_id IS NOT NULL ORDER BY source, source_id) singles
        )
        UPDATE merge_contacts m SET golden_contact_id = ids.id, method = 'created'
        FROM ids WHERE m.source = ids.source AND m.source_id = ids.source_id
        """
    /// Inserts the golden contacts assigned above, from their best member
    /// (`bestMember`'s order).
    static let insertCreated = """
        INSERT INTO golden_contacts (id, golden_account_id, email, linkedin, first_name, last_name, title, seniority,
                                     department, country, state, role_start)
        SELECT DISTINCT ON (m.golden_contact_id) m.golden_contact_id, m.golden_account_id, c.email, c.linkedin,
               c.first_name, c.last_name, c.title, c.seniority, c.department, c.country, c.state, c.role_start
        FROM merge_contacts m JOIN source_contacts c ON c.source = m.source AND c.source_id = m.source_id
        WHERE m.method = 'created' AND NOT EXISTS (SELECT 1 FROM golden_contacts g WHERE g.id = m.golden_contact_id)
        ORDER BY m.golden_contact_id, array_position($1::text[], m.source) NULLS LAST, m.source, m.source_id
        """
    /// A golden contact's fields follow its best member (source priority $1,
    /// then the smallest source and record id; never load order), so an
    /// edited source contact edits its golden contact on a refresh as it
    /// would on a full run. Email and LinkedIn URL are its identity: kept.
    static let followMembers = """
        UPDATE golden_contacts g SET first_name = b.first_name, last_name = b.last_name, title = b.title, seniority = b.seniority,
            department = b.department, country = b.country, state = b.state, role_start = b.role_start, updated_at = now()
        FROM (SELECT DISTINCT ON (l.golden_contact_id) l.golden_contact_id, c.first_name, c.last_name, c.title, c.seniority,
                     c.department, c.country, c.state, c.role_start
              FROM contact_lineage l JOIN source_contacts c ON c.source = l.source AND c.source_id = l.source_id
              ORDER BY l.golden_contact_id, array_position($1::text[], l.source) NULLS LAST, l.source, l.source_id) b
        WHERE g.id = b.golden_contact_id
          AND (g.first_name, g.last_name, g.title, g.seniority, g.department, g.country, g.state, g.role_start)
              IS DISTINCT FROM (b.first_name, b.last_name, b.title, b.seniority, b.department, b.country, b.state, b.role_start)
        """
    static let writeLineage = """
        INSERT INTO contact_lineage AS l (source, source_id, golden_contact_id, match_method)
        SELECT source, source_id, golden_contact_id, method FROM merge_contacts WHERE golden_contact_id IS NOT NULL
        ON CONFLICT (source, source_id) DO UPDATE SET golden_contact_id = excluded.golden_contact_id,
            match_method = CASE WHEN l.golden_contact_id = excluded.golden_contact_id THEN l.match_method ELSE excluded.match_method END
        WHERE l.golden_contact_id IS DISTINCT FROM excluded.golden_contact_id
        """
    /// A contact whose account is gone from the exports (or never was) has no
    /// golden contact: last night's lineage row goes, so its golden contact is
    /// an orphan unless another record holds it, as on a full run.
    static let dropLineageWithoutAccount = """
        DELETE FROM contact_lineage l USING merge_contacts m
        WHERE m.source = l.source AND m.source_id = l.source_id AND m.golden_contact_id IS NULL
        """
    /// Fills blank email / LinkedIn of a golden contact from its members.
    static let fillIdentifiers = """
        UPDATE golden_contacts g SET email = coalesce(g.email, x.email), linkedin = coalesce(g.linkedin, x.linkedin), updated_at = now()
        FROM (SELECT m.golden_contact_id, min(m.email) AS email, min(m.linkedin) AS linkedin
              FROM merge_contacts m WHERE m.golden_contact_id IS NOT NULL GROUP BY 1) x
        WHERE g.id = x.golden_contact_id AND ((g.email IS NULL AND x.email IS NOT NULL) OR (g.linkedin IS NULL AND x.linkedin IS NOT NULL))
          AND NOT EXISTS (SELECT 1 FROM golden_contacts o WHERE o.golden_account_id = g.golden_account_id AND o.email = x.email AND o.id <> g.id)
        """
    /// Golden contacts no source record holds any more, except those the
    /// people stage created (bought: kept until their account goes).
    static let dropOrphans = """
        DELETE FROM golden_contacts g WHERE NOT EXISTS (SELECT 1 FROM contact_lineage l WHERE l.golden_contact_id = g.id)
            AND NOT EXISTS (SELECT 1 FROM people_found f WHERE f.golden_contact_id = g.id AND f.outcome = 'created')
        """
    static let summary = """
        SELECT (SELECT count(*) FROM merge_contacts)::int8,
               (SELECT count(*) FROM golden_contacts)::int8,
               (SELECT count(*) FROM merge_contacts WHERE method = 'email')::int8,
               (SELECT count(*) FROM merge_contacts WHERE method = 'linkedin')::int8,
               (SELECT count(*) FROM merge_contacts WHERE method = 'created')::int8,
               (SELECT count(*) FROM merge_contacts WHERE golden_account_id IS NULL)::int8
        """
}
