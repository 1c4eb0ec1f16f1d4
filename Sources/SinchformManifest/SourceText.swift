/// The bytes of one manifest file, to point at a place inside a scalar (libyaml gives where a scalar starts only).
struct SourceText: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Where the `occurrence`-th (0-based) `needle` at or after `start` is, or `start` when the file does not hold
    /// it (a double-quoted scalar may spell `$` as an escape). Scalars keep `${` as written, escaped or not, so the
    /// n-th in the parsed text is the n-th in the source from the scalar's start.
    func location(ofOccurrence occurrence: Int, of needle: String, from start: SourceLocation) -> SourceLocation {
        let needle = Array(needle.utf8)
        guard let first = needle.first, var index = offset(of: start) else { return start }
        var line = start.line
        var column = start.column
        var remaining = occurrence
        while index + needle.count <= bytes.count {
            let byte = bytes[index]
            if byte == first, bytes[index..<(index + needle.count)].elementsEqual(needle) {
                if remaining == 0 { return SourceLocation(file: start.file, line: line, column: column) }
                remaining -= 1
            }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // libyaml counts columns in characters: continuation bytes of UTF-8 do not move it.
                column += 1
            }
            index += 1
        }
        return start
    }

    /// The byte offset of a 1-based line and character column, or nil outside the file.
    private func offset(of location: SourceLocation) -> Int? {
        var index = 0
        var line = 1
        while line < location.line {
            guard let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            index = newline + 1
            line += 1
        }
        var column = 1
        while column < location.column {
            guard index < bytes.count else { return nil }
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            column += 1
        }
        return index
    }
}
