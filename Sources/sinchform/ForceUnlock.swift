import ArgumentParser
import SinchformEngine

extension Sinchform {
    struct ForceUnlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "force-unlock", abstract: "Remove a stale apply lock by its id.")

        @Argument(help: "The lock id shown by the apply that holds it.") var lockId: String
        @Option(help: "Directory of manifests.") var directory = "."

        func run() async throws {
            try await CommandSupport.run {
                let info = try ApplyLock.forceUnlock(
                    stateDirectory: Workspace(directory: directory).stateDirectory, id: lockId)
                Output.line("Removed \(info).")
            }
        }
    }
}
