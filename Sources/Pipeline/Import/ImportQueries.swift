import MarketMapCore
import Postgres

/// SQL of the import stage.
enum ImportQueries {
    static let startFile = """
        INSERT INTO import_files (source, kind, format, path, header, delimiter, encoding, status)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'staged') RETURNING id
        """
    static let copyRawRows = "COPY import_raw_rows (file_id, line, record_id, record, raw_hash) FROM STDIN"
    /// A record id seen twice in one file $1: the last row wins, earlier ones
    /// are rejected. A derived id (`gen:`) repeated means rows alike in what
    /// it is derived from ($2 says what), so the reason says that.
    static let rejectDuplicateRecordIDs = """
        WITH duplicate AS (
            SELECT record_id, max(line) AS kept FROM import_raw_rows
            WHERE file_id = $1 AND record_id IS NOT NULL
            GROUP BY record_id HAVING count(*) > 1
        ), removed AS (
            DELETE FROM import_raw_rows r USING duplicate d
            WHERE r.file_id = $1 AND r.record_id = d.record_id AND r.line < d.kept
            RETURNING r.line, r.record, d.record_id, d.kept
        ), saved AS (
            INSERT INTO rejected_rows (import_file_id, source, kind, file, line, reason, raw)
            SELECT $1, f.source, f.kind, f.path, line,
                CASE WHEN record_id LIKE 'gen:%'
                    THEN 'the same ' || $2::text || ' as line ' || kept || ', which is kept (an id derived from them cannot tell '
                        || 'the rows apart; export the record id column to keep both)'
                    ELSE 'duplicate record id "'
                        || replace(CASE WHEN length(record_id) > 60 THEN left(record_id, 40) || '…' ELSE record_id END, '"', '''')
                        || '" (line ' || kept || ' is kept)'
                END,
                left(record, 4096)
            FROM removed, import_files f WHERE f.id = $1
            ON CONFLICT (source, kind, md5(file), line, md5(reason)) DO UPDATE SET import_file_id = excluded.import_file_id, raw = excluded.raw
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM saved)::int8
        """
    /// The columns the staging statements join and group by: the raw record
    /// itself (the widest column, sorted for its statistics) is never compared.
    static let analyzeStaging = "ANALYZE import_raw_rows (file_id, line, record_id, raw_hash)"
    static let finishStaging = "UPDATE import_files SET rows_read = $2, last_line = $3 WHERE id = $1"
    static let stagedFile = "SELECT source, kind, format, path, header, delimiter FROM import_files WHERE id = $1"
    static let stagedRecords = """
        SELECT line, record, raw_hash FROM import_raw_rows WHERE file_id = $1 AND line >= $2 AND line < $3 ORDER BY line
        """
    static let deleteStagedRecords = "DELETE FROM import_raw_rows WHERE file_id = $1 AND line >= $2 AND line < $3"
    static let addNormalizeCounts = """
        UPDATE import_files SET rows_new = rows_new + $2, rows_changed = rows_changed + $3, rows_unchanged = rows_unchanged + $4
        WHERE id = $1
        """
    /// Run after `addNormalizeCounts`, whose row lock orders the file's jobs:
    /// the last one to commit sees every other job's deletes.
    static let finishFileIfNormalized = """
        UPDATE import_files SET status = 'done', finished_at = now(),
            rows_rejected = (SELECT count(*) FROM rejected_rows WHERE import_file_id = $1)
        WHERE id = $1 AND status = 'staged' AND NOT EXISTS (SELECT 1 FROM import_raw_rows WHERE file_id = $1)
        """
    /// Staged files and their last line: the normalize stage's work.
    static let stagedFiles = "SELECT id, last_line FROM import_files WHERE status = 'staged' ORDER BY id"
    static let stagedRecordCount = "SELECT count(*)::int8 FROM import_raw_rows"
    static let fileReport = """
        SELECT path, source, kind, rows_read, rows_new, rows_changed, rows_unchanged,
            (SELECT count(*) FROM rejected_rows WHERE import_file_id = $1)::int8 AS rejected, encoding, delimiter
        FROM import_files WHERE id = $1
        """
    static let createAccountStage = """
        CREATE TEMP TABLE IF NOT EXISTS stage_accounts (
            line int, source_id text, name text, name_norm text, website text, domain text, domain_host text,
            domain_identity boolean, industry text, employees bigint, annual_revenue numeric, country text,
            country_raw text, state text, city text, owner text, parent_id text, type text, last_activity date,
            prevent_override boolean, extra jsonb, content_hash text, match_country text, match_buckets smallint[],
            match_blank_bucket smallint, match_pull integer[], match_version text, match_phone text, match_postcode text,
            raw_hash text)
        """
    static let copyAccountStage = """
        COPY stage_accounts (line, source_id, name, name_norm, website, domain, domain_host, domain_identity, industry,
            employees, annual_revenue, country, country_raw, state, city, owner, parent_id, type, last_activity,
            prevent_override, extra, content_hash, match_country, match_buckets, match_blank_bucket, match_pull,
            match_version, match_phone, match_postcode, raw_hash) FROM STDIN
        """
    static let createRejectStage = """
        CREATE TEMP TABLE IF NOT EXISTS stage_rejects (line int, reason text, raw text)
        """
    static let truncateRejectStage = "TRUNCATE stage_rejects"
    static let copyRejectStage = "COPY stage_rejects (line, reason, raw) FROM STDIN"


