import ArgumentParser
import SinchformManifest

extension Sinchform {
    /// Prints the generated JSON Schemas; `.ci/run` compares them with the committed `schemas/`.
    struct SchemaCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schema",
            abstract: "Print a generated JSON Schema (manifest).",
            shouldDisplay: false)

        enum Document: String, ExpressibleByArgument, CaseIterable {
            case manifest
        }

        @Argument(help: "Which schema: manifest.")
        var document: Document = .manifest

        func run() async throws {
            switch document {
            case .manifest: Output.write(try ManifestJSONSchema.document())
            }
        }
    }
}
