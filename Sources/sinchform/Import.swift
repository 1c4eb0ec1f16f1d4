import ArgumentParser
import Foundation
import SinchformEngine
import SinchformManifest

extension Sinchform {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write manifests and sinchform.lock from the live project. Exit 0 on success, 1 on error.",
            discussion: """
                One file per kind (webhooks.yaml, whatsapp-templates.yaml, …), resources named after what \
                identifies them. Write-only values such as webhook secrets cannot be read back and are left out. \
                `plan` right after reports no changes. Existing files are never overwritten without --force.
                """)

        @Option(help: "Directory to write the manifests and sinchform.lock into.") var out = "."
        @Option(
            help: ArgumentHelp(
                "Only these kinds, comma-separated.",
                discussion: "Kinds: \(ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))."),
            transform: Self.parseKinds)
        var kinds: Set<ResourceKind> = Set(ResourceKind.allCases)
        @Flag(help: "Overwrite manifests and a lock file that already exist in --out.") var force = false
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                let result = try await connection.session().importProject(
                    into: out, options: ImportOptions(kinds: kinds, force: force))
                for file in result.files { Output.line("wrote \(file)") }
                Output.line("wrote \(result.lockPath)")
                for note in result.notes { Output.error("note: \(note)") }
                let count = result.addresses.count
                Output.line(
                    "Imported \(count) resource\(count == 1 ? "" : "s"); "
                        + "`sinchform plan \(out)` should now report no changes.")
            }
        }

        /// `webhook,whatsappTemplate` (kind names or their manifest keys) as a set of kinds.
        static func parseKinds(_ text: String) throws -> Set<ResourceKind> {
            var kinds = Set<ResourceKind>()
            for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty
            {
                guard let kind = ResourceKind(rawValue: part) ?? ResourceKind(manifestKey: part) else {
                    throw ValidationError(
                        "unknown kind '\(part)'; use \(ResourceKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kinds.insert(kind)
            }
            guard !kinds.isEmpty else { throw ValidationError("--kinds needs at least one kind") }
            return kinds
        }
    }
}