    static let upsertAccounts = """
        WITH latest AS (
            SELECT DISTINCT ON (source_id) * FROM stage_accounts ORDER BY source_id, line DESC
        ), written AS (
            INSERT INTO source_accounts AS t (source, source_id, name, name_norm, website, domain, domain_host,
                domain_identity, industry, employees, annual_revenue, country, country_raw, state, city, owner,
                parent_id, type, last_activity, prevent_override, extra, content_hash, raw_hash, import_file_id,
                match_country, match_buckets, match_blank_bucket, match_pull, match_version, match_phone, match_postcode)
            SELECT $1, source_id, name, name_norm, website, domain, domain_host, domain_identity, industry, employees,
                annual_revenue, country, country_raw, state, city, owner, parent_id, type, last_activity,
                prevent_override, extra, content_hash, raw_hash, $2,
                match_country, match_buckets, match_blank_bucket, match_pull, match_version, match_phone, match_postcode
            FROM latest
            ON CONFLICT (source, source_id) DO UPDATE SET
                name = excluded.name, name_norm = excluded.name_norm, website = excluded.website,
                domain = excluded.domain, domain_host = excluded.domain_host, domain_identity = excluded.domain_identity,
                industry = excluded.industry, employees = excluded.employees, annual_revenue = excluded.annual_revenue,
                country = excluded.country, country_raw = excluded.country_raw, state = excluded.state,
                city = excluded.city, owner = excluded.owner, parent_id = excluded.parent_id, type = excluded.type,
                last_activity = excluded.last_activity, prevent_override = excluded.prevent_override,
                extra = excluded.extra, content_hash = excluded.content_hash, raw_hash = excluded.raw_hash, import_file_id = excluded.import_file_id,
                match_country = excluded.match_country, match_buckets = excluded.match_buckets,
                match_blank_bucket = excluded.match_blank_bucket, match_pull = excluded.match_pull, match_version = excluded.match_version,
                match_phone = excluded.match_phone, match_postcode = excluded.match_postcode,
                updated_at = CASE WHEN t.content_hash IS DISTINCT FROM excluded.content_hash THEN now() ELSE t.updated_at END
            WHERE t.content_hash IS DISTINCT FROM excluded.content_hash OR t.raw_hash IS DISTINCT FROM excluded.raw_hash
                OR t.match_version IS DISTINCT FROM excluded.match_version OR t.match_buckets IS DISTINCT FROM excluded.match_buckets
            RETURNING (xmax = 0) AS inserted, t.updated_at = now() AS changed
        )
        SELECT count(*) FILTER (WHERE inserted)::int8, count(*) FILTER (WHERE NOT inserted AND changed)::int8,
               (SELECT count(*) FROM latest)::int8
        FROM written
        """

