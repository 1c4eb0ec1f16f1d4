import ArgumentParser
import SinchformEngine

extension Sinchform {
    /// `sinchform state`: read and change what sinchform.lock records, without any API call.
    struct State: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or change what sinchform.lock records, without any API call.",
            subcommands: [List.self, ShowEntry.self, Forget.self, Move.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the managed resources. Exit 0 / 1.")
            @Argument(help: "Directory of manifests.") var directory = "."

            func run() async throws {
                try await CommandSupport.run {
                    for entry in try Session().stateList(directory) {
                        Output.line("\(entry.address)  \(entry.remoteId)  applied \(entry.appliedAt)")
                    }
                }
            }
        }

        struct ShowEntry: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "show", abstract: "Show one managed resource's lock entry (JSON). Exit 0 / 1.")
            @Argument(help: "Its address.") var address: String
            @Option(help: "Directory of manifests.") var directory = "."

            func run() async throws {
                try await CommandSupport.run {
                    Output.write(try LockFile.json(of: try Session().stateShow(address, directory: directory)))
                }
            }
        }

        struct Forget: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Stop managing resources without deleting them (no API call). Exit 0 / 1.",
                discussion: "A resource still in the manifests is adopted again by the next plan.")
            @Argument(help: "Their addresses.") var addresses: [String]
            @Option(help: "Directory of manifests.") var directory = "."

            func run() async throws {
                try await CommandSupport.run {
                    for address in try await Session().stateForget(addresses, directory: directory) {
                        Output.line("Forgot \(address); it stays in the project.")
                    }
                }
            }
        }

        struct Move: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record a resource under another address (no API call); rollback undoes it. Exit 0 / 1.")
            @Argument(help: "Its address now.") var from: String
            @Argument(help: "Its new address.") var to: String
            @Option(help: "Directory of manifests.") var directory = "."

            func run() async throws {
                try await CommandSupport.run {
                    let moved = try await Session().stateMove(from, to: to, directory: directory)
                    Output.line("Moved \(from) to \(moved).")
                }
            }
        }
    }
}
