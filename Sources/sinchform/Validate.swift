import ArgumentParser
import SinchformManifest

extension Sinchform {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check manifests offline: syntax, fields, types, limits. Exit 0 when valid, 1 on errors.")

        @Argument(help: "Directory of *.yaml / *.yml manifests, or one file.")
        var directory = "."

        func run() async throws {
            let result = await ManifestLoader().load(directory)
            for diagnostic in result.diagnostics {
                Output.error(diagnostic.description)
            }
            let errors = result.errors.count
            let warnings = result.warnings.count
            guard let manifests = result.manifests, errors == 0 else {
                Output.error("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
                throw ExitCode(1)
            }
            let count = manifests.resources.count
            let files = manifests.files.count
            Output.line(
                "\(count) resource\(count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s"): valid"
                    + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
        }
    }
}