    static let createContactStage = """
        CREATE TEMP TABLE IF NOT EXISTS stage_contacts (
            line int, source_id text, account_source_id text, first_name text, last_name text, email text,
            email_domain text, linkedin text, title text, seniority text, department text, country text, state text,
            owner text, role_start date, extra jsonb, content_hash text, raw_hash text)
        """
    static let copyContactStage = """
        COPY stage_contacts (line, source_id, account_source_id, first_name, last_name, email, email_domain, linkedin,
            title, seniority, department, country, state, owner, role_start, extra, content_hash, raw_hash) FROM STDIN
        """
    static let upsertContacts = """
        WITH latest AS (
            SELECT DISTINCT ON (source_id) * FROM stage_contacts ORDER BY source_id, line DESC
        ), written AS (
            INSERT INTO source_contacts AS t (source, source_id, account_source_id, first_name, last_name, email,
                email_domain, linkedin, title, seniority, department, country, state, owner, role_start, extra,
                content_hash, raw_hash, import_file_id)
            SELECT $1, source_id, account_source_id, first_name, last_name, email, email_domain, linkedin, title,
                seniority, department, country, state, owner, role_start, extra, content_hash, raw_hash, $2
            FROM latest
            ON CONFLICT (source, source_id) DO UPDATE SET
                account_source_id = excluded.account_source_id, first_name = excluded.first_name,
                last_name = excluded.last_name, email = excluded.email, email_domain = excluded.email_domain,
                linkedin = excluded.linkedin, title = excluded.title, seniority = excluded.seniority,
                department = excluded.department, country = excluded.country, state = excluded.state,
                owner = excluded.owner, role_start = excluded.role_start, extra = excluded.extra,
                content_hash = excluded.content_hash, raw_hash = excluded.raw_hash, import_file_id = excluded.import_file_id,
                updated_at = CASE WHEN t.content_hash IS DISTINCT FROM excluded.content_hash THEN now() ELSE t.updated_at END
            WHERE t.content_hash IS DISTINCT FROM excluded.content_hash OR t.raw_hash IS DISTINCT FROM excluded.raw_hash
            RETURNING (xmax = 0) AS inserted, t.updated_at = now() AS changed
        )
        SELECT count(*) FILTER (WHERE inserted)::int8, count(*) FILTER (WHERE NOT inserted AND changed)::int8,
               (SELECT count(*) FROM latest)::int8
        FROM written
        """

    static let createOpportunityStage = """
        CREATE TEMP TABLE IF NOT EXISTS stage_opportunities (
            line int, source_id text, account_source_id text, name text, amount numeric, stage text, close_date date,
            is_closed boolean, is_won boolean, owner text, extra jsonb, content_hash text, raw_hash text)
        """
    static let copyOpportunityStage = """
        COPY stage_opportunities (line, source_id, account_source_id, name, amount, stage, close_date, is_closed, is_won,
            owner, extra, content_hash, raw_hash) FROM STDIN
        """
    static let upsertOpportunities = """
        WITH latest AS (
            SELECT DISTINCT ON (source_id) * FROM stage_opportunities ORDER BY source_id, line DESC
        ), written AS (
            INSERT INTO source_opportunities AS t (source, source_id, account_source_id, name, amount, stage, close_date,
                is_closed, is_won, owner, extra, content_hash, raw_hash, import_file_id)
            SELECT $1, source_id, account_source_id, name, amount, stage, close_date, is_closed, is_won, owner, extra,
                content_hash, raw_hash, $2
            FROM latest
            ON CONFLICT (source, source_id) DO UPDATE SET
                account_source_id = excluded.account_source_id, name = excluded.name, amount = excluded.amount,
                stage = excluded.stage, close_date = excluded.close_date, is_closed = excluded.is_closed,
                is_won = excluded.is_won, owner = excluded.owner, extra = excluded.extra,
                content_hash = excluded.content_hash, raw_hash = excluded.raw_hash, import_file_id = excluded.import_file_id,
                updated_at = CASE WHEN t.content_hash IS DISTINCT FROM excluded.content_hash THEN now() ELSE t.updated_at END
            WHERE t.content_hash IS DISTINCT FROM excluded.content_hash OR t.raw_hash IS DISTINCT FROM excluded.raw_hash
            RETURNING (xmax = 0) AS inserted, t.updated_at = now() AS changed
        )
        SELECT count(*) FILTER (WHERE inserted)::int8, count(*) FILTER (WHERE NOT inserted AND changed)::int8,
               (SELECT count(*) FROM latest)::int8
        FROM written
        """

    // Statements every stage table shares. COPY, TRUNCATE and ANALYZE take no
    // parameters, so the table name (one of the constant `StageTable` names,
    // never input) is quoted into the text.

