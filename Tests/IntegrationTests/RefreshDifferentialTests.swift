import Foundation
import MarketMapCore
import Postgres
import TestSupport
import Testing

/// Issue 17's acceptance: refreshing from export A to export B gives exactly
/// what a full run on B gives. A generated market (the benchmarks' generator,
/// `ops/bench/market.sh`), then tonight's exports B: edits, additions and
/// removals (`ops/bench/refresh_exports.py`), a record given another
/// company's name and domain (two accounts merge), a record given a domain of
/// its own (a cluster splits), an edit to one of two records of one CRM in one
/// account (survivorship's "most recent"), contacts edited, removed and added,
/// two emails changed, and stewards' decisions (detach, pin, same) made after
/// night A. `marketmap run` runs A then B on one database (the nightly
/// refresh), and B alone on a fresh one (its accounts imported first, so the
/// decisions have their records); every file of the output contract must be
/// the same.
///
/// What is masked, and why (nothing else is):
/// - golden account ids and golden contact ids: stable across runs by design
///   (docs/merge.md: a refresh keeps last night's ids and numbers new ones
///   after the largest; a fresh database numbers from 1), so each is replaced
///   by what it stands for, the smallest source record of its lineage, and
///   rows of a file holding ids are compared sorted (the files are in id order);
/// - run ids and times: `summary.json`'s seconds and run, the HTML page's title;
/// - what a run says about the change since the previous run, which a first
///   run on a fresh database has no previous run for: `tier_movers` (empty on
///   a first run, by contract), the `tier_churn` alert computed from it, and
///   `summary.json`'s `changes` (records new, changed, unchanged, removed).
///
/// Territories remember last night's placement of an account the CRM has no
/// owner for (docs/territories.md), so these exports give every account one.
@Suite("Refresh equals a full run", .serialized, .tags(.process), .notFast)
struct RefreshDifferentialTests {
    static let root = TestServer.repositoryRoot
    /// Set it to keep the work directory, with each file masked (`r-FILE` refreshed, `f-FILE` full) to diff.
    static let keep = "MARKETMAP_TEST_KEEP"

