import ArgumentParser
import MarketMapCore

@main
struct MarketMapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketmap",
        abstract: "Builds and keeps a B2B market map: import, dedupe, enrich, score, territories, reports.",
        discussion: """
            With no database configured (no --database-url, DATABASE_URL or PG* variables),
            marketmap starts a private PostgreSQL under .marketmap/ and stops it on exit.
            """,
        version: ProductVersion.current,
        subcommands: [
            DatabaseCommand.self, ImportCommand.self, MergeCommand.self, WorkerCommand.self, CoordinatorCommand.self, ReporterCommand.self,
            RunCommand.self, StatusCommand.self, PushPlanCommand.self, QueueCommand.self, RunsCommand.self, ConfigCommand.self, SimulatorCommand.self, VersionCommand.self, BenchCommand.self, CheckArgsCommand.self, ClusterPlanCommand.self, ReviewCommand.self,
            HealthCommand.self,
        ]
    )
}