    enum StageTable: String {
        case accounts = "stage_accounts", contacts = "stage_contacts", opportunities = "stage_opportunities"

        init(_ kind: RecordKind) {
            switch kind {
            case .accounts: self = .accounts
            case .contacts: self = .contacts
            case .opportunities: self = .opportunities
            }
        }
    }

    /// The source table a stage table's rows go to.
    static func target(_ table: StageTable) -> String {
        switch table {
        case .accounts: return "source_accounts"
        case .contacts: return "source_contacts"
        case .opportunities: return "source_opportunities"
        }
    }

    /// Staged records of file $1 (source $2) whose raw bytes equal their
    /// stored row's leave staging unparsed, counted as unchanged.
    static func skipUnchanged(_ table: StageTable) -> String {
        """
        WITH skipped AS (
            DELETE FROM import_raw_rows r USING \(quoteIdentifier(target(table))) s
            WHERE r.file_id = $1 AND s.source = $2 AND s.source_id = r.record_id AND s.raw_hash = r.raw_hash
            RETURNING 1
        )
        UPDATE import_files SET rows_unchanged = rows_unchanged + (SELECT count(*) FROM skipped) WHERE id = $1
        """
    }

    /// Records of source $1 no staged file of $2 (file ids) holds, and all of the source's records.
    static func countAbsent(_ table: StageTable) -> String {
        """
        SELECT (SELECT count(*) FROM \(quoteIdentifier(target(table))) s
                WHERE s.source = $1 AND NOT EXISTS (SELECT 1 FROM import_raw_rows r WHERE r.file_id = ANY($2) AND r.record_id = s.source_id))::int8,
               (SELECT count(*) FROM \(quoteIdentifier(target(table))) WHERE source = $1)::int8
        """
    }

    /// Deletes those records, keeping each whole in removed_records (run $3,
    /// kind $4); a removed contact's lineage goes with it (no foreign key
    /// deletes it: sql/0030).
    static func removeAbsent(_ table: StageTable) -> String {
        """
        WITH gone AS (
            DELETE FROM \(quoteIdentifier(target(table))) s
            WHERE s.source = $1 AND NOT EXISTS (SELECT 1 FROM import_raw_rows r WHERE r.file_id = ANY($2) AND r.record_id = s.source_id)
            RETURNING s.*
        ),\(removedWith(table)) kept AS (
            INSERT INTO removed_records (run_id, source, kind, source_id, record)
            SELECT $3, gone.source, $4, gone.source_id, to_jsonb(gone.*) FROM gone
            RETURNING 1
        )
        SELECT count(*)::int8 FROM kept
        """
    }

    /// What goes with a removed record of `table` (a CTE of `removeAbsent`).
    private static func removedWith(_ table: StageTable) -> String {
        switch table {
        case .contacts: return " lineage AS (DELETE FROM contact_lineage l USING gone WHERE l.source = gone.source AND l.source_id = gone.source_id),"
        case .accounts, .opportunities: return ""
        }
    }

    static func truncate(_ table: StageTable) -> String { "TRUNCATE " + quoteIdentifier(table.rawValue) }

    /// Temporary tables are never auto-analyzed; the upsert needs row counts
    /// and the distinct keys it keeps the latest line of. Only those columns:
    /// statistics of every column (a sort each) were about a sixth of
    /// PostgreSQL's work in normalize.
    static func analyze(_ table: StageTable) -> String { "ANALYZE " + quoteIdentifier(table.rawValue) + " (source_id, line)" }

    static let saveRejects = """
        WITH saved AS (
            INSERT INTO rejected_rows (import_file_id, source, kind, file, line, reason, raw)
            SELECT $1, $2, $3, $4, line, reason, raw FROM stage_rejects
            ON CONFLICT (source, kind, md5(file), line, md5(reason)) DO UPDATE SET import_file_id = excluded.import_file_id, raw = excluded.raw
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM saved)::int8
        """
    /// Reasons grouped: quoted values (`RejectText` never leaves a quote
    /// inside one) and line numbers elided, everything else intact.
    static let rejectReasons = """
        SELECT regexp_replace(regexp_replace(reason, '"[^"]*"', '"…"', 'g'), 'line [0-9]+', 'line …', 'g') AS why, count(*)::int8
        FROM rejected_rows WHERE import_file_id = $1 GROUP BY 1 ORDER BY 2 DESC, 1
        """
}
