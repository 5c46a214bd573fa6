import Logging
import Postgres

public struct ContactMergeReport: Sendable, Codable, Equatable {
    public var sourceContacts: Int
    public var goldenContacts: Int
    public var matchedByEmail: Int
    public var matchedByLinkedIn: Int
    public var created: Int
    /// Contacts whose account id is not an imported account of their source.
    public var withoutAccount: Int
}

/// The contact waterfall, set-based, after the account merge: each source
/// contact keeps its golden contact while its golden account is unchanged;
/// otherwise it is looked up by (golden account, email), then by (golden
/// account, LinkedIn URL), and a golden contact is created only when both
/// miss, once per email or LinkedIn URL in the batch. A re-run creates none.
public struct ContactMerger: Sendable {
    public let sourcePriority: [String]
    public let logger: Logger

    public init(sourcePriority: [String] = [], logger: Logger) {
        self.sourcePriority = sourcePriority
        self.logger = logger
    }

    /// In the caller's transaction if there is one.
    public func merge(on db: isolated Connection) throws -> ContactMergeReport {
        try db.withTransaction {
            try db.execute(ContactQueries.lockContacts)
            try db.execute(ContactQueries.stage)
            try db.query(ContactQueries.matchByEmail)
            try db.query(ContactQueries.matchByLinkedIn)
            try db.query(ContactQueries.assignByEmail)
            try db.query(ContactQueries.insertCreated, sourcePriority)
            try db.query(ContactQueries.matchByLinkedIn)
            try db.query(ContactQueries.assignByLinkedIn)
            try db.query(ContactQueries.assignSingles)
            try db.query(ContactQueries.insertCreated, sourcePriority)
            try db.query(ContactQueries.writeLineage)
            try db.query(ContactQueries.dropLineageWithoutAccount)
            try db.query(ContactQueries.followMembers, sourcePriority)
            try db.query(ContactQueries.fillIdentifiers)
            try db.query(ContactQueries.dropOrphans)
            let row = try db.query(ContactQueries.summary)[0]
            return ContactMergeReport(
                sourceContacts: try row.decode(0), goldenContacts: try row.decode(1), matchedByEmail: try row.decode(2),
                matchedByLinkedIn: try row.decode(3), created: try row.decode(4), withoutAccount: try row.decode(5))
        }
    }
}
