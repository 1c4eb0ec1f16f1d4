import ArgumentParser
import SinchformManifest

extension Sinchform {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check manifests offline: syntax, fields, types, limits. Exit 0 when valid, 1 on errors.")

        @Argument(help: "Directory of *.yaml / *.yml manifests, or one file.")
        var directory = "."

        @Option(
            help:
                "Diagnostics as text (standard error), json (one document on standard output: file, line, column, severity, address, message) or github (GitHub Actions workflow commands on standard output)."
        )
        var format: DiagnosticFormat = .text

        func run() async throws {
            let result = await ManifestLoader().load(directory)
            let errors = result.errors.count
            let warnings = result.warnings.count
            let tally = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            switch format {
            case .text:
                for diagnostic in result.diagnostics { Output.error(diagnostic.description) }
            case .json, .github:
                Output.write(format.render(result.diagnostics))
            }
            guard let manifests = result.manifests, errors == 0 else {
                if format != .json { Output.error(tally) }
                throw ExitCode(1)
            }
            guard format == .text else { return }
            let count = manifests.resources.count
            let files = manifests.files.count
            Output.line(
                "\(count) resource\(count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s"): valid"
                    + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
        }
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}
