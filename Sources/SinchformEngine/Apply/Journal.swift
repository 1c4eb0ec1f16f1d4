import Foundation
import ProvisioningAPI
import SinchformManifest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What can undo a step, recorded before the step runs.
public struct RollbackNote: Codable, Sendable, Equatable {
    /// The inverse action (`delete` undoes `create`, `update` undoes `update`…), nil when there is none.
    public var inverse: Action?
    /// The state to restore for an inverse update or create (sensitive leaves masked; write-only values absent).
    public var restore: JSONValue?
    /// Why there is no inverse, or what the inverse cannot give back.
    public var note: String
}

/// One line of `.sinchform/journal/TIMESTAMP.jsonl`.
struct JournalEntry: Codable, Sendable, Equatable {
    enum Event: String, Codable, Sendable {
        case apply, start, done, failed, skipped, finish
    }

    var time: String
    var event: Event
    var address: Address?
    var kind: ResourceKind?
    var action: Action?
    /// The request, redacted: the operation and its body with sensitive leaves masked.
    var request: JSONValue?
    /// The live state before the step (comparable view, masked).
    var before: JSONValue?
    /// The state the step left (for rollback's "still as the step left it" check).
    var afterDigest: String?
    var remoteId: RemoteIdentity?
    var rollback: RollbackNote?
    var error: String?
    /// Free text (apply header, summary).
    var message: String?

    init(event: Event, time: Date = Date()) {
        self.event = event
        self.time = Timestamp.iso(time)
    }
}

/// Appends journal lines, each flushed to disk before the call it describes is made and after it returns.
actor Journal {
    let path: String
    private let handle: FileHandle

    /// Creates a new journal file in `directory/journal`, refusing symbolic links at the folders and the file.
    init(directory: String, name: String = Timestamp.fileSafe(Date())) throws {
        let folder = Self.folder(in: directory)
        try AtomicFile.createStateFolder(directory)
        try AtomicFile.createStateFolder(folder)
        var candidate = (folder as NSString).appendingPathComponent(name + ".jsonl")
        var suffix = 1
        var status = stat()
        while lstat(candidate, &status) == 0 {
            try AtomicFile.refuseLink(at: candidate)
            candidate = (folder as NSString).appendingPathComponent("\(name)-\(suffix).jsonl")
            suffix += 1
        }
        let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError(candidate, "be created") }
        path = candidate
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Lines written so far, and how many of them are on disk.
    private var written = 0
    private var durable = 0
    /// The flush in progress: lines appended meanwhile share the next one (group commit).
    private var syncing: (task: Task<Void, any Error>, covered: Int)?

    /// Appends a line; returns once it is on disk, or at once when `waitForDisk` is false (the apply's header and
    /// footer, which no call depends on: the next step's line flushes the header with it).
    ///
    /// Lines are written in call order at once; the flush runs off the actor, so the steps that finish while one
    /// runs are made durable together by the next. Flushing on the actor serialised every step of an apply behind
    /// two fsyncs (about 6 ms a step on a CI disk, whatever the parallelism).
    func append(_ entry: JournalEntry, waitForDisk: Bool = true) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(entry)
        data.append(UInt8(ascii: "\n"))
        try handle.write(contentsOf: data)
        written += 1
        if waitForDisk { try await flush(upTo: written) }
    }

    private func flush(upTo wanted: Int) async throws {
        while durable < wanted {
            let current: (task: Task<Void, any Error>, covered: Int)
            if let syncing {
                current = syncing
            } else {
                let handle = self.handle
                current = (Task.detached { try handle.synchronize() }, written)
                syncing = current
            }
            let result = await current.task.result
            // Whoever resumes first retires the flush, so that no one spins on a finished one.
            if syncing?.task == current.task { syncing = nil }
            try result.get()
            durable = max(durable, current.covered)
        }
    }

    func close() async throws {
        if let syncing { _ = await syncing.task.result }
        try handle.close()
    }

    /// Every entry of a journal file; a torn last line (a crash mid-write) is ignored.
    static func read(_ path: String) throws -> [JournalEntry] {
        let text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? decoder.decode(JournalEntry.self, from: Data($0.utf8)) }
    }

    /// When each resource of `kinds` was deleted by an apply recorded in the state directory's journals (the newest
    /// deletion of each identity).
    /// Journals last written before `since` are not read, and only the lines whose bytes say a delete or replace was
    /// done are decoded (lines are written with sorted keys and no spaces): a plan must not pay for decoding, or even
    /// making strings of, the 20,000 lines of an apply of 10,000 creates.
    static func deletions(
        in stateDirectory: String, of kinds: Set<ResourceKind>, since: Date
    ) -> [RemoteIdentity: Date] {
        var deleted: [RemoteIdentity: Date] = [:]
        let decoder = JSONDecoder()
        let needles = [Array(#""action":"delete""#.utf8), Array(#""action":"replace""#.utf8)]
        for path in files(in: stateDirectory) {
            let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            guard let modified, modified >= since, let data = FileManager.default.contents(atPath: path) else {
                continue
            }
            let entries = needles.flatMap { data.lines(containing: $0) }
                .compactMap { try? decoder.decode(JournalEntry.self, from: $0) }
            for entry in entries where entry.event == .done && (entry.action == .delete || entry.action == .replace) {
                guard let kind = entry.kind, kinds.contains(kind), let identity = entry.remoteId,
                    let time = Timestamp.date(entry.time)
                else { continue }
                deleted[identity] = max(deleted[identity] ?? time, time)
            }
        }
        return deleted
    }

    /// Every journal of a state directory (`journal/*.jsonl`), oldest first (names start with their time).
    static func files(in stateDirectory: String) -> [String] {
        let folder = folder(in: stateDirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    private static func folder(in stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent("journal")
    }
}

enum Timestamp {
    /// The date of an ``iso(_:)`` text, nil when it is not one.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// `20261121T134501.123Z`: sorts by time and is safe in file names.
    static func fileSafe(_ date: Date) -> String {
        iso(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }
}

extension Data {
    /// The lines (without their newline) that contain `needle`, found by a Boyer–Moore–Horspool search (memchr for
    /// the needle's first byte, a quote, stopped at every key and value: 10 ms per plan after an apply of 10,000, on
    /// the plan's critical path). No string is made of the lines that do not match.
    fileprivate func lines(containing needle: [UInt8]) -> [Data] {
        guard let last = needle.last else { return [] }
        // How far the window may move when its last byte is `byte`.
        var shift = [Int](repeating: needle.count, count: 256)
        for (index, byte) in needle.dropLast().enumerated() { shift[Int(byte)] = needle.count - 1 - index }
        let ranges: [Range<Int>] = withUnsafeBytes { haystack in
            let newline = UInt8(ascii: "\n")
            var found: [Range<Int>] = []
            var at = 0
            while at + needle.count <= haystack.count {
                let end = at + needle.count - 1
                guard haystack[end] == last, needle.indices.allSatisfy({ haystack[at + $0] == needle[$0] }) else {
                    at += shift[Int(haystack[end])]
                    continue
                }
                var start = at
                while start > 0, haystack[start - 1] != newline { start -= 1 }
                var stop = end + 1
                while stop < haystack.count, haystack[stop] != newline { stop += 1 }
                found.append(start..<stop)
                at = stop
            }
            return found
        }
        return ranges.map { self[self.startIndex + $0.lowerBound..<self.startIndex + $0.upperBound] }
    }
}