    @Test("refresh(A→B) writes the output contract of a full run on B, byte for byte but for the masked ids, run ids and times")
    func refreshEqualsFullRun() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("mm-differential-\(UUID().uuidString)")
        defer { if ProcessInfo.processInfo.environment[Self.keep] == nil { try? FileManager.default.removeItem(at: work) } }
        try await script("/bin/bash", ["-c", "source \"$1/ops/lib.sh\" && source \"$1/ops/bench/market.sh\" && market_data \"$2\" 1500",
                                       "market", Self.root.path, work.path])
        let data = work.appendingPathComponent("data")
        let manifest = data.appendingPathComponent("manifest.yaml").path
        let exports = MarketExports(data)
        try exports.giveEveryAccountAnOwner()
        let nightA = work.appendingPathComponent("out-a"), refreshed = work.appendingPathComponent("out-refresh")
        let full = work.appendingPathComponent("out-full")
        var refreshIDs = Identities(), fullIDs = Identities()
        var decisions: [[String]] = []
        try await withTestDatabase { config in
            try await run(manifest, out: nightA, config)
            try await script("/usr/bin/env", ["python3", Self.root.appendingPathComponent("ops/bench/refresh_exports.py").path, "0.05", "2027",
                                             exports.salesforce.path, exports.hubspot.path])
            let changes = try exports.tonight(lineage: try CSVFile(nightA.appendingPathComponent("account_lineage.csv")))
            decisions = changes.decisions
            for decision in decisions { try await marketmap(["review", "decide"] + decision + ["--by", "steward"], config) }
            try await run(manifest, out: refreshed, config)
            // The merge and the split happened.
            var account: [MarketExports.Member: String] = [:]
            for row in try CSVFile(refreshed.appendingPathComponent("account_lineage.csv")).records {
                account[MarketExports.Member(source: row["source"] ?? "", id: row["source_id"] ?? "")] = row["golden_id"]
            }
            #expect(account[changes.merged] != nil && account[changes.merged] == account[changes.into], "the record given another's domain joined its account")
            #expect(account[changes.split] != nil && !changes.splitFrom.contains { account[$0] == account[changes.split] }, "the record given a domain of its own left its account")
            refreshIDs = try await Identities(config, out: refreshed)
            // The refresh scored only the accounts whose inputs changed (the same configuration and day as night A's).
            let db = try await Connection.connect(config)
            let rescored = try await count(db, "SELECT coalesce(sum(redone), 0)::int8 FROM stage_inputs WHERE stage = 'score'")
            let reenriched = try await count(db, "SELECT coalesce(sum(redone), 0)::int8 FROM stage_inputs WHERE stage = 'enrich'")
            let accounts = try await count(db, "SELECT count(*)::int8 FROM golden_accounts")
            await db.close()
            #expect(rescored > 0 && rescored * 5 < accounts, "the refresh scored \(rescored) of \(accounts) accounts")
            // And enriched again only the accounts changed since night A (its providers are CSV files, unchanged).
            #expect(reenriched > 0 && reenriched * 5 < accounts, "the refresh enriched \(reenriched) of \(accounts) accounts")
        }
        try await withTestDatabase { config in
            // The stewards' decisions name records, which must exist first: B's accounts imported, then decided, then run.
            try await marketmap(["import", "--source", "acme-sfdc", "--format", "salesforce", exports.salesforce.path], config)
            try await marketmap(["import", "--source", "acme-hubspot", "--format", "hubspot", exports.hubspot.path], config)
            for decision in decisions { try await marketmap(["review", "decide"] + decision + ["--by", "steward"], config) }
            try await run(manifest, out: full, config)
            fullIDs = try await Identities(config, out: full)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: full.path).filter { !$0.hasPrefix(".") && $0 != "logs" }.sorted()
        // Every CSV of the contract but the people stage's (this configuration has no people providers).
        #expect(Set(RunCommandTests.contractHeaders.keys).subtracting(["people_coverage.csv"]).isSubset(of: files), "\(files)")
        #expect(files.contains("report.html") && files.contains("summary.json"))
        let refreshedFiles = try FileManager.default.contentsOfDirectory(atPath: refreshed.path).filter { !$0.hasPrefix(".") && $0 != "logs" }
        #expect(Set(refreshedFiles) == Set(files), "the same files")
        let review = try String(contentsOf: refreshed.appendingPathComponent("review.csv"), encoding: .utf8)
        for kind in ["same", "detach", "pin"] { #expect(review.contains("decisions in effect,\(kind),1"), "\(review)") }
        for file in files where !Self.deltas.contains(file) {
            let a = try Masked.file(refreshed.appendingPathComponent(file), ids: refreshIDs)
            let b = try Masked.file(full.appendingPathComponent(file), ids: fullIDs)
            if ProcessInfo.processInfo.environment[Self.keep] != nil {
                try a.joined(separator: "\n").write(to: work.appendingPathComponent("r-\(file)"), atomically: true, encoding: .utf8)
                try b.joined(separator: "\n").write(to: work.appendingPathComponent("f-\(file)"), atomically: true, encoding: .utf8)
            }
            let same = a == b  // not in the expectation: it would print both files whole
            #expect(same, "\(file) differs: \(Masked.firstDifferences(a, b))")
        }
    }

    /// The change since the previous run (a first run has none).
    static let deltas: Set<String> = ["tier_movers.csv", "tier_movers.json"]

    func run(_ manifest: String, out: URL, _ config: ConnectionConfig) async throws {
        let result = try await MarketMapBinary.run(
            ["run", manifest, "--out", out.path, "--workers", "2", "--log-level", "warning"], environment: Cluster(config).environment)
        try #require(result.status == 0, "\(result.output)")
    }

    func marketmap(_ arguments: [String], _ config: ConnectionConfig) async throws {
        let result = try await MarketMapBinary.run(arguments + ["--log-level", "warning"], environment: Cluster(config).environment)
        try #require(result.status == 0, "\(arguments.prefix(3)): \(result.output)")
    }

