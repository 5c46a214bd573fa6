/// How rows get their identity (source, record id), which every later step
/// keys on: the file's record id column, or, where a file has none and that
/// is allowed, an id derived from the row's identity fields.
public enum RecordIdentity {
    /// Record ids (and the account ids contacts and deals link by) longer than
    /// this are rejected: they are keys of indexes, and no CRM writes them
    /// (Salesforce ids have 18 characters).
    public static let maxBytes = 255

    /// Why `id` cannot be a key (nil when it can); `what` names it in the reason.
    public static func problem(_ id: String, what: String = "record id") -> RowProblem? {
        guard id.utf8.count > maxBytes else { return nil }
        return RowProblem(reason: "the \(what) \(RejectText.quote(id)) is longer than \(maxBytes) bytes")
    }

    /// What a derived id is made of, per kind, for messages.
    public static func derivedFrom(_ kind: RecordKind) -> String {
        switch kind {
        case .accounts: return "name, domain and country"
        case .contacts: return "account id, email, LinkedIn URL and name"
        case .opportunities: return "nothing (opportunities always need a record id)"
        }
    }

    /// Whether rows of this file without a record id get one derived from
    /// their identity: generic exports (which often have no ids) and files
    /// imported with derived ids allowed, never opportunities.
    public static func derives(kind: RecordKind, format: ExportFormat, mapping: HeaderMapping) -> Bool {
        kind != .opportunities && (format == .generic || mapping.fields["source_id"] == nil)
    }

    /// Fails up front when a file lacks its record id column and derived ids
    /// are not allowed: a Salesforce or HubSpot export always has one, so a
    /// missing one is a misspelt or renamed column, and deriving ids would
    /// quietly merge distinct records. Opportunities always need one.
    public static func check(
        _ mapping: HeaderMapping, header: [String], kind: RecordKind, format: ExportFormat, derivedIDs: Bool
    ) throws(HeaderError) {
        guard mapping.fields["source_id"] == nil else { return }
        let expected = HeaderAliases.table(kind, format)["source_id"] ?? []
        if kind == .opportunities {
            throw HeaderError(kind: kind, format: format, found: header, problem: .noRecordID(expected: expected, derivable: false))
        }
        if format != .generic && !derivedIDs {
            throw HeaderError(kind: kind, format: format, found: header, problem: .noRecordID(expected: expected, derivable: true))
        }
    }
}

/// Values quoted in reject reasons: a short prefix, never the whole cell
/// (a reason is read by people, grouped in summaries and kept per row).
public enum RejectText {
    public static let maxQuoted = 60

    /// `"lots"`; `"xxxxxxxx…"` for a long value. Double quotes inside become
    /// single ones, so a summary can tell where the value ends.
    public static func quote(_ value: String) -> String {
        var text = value.count > maxQuoted ? String(value.prefix(maxQuoted - 20)) + "…" : value
        if text.contains("\"") { text = String(text.map { $0 == "\"" ? "'" : $0 }) }
        return "\"" + text + "\""
    }
}
