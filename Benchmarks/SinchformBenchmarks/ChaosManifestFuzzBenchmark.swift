import ArgumentParser
import Foundation
import SinchformManifest
import SinchformTestSupport

/// `sinchform-bench fuzz-manifests --minutes 10`: seeded mutations of real manifests fed to the loader for a fixed
/// time. Reports iterations, outcomes, diagnostics without a location and the slowest input. A crash ends the
/// process; the seed and iteration printed at the start and every 10 s replay it.
struct ChaosManifestFuzzBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-manifests", abstract: "Seeded mutation run of the manifest loader for a fixed time.")

    @Option(help: "How long to run.") var minutes: Double = 10
    @Option(help: "Seed of the mutation generator.") var seed: UInt64 = 20_261_121
    @Option(help: "Stop after this many inputs even if time is left.") var maxIterations = 100_000_000

    func run() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let sources = [
            root.appendingPathComponent("examples/quickstart"),
            root.appendingPathComponent("Tests/SinchformManifestTests/Fixtures/valid"),
        ]
        let seeds = sources.flatMap { Self.yamlFiles(below: $0) }.compactMap { try? Data(contentsOf: $0) }
        guard !seeds.isEmpty else { throw ValidationError("no seed manifests found below \(root.path)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-fuzz-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("mutant.yaml")
        let environment = ["OPS_WEBHOOK_SECRET": "s", "AUDIT_WEBHOOK_SECRET": "a", "BENCH_SECRET": "b"]
        let loader = ManifestLoader(environment: environment)

        print("fuzz-manifests: seed \(seed), \(seeds.count) seed files, \(minutes) min")
        var generator = SplitMix64(state: seed)
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int64(minutes * 60_000))
        var lastReport = start
        var iterations = 0
        var loaded = 0
        var rejected = 0
        var unlocated = 0
        var slowest: (Duration, Int) = (.zero, 0)
        var largest = 0
        while clock.now < end && iterations < maxIterations {
            let mutated = Self.mutate(seeds[Int.random(in: 0..<seeds.count, using: &generator)], using: &generator)
            largest = max(largest, mutated.count)
            try mutated.write(to: file)
            let begin = clock.now
            let result = await loader.load(directory.path)
            let elapsed = clock.now - begin
            if elapsed > slowest.0 { slowest = (elapsed, iterations) }
            if result.errors.isEmpty { loaded += 1 } else { rejected += 1 }
            unlocated += result.diagnostics.filter { $0.location == nil }.count
            iterations += 1
            if clock.now - lastReport > .seconds(10) {
                lastReport = clock.now
                print("  … iteration \(iterations) (seed \(seed)), slowest so far \(slowest.0) at #\(slowest.1)")
            }
        }
        print(
            "fuzz-manifests: \(iterations) inputs in \(clock.now - start), crashes 0, loaded \(loaded), "
                + "rejected \(rejected), diagnostics without location \(unlocated), max time per input "
                + "\(slowest.0) (input #\(slowest.1)), largest input \(largest) bytes")
        if unlocated > 0 { throw ExitCode(1) }
    }

    static func yamlFiles(below directory: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter {
            $0.pathExtension == "yaml" || $0.pathExtension == "yml"
        }
        .sorted { $0.path < $1.path }
    }

    /// One to six edits: byte flips, truncation, random bytes, hostile YAML fragments, deletions, duplicated
    /// lines, re-indentation.
    static func mutate(_ data: Data, using generator: inout SplitMix64) -> Data {
        var bytes = [UInt8](data)
        let fragments = [
            "&a [x, x, x, x, x, x, x, x, x, x]", "[*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "*undefined",
            String(repeating: "{k: ", count: 2000), String(repeating: "- ", count: 3000), "${env.", "${env.UNSET_X}",
            "${env.OPS_WEBHOOK_SECRET}", "!!python/object", "!!binary |\n  AAAA", "? [a, b]\n: c", "<<: *a",
            "\u{FEFF}", "\u{0}", "\r\n", "---\n...\n---\n", "%YAML 1.1\n---\n", "'unterminated", "\"\\u12\"",
            "lifecycle: {protect: true, ignoreChanges: [\"\"]}", "triggers: [ALL, ALL, ALL]", "\u{202E}",
            String(repeating: "9", count: 400), "1e99999", "-.inf", "0x", "~", "null", "[]", "{}",
        ]
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &generator)
            switch Int.random(in: 0..<8, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            case 1:
                bytes.removeSubrange(position...)
            case 2:
                let count = Int.random(in: 1...16, using: &generator)
                bytes.insert(
                    contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: position)
            case 3:
                let fragment = fragments[Int.random(in: 0..<fragments.count, using: &generator)]
                bytes.insert(contentsOf: Array(fragment.utf8), at: position)
            case 4 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...64, using: &generator)))
            case 5:
                let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                let line = lines[Int.random(in: 0..<lines.count, using: &generator)]
                let copies = Int.random(in: 1...50, using: &generator)
                bytes.insert(
                    contentsOf: Array(repeating: Array(line) + [UInt8(ascii: "\n")], count: copies).joined(),
                    at: position)
            case 6:
                bytes.insert(
                    contentsOf: Array(repeating: UInt8(ascii: " "), count: Int.random(in: 1...9, using: &generator)),
                    at: position)
            default:
                bytes.insert(UInt8(ascii: "\t"), at: position)
            }
        }
        return Data(bytes)
    }
}