    func script(_ executable: String, _ arguments: [String]) async throws {
        let running = try RunningBinary(arguments, environment: MarketMapBinary.environment(), executable: executable)
        let status = try await running.waitForExit()
        _ = try await running.waitFor("\u{4}")
        try #require(status == 0, "\(arguments.prefix(2)): \(running.text)")
    }
}

/// The ids a run numbered, by what they stand for: a golden account by the
/// smallest source record of its lineage, a golden contact by the smallest
/// source contact of its lineage.
struct Identities {
    var accounts: [String: String] = [:]
    var contacts: [String: String] = [:]

    init() {}

    init(_ config: ConnectionConfig, out: URL) async throws {
        for row in try CSVFile(out.appendingPathComponent("account_lineage.csv")).records {
            let key = "\(row["source"] ?? "")/\(row["source_id"] ?? "")", id = row["golden_id"] ?? ""
            if accounts[id].map({ key < $0 }) ?? true { accounts[id] = key }
        }
        let db = try await Connection.connect(config)
        for row in try await db.query("SELECT golden_contact_id::text, min(source || '/' || source_id) FROM contact_lineage GROUP BY 1") {
            contacts[try row.decode(0)] = try row.decode(1)
        }
        await db.close()
    }

    func mask(_ column: String, _ value: String) -> String? {
        switch column {
        case "golden_id", "golden_account_id": return accounts[value].map { "account<\($0)>" } ?? "account<unknown \(value)>"
        case "golden_contact_id": return contacts[value].map { "contact<\($0)>" } ?? "contact<unknown \(value)>"
        default: return nil
        }
    }
}

/// A file of the output contract as lines to compare, with the masks of
/// `RefreshDifferentialTests`.
enum Masked {
    static func file(_ url: URL, ids: Identities) throws -> [String] {
        switch url.pathExtension {
        case "csv": return try csv(url, ids: ids)
        case "json": return try json(url, ids: ids)
        case "html": return try html(url, ids: ids)
        default: return try lines(url)
        }
    }

