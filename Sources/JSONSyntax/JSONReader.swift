import Foundation

/// Reads a JSON document member by member, for a caller that maps a large document straight into its own types:
/// only the values it asks for become ``JSONValue`` trees. (The lock file of 10,000 entries, read as one tree and then
/// mapped, cost a plan ~0.1 s before its refresh could start.) The same grammar and code as ``JSONValue/parse(_:)``.
public struct JSONReader {
    @usableFromInline var parser: JSONParser<JSONValue>

    @inlinable init(_ parser: JSONParser<JSONValue>) {
        self.parser = parser
    }

    /// What `body` makes of the one value `bytes` hold (surrounding whitespace and a byte order mark allowed); nil
    /// when `body` returns nil or anything else follows the value it read.
    @inlinable public static func read<Bytes: ContiguousBytes, Result>(
        _ bytes: Bytes, _ body: (inout JSONReader) throws -> Result?
    ) rethrows -> Result? {
        try bytes.withUnsafeBytes { raw in
            var reader = JSONReader(JSONParser(document: raw.assumingMemoryBound(to: UInt8.self)))
            guard let result = try body(&reader), reader.parser.isAtEnd() else { return nil }
            return result
        }
    }

    /// Whether the next value is an object (nothing is read).
    @inlinable public mutating func nextIsObject() -> Bool {
        parser.skipWhitespace()
        return parser.index < parser.bytes.count && parser.bytes[parser.index] == UInt8(ascii: "{")
    }

    /// The next value, as a tree; nil when it is not JSON.
    @inlinable public mutating func value() -> JSONValue? {
        parser.value()
    }

    /// The next value, as a tree shared with the value read before from the same text, if any: a document that
    /// writes one value many times (a lock file's field lists, the same for every resource of a kind) builds it once.
    /// `seen` holds the trees read so far by their text; nil when the value is not JSON.
    @inlinable public mutating func value(sharing seen: inout [String: JSONValue]) -> JSONValue? {
        parser.skipWhitespace()
        let start = parser.index
        // Skipping checks the grammar without building anything but the keys of objects.
        guard parser.skip() else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: parser.bytes[start..<parser.index]), as: UTF8.self)
        if let value = seen[text] { return value }
        let end = parser.index
        parser.index = start
        guard let value = parser.value(), parser.index == end else { return nil }
        seen[text] = value
        return value
    }

    /// Reads the next value, which must be an object (see ``nextIsObject()``), member by member: `member` is called
    /// with each key and the reader at the member's value, which it must read. False when the object is not JSON or
    /// `member` returns false.
    @inlinable public mutating func object(_ member: (inout JSONReader, String) throws -> Bool) rethrows -> Bool {
        guard nextIsObject() else { return false }
        return try parser.members { parser, key in
            // The parser is lent to a reader and taken back, moved rather than copied (a copy would share the
            // parser's stack of pending members, and the next object read would copy it).
            var reader = JSONReader(JSONParser(parser.bytes))
            swap(&reader.parser, &parser)
            defer { swap(&reader.parser, &parser) }
            return try member(&reader, key)
        }
    }
}
