import ArgumentParser
import SinchformEngine

extension Sinchform {
    struct Drift: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare live state with what was last applied; read-only.",
            discussion: "Exit 0 no drift, 2 drift, 1 error.")

        @Argument(help: "Directory of manifests.") var directory = "."
        @OptionGroup var output: FormatOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                let drift = try await connection.session().drift(directory)
                Output.write(try output.render(drift, mode: .drift))
                if drift.hasChanges { throw ExitCode(2) }
            }
        }
    }
}