    /// The file's lines as written, line ends kept but for the LF (a String
    /// would read CR LF as one character and never split it).
    static func lines(_ url: URL) throws -> [String] {
        try Data(contentsOf: url).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A file without ids: its lines as written. With ids: masked, rows sorted.
    /// `alerts.csv` without its `tier_churn` row.
    static func csv(_ url: URL, ids: Identities) throws -> [String] {
        let table = try CSVFile(url)
        let masked = table.header.indices.filter { ids.mask(table.header[$0], "") != nil }
        guard !masked.isEmpty else { return try lines(url).filter { url.lastPathComponent != "alerts.csv" || !$0.hasPrefix("tier_churn,") } }
        let rows = table.rows.map { row in
            row.indices.map { index in
                masked.contains(index) && !row[index].isEmpty ? ids.mask(table.header[index], row[index]) ?? row[index] : row[index]
            }.map(Report.csvField).joined(separator: ",")
        }
        return [table.header.joined(separator: ",")] + rows.sorted()
    }

    static func json(_ url: URL, ids: Identities) throws -> [String] {
        var value = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        if url.lastPathComponent == "summary.json", var summary = value as? [String: Any] {
            summary["changes"] = nil
            summary["run"] = nil
            summary["seconds"] = nil
            summary["stages"] = (summary["stages"] as? [[String: Any]])?.map { stage in
                stage.filter { !["seconds", "workSeconds", "criticalPathSeconds", "startedAt", "finishedAt"].contains($0.key) }
            }
            value = summary
        } else if var report = value as? [String: Any], let columns = report["columns"] as? [String], let rows = report["rows"] as? [[Any]] {
            let masked = columns.indices.filter { ids.mask(columns[$0], "") != nil }
            if !masked.isEmpty {
                report["rows"] = try rows.map { row in
                    row.indices.map { index -> Any in
                        guard masked.contains(index), let number = row[index] as? Double else { return row[index] }
                        return ids.mask(columns[index], String(Int(number))) ?? row[index]
                    }
                }.sorted { try serialized($0) < serialized($1) }
            }
            value = report
        } else if url.lastPathComponent == "alerts.json", let alerts = value as? [[String: Any]] {
            value = alerts.filter { $0["kind"] as? String != "tier_churn" }
        }
        return try serialized(value, pretty: true).components(separatedBy: "\n")
    }

    static func serialized(_ value: Any, pretty: Bool = false) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]), as: UTF8.self)
    }

    /// The page with its title's run id masked, and the golden ids in its
    /// tables as in the CSV files (the rows of such a table sorted).
    static func html(_ url: URL, ids: Identities) throws -> [String] {
        try lines(url).map { line in
            let parts = line.replacing(/run \d+/, with: "run <id>").components(separatedBy: "<table>")
            return parts.enumerated().map { $0.offset == 0 ? $0.element : table($0.element, ids: ids) }.joined(separator: "<table>")
        }
    }

    /// `text`: a table's rows (`<tr>`, a header of `<th>` first) up to `</table>`, and what follows it.
    static func table(_ text: String, ids: Identities) -> String {
        guard let end = text.range(of: "</table>") else { return text }
        let rows = text[..<end.lowerBound].components(separatedBy: "<tr>")
        guard rows.count > 2 else { return text }
        let header = rows[1].components(separatedBy: "<th>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        let masked = header.indices.filter { ids.mask(header[$0], "") != nil }
        guard !masked.isEmpty else { return text }
        let body = rows[2...].map { row in
            var cells = row.components(separatedBy: "<td>")
            for index in masked where index + 1 < cells.count {
                let value = cells[index + 1].prefix { $0 != "<" }
                let id = value.replacingOccurrences(of: ",", with: "")  // numbers are grouped on the page
                cells[index + 1] = (ids.mask(header[index], id) ?? id) + cells[index + 1].dropFirst(value.count)
            }
            return cells.joined(separator: "<td>")
        }
        return ([rows[0], rows[1]] + body.sorted()).joined(separator: "<tr>") + text[end.lowerBound...]
    }

    /// The first lines that differ, for a failure message a person can read.
    static func firstDifferences(_ a: [String], _ b: [String], limit: Int = 6) -> String {
        let differing = (0..<max(a.count, b.count)).filter { $0 >= a.count || $0 >= b.count || a[$0] != b[$0] }
        let shown = differing.prefix(limit).map { index in
            "line \(index + 1): refresh \(index < a.count ? a[index] : "<none>") | full \(index < b.count ? b[index] : "<none>")"
        }
        return "\(differing.count) of \(max(a.count, b.count)) lines; " + shown.joined(separator: "; ")
    }
}

/// The generated exports of `ops/bench/market.sh`, and what the test does to them.
struct MarketExports {
    struct Member: Hashable, Comparable {
        var source: String, id: String
        static func < (a: Member, b: Member) -> Bool { (a.source, a.id) < (b.source, b.id) }
        var key: String { "\(source)/\(id)" }
    }
    let salesforce: URL, hubspot: URL, contacts: URL, hubspotContacts: URL

    init(_ data: URL) {
        salesforce = data.appendingPathComponent("salesforce_accounts.csv")
        hubspot = data.appendingPathComponent("hubspot_accounts.csv")
        contacts = data.appendingPathComponent("salesforce_contacts.csv")
        hubspotContacts = data.appendingPathComponent("hubspot_contacts.csv")
    }

    static let reps = ["005NA1", "005NA2", "005NA3", "005EU1", "005EU2", "005EU3", "005AP1"]

    /// A CRM owner for every account that has none (a rep by row number).
    func giveEveryAccountAnOwner() throws {
        for (url, column) in [(salesforce, "Account Owner"), (hubspot, "Company owner")] {
            var table = try CSVFile(url)
            let owner = try table.index(column)
            for index in table.rows.indices where table.rows[index][owner].isEmpty {
                table.rows[index][owner] = Self.reps[index % Self.reps.count]
            }
            try table.write(to: url)
        }
    }

