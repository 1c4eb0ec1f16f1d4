import ArgumentParser
import Foundation
import SinchformEngine

extension Sinchform {
    struct RollbackCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rollback",
            abstract: "Undo a recorded apply where the API allows, newest step first.",
            discussion: "Steps whose resource changed since the apply are skipped and explained. Exit 0 / 1.")

        @Argument(help: "A journal (.sinchform/journal/*.jsonl); default: the latest in --directory.") var journal:
            String?
        @Option(help: "Directory of manifests (to find the latest journal).") var directory = "."
        @Flag(help: "Roll back without asking.") var autoApprove = false
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                guard let path = journal ?? Journal.latest(in: Workspace(directory: directory).stateDirectory) else {
                    throw EngineError.missing("no journal in \(Workspace(directory: directory).stateDirectory)/journal")
                }
                let rollback = Rollback(journalPath: path)
                let workspace = Workspace(directory: rollback.workspaceDirectory)
                if !autoApprove && isatty(STDIN_FILENO) != 1 {
                    throw EngineError.needsConfirmation("rollback")
                }
                let lock = try await ApplyLock.acquire(
                    stateDirectory: workspace.stateDirectory, command: CommandLine.arguments.joined(separator: " "))
                defer { lock.release() }
                guard let project = try workspace.readLock()?.project ?? workspace.environment["SINCH_PROJECT_ID"]
                else {
                    throw EngineError.configuration("no sinchform.lock in \(workspace.root) and no SINCH_PROJECT_ID")
                }
                let outcome = try await CommandSupport.withClient(workspace, project: project, connection: connection) {
                    client in
                    let steps = try await rollback.plan(client: client)
                    Output.line("Rollback of \(path):")
                    for step in steps {
                        let verb = step.inverse.map { "\($0.rawValue) (undoes \(step.recorded.rawValue))" } ?? "none"
                        Output.line(
                            "  \(step.address): \(step.skipReason == nil ? verb : "skip — \(step.skipReason ?? "")")")
                    }
                    let runnable = steps.filter { $0.skipReason == nil }
                    guard !runnable.isEmpty else {
                        Output.line("Nothing to roll back.")
                        return (0, 0)
                    }
                    if !autoApprove {
                        Output.write("\nRoll back \(runnable.count) step(s)? Only 'yes' is accepted: ")
                        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                            throw EngineError.cancelled("rollback")
                        }
                    }
                    let result = try await rollback.execute(steps, workspace: workspace, client: client)
                    for (_, message) in result.failed { Output.line("  failed: \(message)") }
                    return (result.done.count, result.failed.count)
                }
                Output.line("Rollback: \(outcome.0) done, \(outcome.1) failed.")
                if outcome.1 > 0 { throw ExitCode(1) }
            }
        }
    }
}
