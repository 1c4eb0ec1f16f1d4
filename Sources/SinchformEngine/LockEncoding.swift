import Foundation
import SinchformManifest

/// The bytes of `sinchform.lock`, as `JSONEncoder` with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`
/// writes the lock, assembled from the top-level members and one encoded piece per entry. The one way the lock is
/// written: ``LockFile/write(in:)`` encodes every piece once, ``LockWriter`` keeps them across an apply and
/// re-encodes only the entries that change.
struct LockEncoding {
    /// Every entry in the encoder's key order (by UTF-8 bytes) with its `"address" : {entry}` at the nesting depth of
    /// `resources`, encoded when first needed after a change.
    private var rows: [(address: Address, piece: [UInt8]?)]
    private let encoder = LockFile.makeEncoder()

    init(_ lock: LockFile) {
        rows = lock.resources.keys.sorted { $0.description.utf8.lexicographicallyPrecedes($1.description.utf8) }.map {
            ($0, nil)
        }
    }

    /// An entry was added or changed: its piece is encoded again at the next write.
    mutating func changed(_ address: Address, added: Bool) {
        let index = position(address)
        if added {
            rows.insert((address, nil), at: index)
        } else {
            rows[index].piece = nil
        }
    }

    mutating func removed(_ address: Address) {
        let index = position(address)
        if index < rows.count, rows[index].address == address { rows.remove(at: index) }
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

    /// The lock as `JSONEncoder` with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` writes it, as the
    /// parts to write one after another: the entries' pieces are shared, not copied into one buffer (at 10,000
    /// entries that buffer and its copy were 12 MB at every write).
    mutating func parts(of lock: LockFile) throws -> [ArraySlice<UInt8>] {
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
            if rows[index].piece == nil { rows[index].piece = try piece(rows[index].address, in: lock) }
            parts.append(index == 0 ? separator.dropFirst() : separator[...])
            parts.append(rows[index].piece?[...] ?? [])
        }
        parts.append(Array("\n  }".utf8)[...])
        parts.append(frame[(close + 1)...] + [UInt8(ascii: "\n")])
        return parts
    }

    /// Writes `parts` to `path` atomically, through one buffer of 256 KiB.
    static func write(_ parts: [ArraySlice<UInt8>], to path: String) throws {
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

    private func piece(_ address: Address, in lock: LockFile) throws -> [UInt8] {
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