    /// After `refresh_exports.py`: a merge, a split and a survivorship edit
    /// chosen from night A's lineage among the records still exported, and
    /// contacts edited, removed and added.
    func tonight(lineage: CSVFile) throws -> (merged: Member, into: Member, split: Member, splitFrom: [Member], decisions: [[String]]) {
        var sf = try CSVFile(salesforce)
        let (id, name, website, country, employees) = (0, 1, try sf.index("Website"), try sf.index("Billing Country"), try sf.index("Employees"))
        let row = Dictionary(sf.rows.indices.map { (sf.rows[$0][id], $0) }, uniquingKeysWith: { first, _ in first })
        var members: [String: [Member]] = [:]
        for record in lineage.records { members[record["golden_id"] ?? "", default: []].append(Member(source: record["source"] ?? "", id: record["source_id"] ?? "")) }
        let accounts = members.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
        let exported = { (member: Member) in member.source == "acme-sfdc" && row[member.id] != nil }
        // A merge: a one-record account takes the name, website and country of a record of a two-CRM account.
        let single = try #require(accounts.first { $0.count == 1 && exported($0[0]) })
        let target = try #require(accounts.first { $0.count >= 2 && Set($0.map(\.source)).count == 2 && $0.contains(where: exported) })
        let intoMember = try #require(target.first(where: exported))
        let into = try #require(row[intoMember.id])
        let merged = try #require(row[single[0].id])
        (sf.rows[merged][name], sf.rows[merged][website], sf.rows[merged][country]) = (sf.rows[into][name], sf.rows[into][website], sf.rows[into][country])
        // A split: a record of another two-CRM account gets a name and domain of its own.
        let parted = try #require(accounts.first { $0 != target && $0.count >= 2 && Set($0.map(\.source)).count == 2 && $0.contains(where: exported) })
        let splitMember = try #require(parted.first(where: exported))
        let splitRow = try #require(row[splitMember.id])
        (sf.rows[splitRow][name], sf.rows[splitRow][website]) = ("Quillfeather Ventures", "quillfeather-ventures.com")
        // Survivorship: the second of two records of one CRM in one account changes its employees.
        if let pair = accounts.first(where: { account in account.filter(exported).count >= 2 && account != target && account != parted }) {
            let second = try #require(row[pair.filter(exported)[1].id])
            sf.rows[second][employees] = "4321"
        }
        try sf.write(to: salesforce)
        // Stewards' decisions on accounts none of the above touched: a record detached, a field pinned, two accounts made one.
        let untouched = accounts.filter { $0 != target && $0 != parted && $0 != single && $0.allSatisfy(exported) }
        let detached = try #require(untouched.first { $0.count >= 2 })
        let pinned = try #require(untouched.first { $0 != detached })
        let joined = untouched.filter { $0.count == 1 && $0 != pinned }.prefix(2).map { $0[0] }
        try #require(joined.count == 2)
        let decisions = [
            ["detach", detached[1].key], ["pin", pinned[0].key, "--field", "industry", "--value", "Retail"],
            ["same", joined[0].key, joined[1].key],
        ]

        var people = try CSVFile(contacts)
        let (title, email, contactID) = (try people.index("Title"), try people.index("Email"), 0)
        for index in stride(from: 0, to: people.rows.count, by: 40) { people.rows[index][title] = "Chief Revenue Officer" }
        let added = try (0..<3).map { n in
            var copy = people.rows[n * 7 + 1]
            copy[contactID] = "003NEW\(n)"
            copy[email] = copy[email].isEmpty ? "" : "new.person\(n)@" + (copy[email].split(separator: "@").last.map(String.init) ?? "x.com")
            try #require(!copy[contactID].isEmpty)
            return copy
        }
        // Two people both CRMs have (one golden contact each) change their email in Salesforce.
        let hubspotEmails = Set(try CSVFile(hubspotContacts).rows.map { $0[4].lowercased() }.filter { !$0.isEmpty })
        for index in people.rows.indices.filter({ hubspotEmails.contains(people.rows[$0][email].lowercased()) }).prefix(2) {
            people.rows[index][email] = "moved." + people.rows[index][email]
        }
        people.rows = people.rows.enumerated().filter { $0.offset % 97 != 50 }.map(\.element) + added
        try people.write(to: contacts)
        return (single[0], intoMember, splitMember, parted.filter { $0 != splitMember }, decisions)
    }
}
