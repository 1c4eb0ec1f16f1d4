import Foundation
import ProvisioningAPI
import SinchformManifest

/// Owns the lock file during an apply: every successful step updates its entry and rewrites the file atomically,
/// so a crash or kill at any moment leaves a lock that matches what was really done.
///
/// Each entry's JSON is encoded once, when it changes, and the file is assembled from those pieces: encoding the
/// whole lock on every step made an apply of N creates cost O(N²) encodes (about 30 ms a step at 1,000 resources).
/// The bytes are the same as ``LockFile/write(in:)`` writes (pretty-printed, sorted keys).
actor LockWriter {
    private(set) var lock: LockFile
    private let directory: String
    private var bumped = false
    /// Every entry in the encoder's key order (by UTF-8 bytes) with its `"address" : {entry}` at the nesting depth of
    /// `resources`, encoded when first needed after a change.
    private var rows: [(address: Address, piece: [UInt8]?)]
    private let encoder = LockFile.makeEncoder()
    /// Changes made so far, and how many of them are on disk.
    private var generation = 0
    private var durable = 0
    /// The write in progress: steps that finish meanwhile wait for it and share the next one (group commit).
    private var writing: (task: Task<Void, any Error>, covered: Int)?
    /// When the last write started and how long it took: the next one waits as long again, so that rewriting a
    /// large lock takes at most half of a core while the API calls go on.
    private var lastWrite: (start: ContinuousClock.Instant, duration: Duration)?

    init(lock: LockFile, directory: String) {
        self.lock = lock
        self.directory = directory
        rows = lock.resources.keys.sorted { $0.description.utf8.lexicographicallyPrecedes($1.description.utf8) }.map {
            ($0, nil)
        }
    }

    var salt: String { lock.salt }

    /// Records an entry; returns once a lock file containing it is on disk.
    func record(_ entry: LockFile.Entry) async throws(EngineError) {
        let index = position(entry.address)
        if lock.resources.updateValue(entry, forKey: entry.address) == nil {
            rows.insert((entry.address, nil), at: index)
        } else {
            rows[index].piece = nil
        }
        generation += 1
        try await persist(generation)
    }

    /// Removes an entry; returns once a lock file without it is on disk.
    func remove(_ address: Address) async throws(EngineError) {
        guard lock.resources.removeValue(forKey: address) != nil else { return }
        let index = position(address)
        if index < rows.count, rows[index].address == address { rows.remove(at: index) }
        generation += 1
        try await persist(generation)
    }

    /// Where `address` is in `rows`, or would be inserted.
    private func position(_ address: Address) -> Int {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].address.description.utf8.lexicographicallyPrecedes(address.description.utf8) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// Writes until change `wanted` is on disk. One write at a time, off the actor, so that the changes recorded
    /// while it runs go out together in the next one: with N resources each write costs O(N), so writing once per
    /// step made an apply O(N²).
    private func persist(_ wanted: Int) async throws(EngineError) {
        if !bumped {
            lock.serial += 1
            bumped = true
        }
        let path = (directory as NSString).appendingPathComponent(LockFile.fileName)
        while durable < wanted {
            let current: (task: Task<Void, any Error>, covered: Int)
            if let writing {
                current = writing
            } else {
                let pause = lastWrite.map { $0.duration * 2 - (ContinuousClock.now - $0.start) } ?? .zero
                let started: (task: Task<Void, any Error>, covered: Int)
                if pause > .milliseconds(1) {
                    // The write starts after the pause, and covers what is recorded until then.
                    started = (Task { try await Task.sleep(for: pause) }, -1)
                } else {
                    let parts: [ArraySlice<UInt8>]
                    do {
                        parts = try assemble()
                    } catch {
                        throw EngineError.lockFile(path, "cannot be written (\(error))")
                    }
                    let start = ContinuousClock.now
                    started = (Task.detached { try Self.write(parts, to: path) }, generation)
                    lastWrite = (start, .zero)
                }
                writing = started
                current = started
            }
            let result = await current.task.result
            // Whoever resumes first retires the write, so that no one spins on a finished one.
            if writing?.task == current.task {
                writing = nil
                if current.covered >= 0, let last = lastWrite {
                    lastWrite = (last.start, ContinuousClock.now - last.start)
                }
            }
            if case .failure(let error) = result, current.covered >= 0 {
                throw EngineError.lockFile(path, "cannot be written (\(error))")
            }
            durable = max(durable, current.covered)
        }
    }

    /// The lock as `JSONEncoder` with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` writes it, as the
    /// parts to write one after another: the entries' pieces are shared, not copied into one buffer (at 10,000
    /// entries that buffer and its copy were 12 MB at every write).
    private func assemble() throws -> [ArraySlice<UInt8>] {
        var skeleton = lock
        skeleton.resources = [:]
        let frame = Array(try encoder.encode(skeleton))
        guard !rows.isEmpty else { return [frame[...], [UInt8(ascii: "\n")]] }
        // The empty `"resources" : {…}` of the skeleton is replaced by the entries. Keys are sorted and every other
        // member is a scalar, so the marker occurs once; quotes inside strings are escaped.
        let marker = Array("\"resources\" : ".utf8)
        guard let start = Self.find(marker, in: frame),
            let open = frame[(start + marker.count)...].firstIndex(of: UInt8(ascii: "{")),
            let close = frame[open...].firstIndex(of: UInt8(ascii: "}"))
        else { throw EngineError.lockFile(LockFile.fileName, "unexpected lock file encoding") }
        var parts: [ArraySlice<UInt8>] = []
        parts.reserveCapacity(rows.count * 2 + 3)
        parts.append(frame[...open])
        let separator = Array(",\n    ".utf8)
        for index in rows.indices {
            if rows[index].piece == nil { rows[index].piece = try piece(rows[index].address) }
            parts.append(index == 0 ? separator.dropFirst() : separator[...])
            parts.append(rows[index].piece?[...] ?? [])
        }
        parts.append(Array("\n  }".utf8)[...])
        parts.append(frame[(close + 1)...] + [UInt8(ascii: "\n")])
        return parts
    }

    /// Writes `parts` to `path` atomically, through one buffer of 256 KiB.
    private static func write(_ parts: [ArraySlice<UInt8>], to path: String) throws {
        try AtomicFile.write(to: path) { handle in
            let capacity = 256 << 10
            var buffer: [UInt8] = []
            buffer.reserveCapacity(capacity)
            for part in parts {
                if buffer.count + part.count > capacity, !buffer.isEmpty {
                    try handle.write(contentsOf: Data(buffer))
                    buffer.removeAll(keepingCapacity: true)
                }
                buffer += part
            }
            try handle.write(contentsOf: Data(buffer))
        }
    }

    private func piece(_ address: Address) throws -> [UInt8] {
        guard let entry = lock.resources[address] else { return [] }
        let name = try encoder.encode(address)
        // Two levels deeper than at the top: every line but an empty one (the inside of an empty object) gains four
        // spaces; strings escape their newlines, so each newline here is structural.
        let encoded = Array(try encoder.encode(entry))
        let newlines = encoded.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        var piece: [UInt8] = []
        piece.reserveCapacity(name.count + 3 + encoded.count + 4 * newlines)
        piece += name
        piece += " : ".utf8
        for (index, byte) in encoded.enumerated() {
            piece.append(byte)
            if byte == UInt8(ascii: "\n"), index + 1 < encoded.count, encoded[index + 1] != UInt8(ascii: "\n") {
                piece += [0x20, 0x20, 0x20, 0x20]
            }
        }
        return piece
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}
