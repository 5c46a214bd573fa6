/// SQL of merge plans. The plan is built in temporary tables of the plan's
/// transaction (dropped at commit) and written out by COPY, which takes no
/// parameters: the instance comes from the `marketmap.plan_source` setting.
enum MergePlanQueries {
    /// Every instance with an accounts export.
    static let instances = "SELECT DISTINCT source FROM import_files WHERE kind = 'accounts' ORDER BY 1"
    /// The formats the instance's ($1) accounts were imported with, the latest
    /// first, with that file's header.
    static let accountFiles = """
        SELECT format, header FROM import_files WHERE source = $1 AND kind = 'accounts' ORDER BY id DESC
        """
    static let hasLineage = "SELECT EXISTS (SELECT 1 FROM account_lineage WHERE source = $1)"

    static let setSource = "SELECT set_config('marketmap.plan_source', $1, true)"
    static let createTables = """
        DROP TABLE IF EXISTS plan_groups, plan_merged, plan_moves, plan_columns, plan_fields;
        CREATE TEMP TABLE plan_groups (group_no int, golden_id bigint PRIMARY KEY, records int) ON COMMIT DROP;
        CREATE TEMP TABLE plan_merged (golden_id bigint, step int, slot int, master_id text, duplicate_id text) ON COMMIT DROP;
        CREATE TEMP TABLE plan_moves (kind text, record_id text, from_account text, to_account text, golden_id bigint, step int)
            ON COMMIT DROP;
        CREATE TEMP TABLE plan_columns (field text PRIMARY KEY, crm_field text) ON COMMIT DROP;
        CREATE TEMP TABLE plan_fields (golden_id bigint, master_id text, field text, current text, target text) ON COMMIT DROP;
        """
    /// Golden accounts with two or more records of the instance ($1), the
    /// smallest golden ids first; $2 of them (NULL: all).
    static let groups = """
        INSERT INTO plan_groups (group_no, golden_id, records)
        SELECT row_number() OVER (ORDER BY golden_id), golden_id, n
        FROM (SELECT golden_id, count(*)::int AS n FROM account_lineage WHERE source = $1
              GROUP BY golden_id HAVING count(*) >= 2 ORDER BY golden_id LIMIT $2) g
        """
    static let analyzeGroups = "ANALYZE plan_groups"
    /// The instance's records of every group, as survivorship reads them, grouped by golden id.
    static let members = """
        COPY (SELECT \(MergeQueries.memberColumns)
              FROM plan_groups g
              JOIN account_lineage l ON l.golden_id = g.golden_id AND l.source = current_setting('marketmap.plan_source')
              JOIN source_accounts s ON s.source = l.source AND s.source_id = l.source_id
              ORDER BY g.golden_id) TO STDOUT
        """
    /// One row per record merged away: its group, step, place in the call, master.
    static let copyMerged = "COPY plan_merged (golden_id, step, slot, master_id, duplicate_id) FROM STDIN"
    /// The contacts and opportunities of the instance ($1) whose account is
    /// merged away: they move to the master.
    static let moves = """
        INSERT INTO plan_moves (kind, record_id, from_account, to_account, golden_id, step)
        SELECT 'contact', c.source_id, c.account_source_id, m.master_id, m.golden_id, m.step
        FROM plan_merged m JOIN source_contacts c ON c.source = $1 AND c.account_source_id = m.duplicate_id
        UNION ALL
        SELECT 'opportunity', o.source_id, o.account_source_id, m.master_id, m.golden_id, m.step
        FROM plan_merged m JOIN source_opportunities o ON o.source = $1 AND o.account_source_id = m.duplicate_id
        """
    /// The CRM's name of a golden field ($1, $2).
    static let addColumn = "INSERT INTO plan_columns (field, crm_field) VALUES ($1, $2)"
    /// The fields the master should end with: the golden account's values
    /// where they differ from the master's. Country compares as ISO codes and
    /// shows the record's own spelling. Not the owner: owner ids belong to one
    /// CRM and the golden owner may be another's (territories and the push
    /// plan set owners); nor what the CRM computes (domain, last activity).
    static let fields = """
        INSERT INTO plan_fields (golden_id, master_id, field, current, target)
        SELECT p.golden_id, p.master_id, f.field, f.current, f.target
        FROM (SELECT DISTINCT golden_id, master_id FROM plan_merged) p
        JOIN source_accounts s ON s.source = $1 AND s.source_id = p.master_id
        JOIN golden_accounts a ON a.id = p.golden_id
        CROSS JOIN LATERAL (VALUES
            ('name', s.name, a.name, s.name IS DISTINCT FROM a.name),
            ('website', s.website, a.website, s.website IS DISTINCT FROM a.website),
            ('industry', s.industry, a.industry, s.industry IS DISTINCT FROM a.industry),
            ('employees', s.employees::text, a.employees::text, s.employees IS DISTINCT FROM a.employees),
            ('annual_revenue', s.annual_revenue::text, a.annual_revenue::text, s.annual_revenue IS DISTINCT FROM a.annual_revenue),
            ('country', s.country_raw, a.country, s.country IS DISTINCT FROM a.country),
            ('state', s.state, a.state, s.state IS DISTINCT FROM a.state),
            ('city', s.city, a.city, s.city IS DISTINCT FROM a.city),
            ('type', s.type, a.type, s.type IS DISTINCT FROM a.type)
        ) f(field, current, target, differs)
        WHERE f.differs AND f.target IS NOT NULL
        """

