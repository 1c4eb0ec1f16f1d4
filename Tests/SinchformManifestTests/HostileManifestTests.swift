import Foundation
import SinchformManifest
import Testing

/// Hostile manifest sets load in bounded time and memory: oversized files are refused before parsing, and the
/// alias bomb, deep nesting and invalid UTF-8 fixtures end in located errors quickly. The long seeded mutation run
/// is `sinchform-bench fuzz-manifests --minutes 10`.
@Suite(.serialized) struct HostileManifestTests {
    /// Peak resident memory of this process so far, in MiB (Linux: VmHWM).
    static func peakMemoryMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func timed(_ path: String) async -> (ManifestLoadResult, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = await ManifestLoader(environment: [:]).load(path)
        return (result, clock.now - start)
    }

    @Test func aFileOverSixteenMebibytesIsRefusedBeforeParsing() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Valid YAML all the way, so only the size can reject it.
        var text = "webhooks:\n"
        let entry = "  # " + String(repeating: "padding ", count: 120) + "\n"
        while text.utf8.count <= (16 << 20) + 1024 { text += String(repeating: entry, count: 1000) }
        try text.write(to: directory.appendingPathComponent("big.yaml"), atomically: true, encoding: .utf8)

        let (result, elapsed) = await Self.timed(directory.path)
        let error = try #require(result.errors.first)
        #expect(error.description.contains("big.yaml:1:1: error:"), "\(error)")
        #expect(error.description.contains("larger than the 16777216 bytes"), "\(error)")
        #expect(result.manifests == nil)
        print("a file over 16 MiB refused in \(elapsed)")
    }

    /// A sparse file of 4 GiB costs no disk, but reading it whole would cost 4 GiB of memory: the size must be
    /// checked before the bytes are read.
    @Test func aHugeSparseFileIsRefusedWithoutReadingIt() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("huge.yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("webhooks:\n".utf8)))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 4 << 30)
        try handle.close()
        let before = Self.peakMemoryMiB()
        let (result, elapsed) = await Self.timed(directory.path)
        #expect(result.errors.first?.description.contains("larger than the 16777216 bytes") == true, "\(result.errors)")
        // Alone this takes ~0.1 s (reading it would take ~36 s and 4 GiB): the memory it did not grow is the proof.
        print("a sparse 4 GiB file refused in \(elapsed)")
        #expect(Self.peakMemoryMiB() - before < 64, "refusing read the file")
    }

    @Test func aFileJustUnderTheLimitStillLoads() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        var text = "webhooks:\n  a: {target: https://a.example.com, triggers: [ALL]}\n"
        let comment = "# " + String(repeating: "x", count: 1000) + "\n"
        while text.utf8.count + comment.utf8.count < (16 << 20) - 4096 { text += comment }
        try text.write(to: directory.appendingPathComponent("near-limit.yaml"), atomically: true, encoding: .utf8)
        let (result, elapsed) = await Self.timed(directory.path)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.manifests?.resources.count == 1)
        print("a file just under 16 MiB loaded in \(elapsed)")
    }

    @Test(arguments: ["alias-bomb.yaml", "deep.yaml", "invalid-utf8.yaml"])
    func hostileFixturesFailFastInBoundedMemory(_ name: String) async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = FixturePaths.fixtures.appendingPathComponent("invalid/hostile").appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: directory.appendingPathComponent(name))
        let before = Self.peakMemoryMiB()
        let (result, elapsed) = await Self.timed(directory.path)
        #expect(!result.errors.isEmpty)
        #expect(result.errors.allSatisfy { $0.location?.file.hasSuffix(name) == true }, "\(result.errors)")
        // Bounded in memory (an exponential blow-up would not be); its time is printed, speed is for benchmarks.
        print("\(name) refused in \(elapsed)")
        #expect(Self.peakMemoryMiB() - before < 512, "\(name) grew peak memory too much")
    }

    @Test func manyFilesAndASymlinkLoopStayBounded() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<2000 {
            try "webhooks: {}\n".write(
                to: directory.appendingPathComponent("f\(index).yaml"), atomically: false, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("loop"), withDestinationURL: directory)
        let (result, elapsed) = await Self.timed(directory.path)
        print("2000 files and a symlink loop loaded in \(elapsed)")
        #expect(result.manifests?.resources.isEmpty == true || !result.errors.isEmpty)
    }
}
