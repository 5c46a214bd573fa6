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
        // Grouped in the help; every command keeps its name (scripts call them).
        subcommands: [BenchCommand.self, CheckArgsCommand.self, ClusterPlanCommand.self],  // hidden, for ops/ scripts
        groupedSubcommands: [
            CommandGroup(name: "Pipeline", subcommands: [
                RunCommand.self, StatusCommand.self, ImportCommand.self, MergeCommand.self, ReviewCommand.self, MergePlanCommand.self,
                PushPlanCommand.self,
            ]),
            CommandGroup(name: "Fleet", subcommands: [CoordinatorCommand.self, WorkerCommand.self, ReporterCommand.self, RunsCommand.self]),
            CommandGroup(name: "Operate", subcommands: [QueueCommand.self, ConfigCommand.self, HealthCommand.self, VersionCommand.self]),
            CommandGroup(name: "Database", subcommands: [DatabaseCommand.self]),
            CommandGroup(name: "Development", subcommands: [SimulatorCommand.self]),
        ]
    )
}