    /// `merge_steps.csv`: one row per merge call, in order, with the CRM's
    /// names for the master and the records merged into it (one column per
    /// place in the call: Salesforce merges a master with up to two, HubSpot
    /// two companies), and how many contacts and opportunities it moves.
    static let salesforceSteps = steps(
        "m.master_id AS master_id, max(m.duplicate_id) FILTER (WHERE m.slot = 1) AS duplicate_id_1, "
            + "max(m.duplicate_id) FILTER (WHERE m.slot = 2) AS duplicate_id_2")
    static let hubspotSteps = steps("m.master_id AS primary_object_id, max(m.duplicate_id) FILTER (WHERE m.slot = 1) AS object_id_to_merge")
    private static func steps(_ callColumns: String) -> String {
        """
        COPY (SELECT g.group_no AS "group", m.step, 
        """ + callColumns + """
        , m.golden_id,
                     coalesce(max(v.contacts), 0) AS contacts_moved, coalesce(max(v.opportunities), 0) AS opportunities_moved
              FROM plan_merged m JOIN plan_groups g ON g.golden_id = m.golden_id
              LEFT JOIN (SELECT golden_id, step, count(*) FILTER (WHERE kind = 'contact') AS contacts,
                                count(*) FILTER (WHERE kind = 'opportunity') AS opportunities
                         FROM plan_moves GROUP BY 1, 2) v ON v.golden_id = m.golden_id AND v.step = m.step
              GROUP BY g.group_no, m.step, m.master_id, m.golden_id
              ORDER BY 1, 2) TO STDOUT WITH (FORMAT csv, HEADER true)
        """
    }
    static let fieldsCSV = """
        COPY (SELECT g.group_no AS "group", f.golden_id, f.master_id, f.field, c.crm_field, f.current, f.target
              FROM plan_fields f JOIN plan_groups g ON g.golden_id = f.golden_id LEFT JOIN plan_columns c ON c.field = f.field
              ORDER BY 1, 4) TO STDOUT WITH (FORMAT csv, HEADER true)
        """
    static let movesCSV = """
        COPY (SELECT g.group_no AS "group", v.step, v.kind, v.record_id, v.from_account, v.to_account, v.golden_id
              FROM plan_moves v JOIN plan_groups g ON g.golden_id = v.golden_id
              ORDER BY 1, 2, 3, 4) TO STDOUT WITH (FORMAT csv, HEADER true)
        """

    /// Groups, records in them, merge calls, records merged away, contacts and
    /// opportunities moved, field changes.
    static let counts = """
        SELECT (SELECT count(*) FROM plan_groups)::int8, (SELECT coalesce(sum(records), 0) FROM plan_groups)::int8,
               (SELECT count(*) FROM (SELECT DISTINCT golden_id, step FROM plan_merged) s)::int8,
               (SELECT count(*) FROM plan_merged)::int8,
               (SELECT count(*) FROM plan_moves WHERE kind = 'contact')::int8,
               (SELECT count(*) FROM plan_moves WHERE kind = 'opportunity')::int8,
               (SELECT count(*) FROM plan_fields)::int8
        """
    static let groupSizes = "SELECT records::int8, count(*)::int8 FROM plan_groups GROUP BY 1 ORDER BY 1"
    static let fieldCounts = "SELECT field, count(*)::int8 FROM plan_fields GROUP BY 1 ORDER BY 1"
}
