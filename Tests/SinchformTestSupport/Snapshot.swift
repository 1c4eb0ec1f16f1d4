import Foundation

/// Golden files compared exactly; with `RECORD_SNAPSHOTS=1` in the environment they are rewritten from what the
/// test produced.
public enum Snapshot {
    public static var recording: Bool {
        let value = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] ?? ""
        return !value.isEmpty && value != "0"
    }

    /// No golden file yet.
    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "no golden file \(path); record it with RECORD_SNAPSHOTS=1" }
    }

    /// The golden text `actual` is to equal: when recording, `actual` is first written to `file`.
    ///
    /// Use as `#expect(actual == (try Snapshot.expected(actual, in: file)))`.
    public static func expected(_ actual: String, in file: URL) throws -> String {
        if recording {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
        }
        guard FileManager.default.fileExists(atPath: file.path) else { throw Missing(path: file.path) }
        return try String(contentsOf: file, encoding: .utf8)
    }
}
