/// SQL of push plans. $1 is the target instance (a source name); $2 the
/// product whose tier is pushed.
enum PushQueries {
    /// The header of the target's latest export of a kind ($2).
    static let exportHeader = """
        SELECT header, format FROM import_files WHERE source = $1 AND kind = $2 AND header IS NOT NULL ORDER BY id DESC LIMIT 1
        """
    /// Every golden account with its golden values (JSON) and, when the target
    /// holds it, the target's record (its id, prevent-override flag, and its
    /// fields and extra columns as JSON). One target record per golden account:
    /// the lowest id when the target holds duplicates.
    static let accounts = """
        SELECT g.id, t.source_id, coalesce(t.prevent_override, false), s.tier,
            jsonb_strip_nulls(jsonb_build_object(
                'golden_id', g.id::text, 'name', g.name, 'domain', g.domain, 'website', g.website, 'industry', g.industry,
                'employees', g.employees::text, 'annual_revenue', g.annual_revenue::text, 'country', g.country, 'state', g.state,
                'city', g.city, 'type', g.type, 'tier', s.tier, 'fit_score', s.fit_score::text, 'valuation', v.valuation::text,
                'owner', a.rep_id))::text,
            coalesce((to_jsonb(t) - 'extra') || t.extra, '{}')::text
        FROM enriched_accounts g
        LEFT JOIN account_scores s ON s.golden_id = g.id AND s.product = $2
        LEFT JOIN account_valuations v ON v.golden_id = g.id
        LEFT JOIN territory_assignments a ON a.golden_id = g.id
        LEFT JOIN LATERAL (
            SELECT x.* FROM account_lineage l JOIN source_accounts x ON x.source = l.source AND x.source_id = l.source_id
            WHERE l.golden_id = g.id AND l.source = $1 ORDER BY x.source_id LIMIT 1
        ) t ON true
        ORDER BY g.id
        """
    /// Golden contacts with the target's record if it holds one, the account's
    /// id in the target (or nil), and whether the target already has a contact
    /// with the same email or LinkedIn URL anywhere (then it is never created).
    /// `found_by`: the people provider a contact was bought from (none for the CRMs' own).
    static let contacts = """
        SELECT c.id, t.source_id, ta.source_id, c.golden_account_id, s.priority,
            jsonb_strip_nulls(jsonb_build_object(
                'golden_id', c.id::text, 'first_name', c.first_name, 'last_name', c.last_name, 'email', c.email,
                'linkedin', c.linkedin, 'title', c.title, 'seniority', c.seniority, 'department', c.department,
                'country', c.country, 'persona_score', s.persona_score::text, 'persona_tier', s.persona_tier::text,
                'priority', s.priority,
                'found_by', (SELECT min(f.provider) FROM people_found f WHERE f.golden_contact_id = c.id AND f.outcome = 'created')))::text,
            coalesce((to_jsonb(t) - 'extra') || t.extra, '{}')::text,
            EXISTS (SELECT 1 FROM source_contacts o WHERE o.source = $1
                    AND ((c.email IS NOT NULL AND o.email = c.email) OR (c.linkedin IS NOT NULL AND o.linkedin = c.linkedin)))
        FROM golden_contacts c
        LEFT JOIN contact_scores s ON s.golden_contact_id = c.id
        LEFT JOIN LATERAL (
            SELECT x.* FROM contact_lineage l JOIN source_contacts x ON x.source = l.source AND x.source_id = l.source_id
            WHERE l.golden_contact_id = c.id AND l.source = $1 ORDER BY x.source_id LIMIT 1
        ) t ON true
        LEFT JOIN LATERAL (
            SELECT l.source_id FROM account_lineage l WHERE l.golden_id = c.golden_account_id AND l.source = $1
            ORDER BY l.source_id LIMIT 1
        ) ta ON true
        ORDER BY c.id
        """
}
