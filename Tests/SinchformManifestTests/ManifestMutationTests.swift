import Foundation
import SinchformTestSupport
import Testing

@testable import SinchformManifest

/// Feeds thousands of mutated manifests to the loader: none may crash or hang, and each either loads or is
/// rejected with located errors.
@Suite struct ManifestMutationTests {
    static let seeds: [Data] = {
        let directories = [
            FixturePaths.packageRoot.appendingPathComponent("examples/quickstart"),
            FixturePaths.fixtures.appendingPathComponent("valid/quickstart-like"),
        ]
        return directories.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .compactMap { try? Data(contentsOf: directory.appendingPathComponent($0)) }
        }
    }()

    static func mutate(_ data: Data, using generator: inout SplitMix64) -> Data {
        var bytes = [UInt8](data)
        let fragments: [String] = [
            "\n  bomb: &a [x, x, x, x, x, x, x, x]\n  b2: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n  b3: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
            String(repeating: "[", count: 1500), String(repeating: "{a: ", count: 400),
            "\n" + String(repeating: "x", count: 100_000) + "\n", "${env.", "${env.SINCHFORM_MUTATION_UNSET}", "\t",
            ": :", "- - - -", "&anchor", "*missing", "<<: *x", "!!binary", "? complex\n: key", "\u{0}", "---\n",
            "\"unterminated", "webhooks:\n  x: {target: https://t.example.com, triggers: [ALL]}\n",
        ]
        let operations = Int.random(in: 1...4, using: &generator)
        for _ in 0..<operations {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &generator)
            switch Int.random(in: 0..<7, using: &generator) {
            case 0 where !bytes.isEmpty:
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] ^= UInt8.random(in: 1...255, using: &generator)
            case 1:
                bytes.removeSubrange(position..<bytes.count)
            case 2:
                bytes.insert(
                    contentsOf: (0..<Int.random(in: 1...8, using: &generator)).map { _ in
                        UInt8.random(in: 0...255, using: &generator)
                    }, at: position)
            case 3:
                let fragment = fragments[Int.random(in: 0..<fragments.count, using: &generator)]
                bytes.insert(contentsOf: Array(fragment.utf8), at: position)
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...40, using: &generator))
                bytes.removeSubrange(position..<end)
            case 5:
                let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                let line = lines[Int.random(in: 0..<lines.count, using: &generator)]
                bytes.insert(contentsOf: Array(line) + [UInt8(ascii: "\n")], at: position)
            default:
                bytes.insert(contentsOf: Array("    ".utf8), at: position)
            }
        }
        return Data(bytes)
    }

    @Test func mutatedManifestsNeverCrashAndAlwaysLocateTheirErrors() {
        var generator = SplitMix64(state: 20_261_121)
        let iterations = 3000
        var loaded = 0
        var rejected = 0
        for iteration in 0..<iterations {
            let seed = Self.seeds[iteration % Self.seeds.count]
            let mutated = Self.mutate(seed, using: &generator)
            let contents = FileContents.parse(
                mutated, file: "mutant.yaml", environment: ["OPS_WEBHOOK_SECRET": "s", "AUDIT_WEBHOOK_SECRET": "a"])
            let lineCount = mutated.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            let errors = contents.diagnostics.filter { $0.severity == .error }
            if errors.isEmpty { loaded += 1 } else { rejected += 1 }
            for diagnostic in contents.diagnostics {
                guard let location = diagnostic.location else {
                    Issue.record("iteration \(iteration): diagnostic without a location: \(diagnostic)")
                    continue
                }
                #expect(location.file == "mutant.yaml")
                #expect(location.line >= 1 && location.line <= lineCount + 1, "iteration \(iteration): \(diagnostic)")
                #expect(location.column >= 1, "iteration \(iteration): \(diagnostic)")
                #expect(!diagnostic.message.isEmpty)
            }
            for resource in contents.resources {
                #expect(resource.address.description.hasPrefix(resource.kind.rawValue + "."))
            }
        }
        // Both outcomes must really occur, or the mutations are not exercising anything.
        #expect(loaded > 50, "loaded \(loaded)")
        #expect(rejected > 500, "rejected \(rejected)")
    }
}
