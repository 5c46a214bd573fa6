import ArgumentParser

/// `marketmap check-args -- ARGS...`: whether ARGS are a command line this
/// binary accepts, without running it (exit 0, or 1 with the parser's
/// message). Used to validate docker/compose.yaml's commands.
struct CheckArgsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-args", abstract: "Check that a command line parses, without running it.", shouldDisplay: false)

    @Argument(parsing: .remaining, help: "The command line, after --.") var arguments: [String] = []

    func run() throws {
        do {
            let command = try MarketMapCommand.parseAsRoot(arguments)
            print("ok: \(type(of: command))")
        } catch {
            print(MarketMapCommand.message(for: error))
            throw ExitCode(1)
        }
    }
}
