import ArgumentParser
import SinchformEngine
import SinchformManifest

extension Sinchform {
    /// Prints the generated JSON Schemas; `.ci/run` compares them with the committed `schemas/`.
    struct SchemaCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schema",
            abstract: "Print a generated JSON Schema (manifest or plan).",
            shouldDisplay: false)

        enum Document: String, ExpressibleByArgument, CaseIterable {
            case manifest
            case plan
        }

        @Argument(help: "Which schema: manifest or plan.")
        var document: Document = .manifest

        func run() async throws {
            switch document {
            case .manifest: Output.write(try ManifestJSONSchema.document())
            case .plan: Output.write(try PlanJSONSchema.document())
            }
        }
    }
}
