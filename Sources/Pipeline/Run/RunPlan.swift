import Enrichment
import Foundation
import JobQueue
import Logging
import MarketMapCore
import Postgres

/// A manifest read and checked before any work starts: its sources with
/// absolute paths, the configuration (validated), and a fingerprint that
/// recognises the same manifest, configuration and files on a re-run, so an
/// unfinished run resumes instead of starting over.
public struct RunPlan: Sendable {
    public var manifest: Manifest
    public var manifestPath: String
    public var files: [String]
    public var configPath: String
    public var configText: String
    public var config: MarketMapConfig
    public var out: URL
    public var fingerprint: String
    /// `--plan-only`: the people stage counts the calls and credits its plan needs and buys nothing.
    public private(set) var peoplePlanOnly = false

    /// Reads and checks the manifest at `path`. With `settledBefore`, only
    /// files last modified before it are taken (the refresh's inbox: a file
    /// still being written is not ready). Without `requireFiles`, sources
    /// with no file yet are left out (checking a refresh manifest before its
    /// first exports arrive).
    public static func load(
        _ path: String, out: String?, settledBefore: Date? = nil, requireFiles: Bool = true
    ) throws(ConfigError) -> RunPlan {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, path: "", expected: FileManager.default.fileExists(atPath: path) ? "cannot read the manifest" : "no such file")
        }
        var manifest = try ConfigLoader.decode(Manifest.self, from: text, file: path)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ file: String) -> String {
            file.hasPrefix("/") ? file : base.appendingPathComponent(file).standardizedFileURL.path
        }
        var files: [String] = []
        var stamp: [String?] = [text]
        for (index, source) in manifest.sources.enumerated() {
            var file = resolve(source.file)
            if SourcePattern.isPattern(source.file) {
                guard let newest = SourcePattern.newest(matching: file, settledBefore: settledBefore) else {
                    if !requireFiles { continue }
                    throw ConfigError(
                        file: path, path: "sources[\(index)].file",
                        expected: "a file matching \(file)\(settledBefore == nil ? "" : " that is no longer being written"); none yet")
                }
                file = newest
            }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else {
                if !requireFiles { continue }
                throw ConfigError(file: path, path: "sources[\(index)].file", expected: "no such file: \(file)")
            }
            if let settledBefore, let modified = attributes[.modificationDate] as? Date, modified > settledBefore {
                throw ConfigError(file: path, path: "sources[\(index)].file", expected: "\(file) to be settled; it was modified at \(modified)")
            }
            files.append(file)
            stamp += [file, "\(attributes[.size] ?? "")", "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"]
        }
        if let simulator = manifest.simulator {
            manifest.simulator?.data = resolve(simulator.data)
            guard FileManager.default.fileExists(atPath: resolve(simulator.data)) else {
                throw ConfigError(file: path, path: "simulator.data", expected: "no such file: \(resolve(simulator.data))")
            }
            if let people = simulator.people {
                manifest.simulator?.people = resolve(people)
                guard FileManager.default.fileExists(atPath: resolve(people)) else {
                    throw ConfigError(file: path, path: "simulator.people", expected: "no such file: \(resolve(people))")
                }
            }
        }
        let configPath = resolve(manifest.config)
        let config: MarketMapConfig
        do {
            config = try ConfigLoader.load(configPath)
        } catch {
            throw error
        }
        let configText = (try? String(contentsOfFile: configPath, encoding: .utf8)) ?? ""
        stamp.append(configText)
        return RunPlan(
            manifest: manifest, manifestPath: path, files: files, configPath: configPath, configText: configText, config: config,
            out: URL(fileURLWithPath: out ?? resolve(manifest.out)).standardizedFileURL, fingerprint: ContentHash.of(stamp))
    }

    /// The run's params: everything the workers and the reporter need.
    /// The configuration travels validated, as JSON (`RunParameters.carry`).
    /// `accounts`: the market's account rows, which `shards: auto` plans by,
    /// with the previous market run's count (`ShardCount.jobs`).
    public func params(asOf: String, accounts: Int, previousShards: Int? = nil) -> RunParameters {
        var params = RunParameters(
            configDir: URL(fileURLWithPath: configPath).deletingLastPathComponent().path,
            sourcePriority: manifest.sourcePriority.joined(separator: ","),
            shards: manifest.shards.jobs(accounts: accounts, previous: previousShards),
            asOf: asOf, manifest: fingerprint,
            peoplePlanOnly: peoplePlanOnly ? true : nil)
        params.carry(configText: configText, config: config)
        return params
    }

    /// The same plan as a dry run of the people stage (another fingerprint:
    /// an unfinished dry run never resumes as a buying run, nor the reverse).
    public mutating func planPeopleOnly() {
        guard !peoplePlanOnly else { return }
        peoplePlanOnly = true
        fingerprint = ContentHash.of([fingerprint, "people plan only"])
    }

    /// The unfinished run of this plan, or a new one: every file staged and the
    /// run created in one transaction, so an interruption leaves either
    /// nothing or a run to resume.
    public func startOrResume(
        importer: Importer, asOf: String, progress: (String) -> Void, on db: isolated Connection
    ) throws -> (run: Int, resumed: Bool) {
        if let run = try db.query(RunQueries.unfinishedRun, fingerprint).first?.decode(Int.self) { return (run, true) }
        return try db.withTransaction {
            var staged: [StagedFile] = []
            for (source, file) in zip(manifest.sources, files) {
                let file = try importer.stage(file, source: source.source, format: source.format, kind: source.kind, options: source.options, on: db)
                staged.append(file)
                let name = URL(fileURLWithPath: files[staged.count - 1]).lastPathComponent
                progress("\(name): \(file.read) records staged, \(file.rejected) rejected" + file.notes.map { "; " + $0 }.joined())
            }
            // The market after this import: the staged account rows, or those stored when more (a delta export).
            let stagedAccounts = zip(manifest.sources, staged).reduce(0) { $1.0.kind == .accounts ? $0 + $1.1.read : $0 }
            let stored = try db.query(RunQueries.storedAccounts).first?.decode(Int.self) ?? 0
            let previous: Int? = try db.query(RunQueries.previousShards).first?.decode(Int?.self) ?? nil
            let params = params(asOf: asOf, accounts: max(stagedAccounts, stored), previousShards: previous)
            let stages = MarketPipeline.market.stages(for: RunSettings(params: params)).map(\.rawValue)
            let run = try Runs(queue: JobQueue()).create(pipeline: MarketPipeline.market.rawValue, params: try params.json(), stages: stages, on: db)
            try db.query(RunQueries.claimFiles, run, staged.map(\.fileID))
            for group in fullExports(staged) {
                guard group.hasRecordIDs else {
                    progress("\(group.source) \(group.kind.rawValue): no record id column, so records missing from the export cannot be told; nothing removed (as with mode: delta)")
                    continue
                }
                let removed = try importer.removeAbsent(
                    source: group.source, kind: group.kind, files: group.files, maxShare: group.maxShare, run: run, on: db)
                if removed > 0 { progress("\(group.source) \(group.kind.rawValue): \(removed) records no longer in the export, removed (kept in removed_records)") }
            }
            return (run, false)
        }
    }

    /// Stages the files and creates the run (or finds its unfinished one),
    /// as of today (UTC), in one transaction: what `run`, `runs submit` and the
    /// refresh share.
    public func startOrResume(
        logger: Logger, progress: @escaping @Sendable (String) -> Void, on db: Connection
    ) async throws -> (run: Int, resumed: Bool) {
        let importer = Importer(config: config.match, resolver: LibPSLResolver.shared, logger: logger)
        let asOf = ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withFullDate])
        return try await db.transaction { db in try startOrResume(importer: importer, asOf: asOf, progress: progress, on: db) }
    }

    /// The staged files per source and kind whose exports are all full, with
    /// the strictest removal limit among them.
    struct ExportGroup {
        var source: String, kind: RecordKind, files: [Int], maxShare: Double, hasRecordIDs: Bool
    }

    func fullExports(_ staged: [StagedFile]) -> [ExportGroup] {
        var groups: [ExportGroup] = []
        var delta = Set<String>()
        for (source, file) in zip(manifest.sources, staged) {
            let key = source.source + "\u{1F}" + source.kind.rawValue
            if source.mode == .delta { delta.insert(key) }
            if let index = groups.firstIndex(where: { $0.source == source.source && $0.kind == source.kind }) {
                groups[index].files.append(file.fileID)
                groups[index].maxShare = min(groups[index].maxShare, source.maxRemovedShare)
                groups[index].hasRecordIDs = groups[index].hasRecordIDs && file.hasRecordIDs
            } else {
                groups.append(ExportGroup(
                    source: source.source, kind: source.kind, files: [file.fileID], maxShare: source.maxRemovedShare, hasRecordIDs: file.hasRecordIDs))
            }
        }
        return groups.filter { !delta.contains($0.source + "\u{1F}" + $0.kind.rawValue) }
    }
}

extension RunPlan {
    /// The bundled sample's manifest: `MARKETMAP_SAMPLE_DIR`, an installation's
    /// `share/marketmap/sample`, or the checkout's `ops/sample`.
    public static func bundledSample(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let directory = environment["MARKETMAP_SAMPLE_DIR"], !directory.isEmpty {
            return URL(fileURLWithPath: directory).appendingPathComponent("manifest.yaml").path
        }
        let root = Migrator.defaultDirectory(environment: environment).deletingLastPathComponent()
        let installed = root.appendingPathComponent("sample/manifest.yaml")
        if FileManager.default.fileExists(atPath: installed.path) { return installed.path }
        return root.appendingPathComponent("ops/sample/manifest.yaml").path
    }
}

extension RunPlan {
    /// Whether the reporter has taken the finished run.
    public static func isReported(_ run: Int, on db: isolated Connection) throws -> Bool {
        try db.query(RunQueries.reported, run).first?.decode(Bool.self) ?? false
    }
}

extension RunPlan {
    public static func latestMarketRun(on db: isolated Connection) throws -> Int? {
        try db.query(RunQueries.latestMarketRun).first?.decode(Int.self)
    }
}
