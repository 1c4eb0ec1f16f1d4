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
    /// `"address" : {entry}` at the nesting depth of `resources`, by address.
    private var pieces: [String: [UInt8]] = [:]
    /// The addresses in the encoder's key order (by UTF-8 bytes), kept sorted as entries come and go.
    private var order: [String]
    private let encoder = LockFile.makeEncoder()
    /// Changes made so far, and how many of them are on disk.
    private var generation = 0
    private var durable = 0
    /// The write in progress: steps that finish meanwhile wait for it and share the next one (group commit).
    private var writing: (task: Task<Void, any Error>, covered: Int)?

    init(lock: LockFile, directory: String) {
        self.lock = lock
        self.directory = directory
        order = lock.resources.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    var salt: String { lock.salt }

    /// Records an entry; returns once a lock file containing it is on disk.
    func record(_ entry: LockFile.Entry) async throws(EngineError) {
        if lock.resources.updateValue(entry, forKey: entry.address) == nil {
            order.insert(entry.address, at: insertionIndex(entry.address))
        }
        pieces[entry.address] = nil
        generation += 1
        try await persist(generation)
    }

    /// Removes an entry; returns once a lock file without it is on disk.
    func remove(_ address: String) async throws(EngineError) {
        guard lock.resources.removeValue(forKey: address) != nil else { return }
        let index = insertionIndex(address)
        if index < order.count, order[index] == address { order.remove(at: index) }
        pieces[address] = nil
        generation += 1
        try await persist(generation)
    }

    private func insertionIndex(_ address: String) -> Int {
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if order[middle].utf8.lexicographicallyPrecedes(address.utf8) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Writes until change `wanted` is on disk. One write at a time, off the actor, so that the changes recorded
    /// while it runs go out together in the next one: with N resources each write costs O(N), so writing once per
    /// step made an apply O(N²) and bound its pace to one fsync per step.
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
                let bytes: [UInt8]
                do {
                    bytes = try assemble()
                } catch {
                    throw EngineError.lockFile(path, "cannot be written (\(error))")
                }
                current = (Task.detached { try AtomicFile.write(Data(bytes), to: path) }, generation)
                writing = current
            }
            let result = await current.task.result
            // Whoever resumes first retires the write, so that no one spins on a finished one.
            if writing?.task == current.task { writing = nil }
            if case .failure(let error) = result {
                throw EngineError.lockFile(path, "cannot be written (\(error))")
            }
            durable = max(durable, current.covered)
        }
    }

    /// The lock as `JSONEncoder` with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` writes it.
    private func assemble() throws -> [UInt8] {
        var skeleton = lock
        skeleton.resources = [:]
        var bytes = Array(try encoder.encode(skeleton))
        if !lock.resources.isEmpty {
            // The empty `"resources" : {…}` of the skeleton is replaced by the entries. Keys are sorted and every
            // other member is a scalar, so the marker occurs once; quotes inside strings are escaped.
            let marker = Array("\"resources\" : ".utf8)
            guard let start = Self.find(marker, in: bytes),
                let open = bytes[(start + marker.count)...].firstIndex(of: UInt8(ascii: "{")),
                let close = bytes[open...].firstIndex(of: UInt8(ascii: "}"))
            else { throw EngineError.other("unexpected lock file encoding") }
            var members: [UInt8] = [UInt8(ascii: "{")]
            for (index, address) in order.enumerated() {
                members += index == 0 ? Array("\n    ".utf8) : Array(",\n    ".utf8)
                members += try piece(address)
            }
            members += Array("\n  }".utf8)
            bytes.replaceSubrange(open...close, with: members)
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private func piece(_ address: String) throws -> [UInt8] {
        if let cached = pieces[address] { return cached }
        guard let entry = lock.resources[address] else { return [] }
        var piece = Array(try encoder.encode(address))
        piece += Array(" : ".utf8)
        // Two levels deeper than at the top: every line but an empty one (the inside of an empty object) gains four
        // spaces; strings escape their newlines, so each newline here is structural.
        let encoded = Array(try encoder.encode(entry))
        for (index, byte) in encoded.enumerated() {
            piece.append(byte)
            if byte == UInt8(ascii: "\n"), index + 1 < encoded.count, encoded[index + 1] != UInt8(ascii: "\n") {
                piece += [0x20, 0x20, 0x20, 0x20]
            }
        }
        pieces[address] = piece
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
