/// One JSON value, one level deep: what ``JSONParser`` builds from and ``JSONWriter`` writes from. A JSON tree type
/// (``JSONValue``, the emulator's `JSON`) converts to and from it, so both share one parser and one
/// writer while neither depends on the other.
public enum JSONNode<Value> {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Value])
    /// Sorted by key (`String`'s `<`), no key twice: the order the writer writes.
    case object([(key: String, value: Value)])
}

/// A JSON tree type: built from a ``JSONNode`` of its own values, and seen as one.
public protocol JSONTree {
    init(node: JSONNode<Self>)
    var node: JSONNode<Self> { get }
}

/// Which parts of a document to build: the rest is read as strictly (a document that is not JSON anywhere is refused)
/// but skipped, not built. A list page names the members of its items that its caller reads: the API's server fields
/// (ids, timestamps, credentials, per-country states) never become trees only to be dropped.
public indirect enum JSONProjection: Sendable {
    /// The whole value.
    case all
    /// Of an object, the members named, each as its projection says (the others skipped); of an array, each element
    /// the same way; any other value whole.
    case members([String: JSONProjection])
}

/// A strict RFC 8259 parser straight from UTF-8 bytes to any ``JSONTree``.
///
/// It replaces JSONSerialization (whose `Any` tree had to be bridged value by value) in the emulator and
/// `JSONDecoder` in the client (a Codable round per value): both spent most of their time there on large lists.
/// Inlinable, so each tree type gets a specialised copy.
@usableFromInline
struct JSONParser<Value: JSONTree> {
    /// Deeper nesting is rejected (as JSONSerialization does), so hostile bodies cannot exhaust the stack.
    @usableFromInline static var maximumDepth: Int { 512 }

    /// The bytes, read without a bounds check or reference count per byte (the array outlives the parser: see
    /// ``parse(_:)``). Every read is guarded by `index < bytes.count`.
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var index = 0
    @usableFromInline var depth = 0
    /// The members of the objects being parsed, innermost last (see ``object()``).
    @usableFromInline var pending: [(key: String, value: Value)] = []
    /// The elements of the arrays being parsed, innermost last (see ``array(_:)``).
    @usableFromInline var pendingElements: [Value] = []

    @inlinable init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The value `bytes` hold (any value at the top level, surrounding whitespace allowed), or nil when they are not
    /// exactly one JSON value.
    @inlinable static func parse(_ bytes: [UInt8], keeping projection: JSONProjection = .all) -> Value? {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(document: buffer)
            guard let value = parser.value(projection), parser.isAtEnd() else { return nil }
            return value
        }
    }

    /// A parser at the start of a whole document: a UTF-8 byte order mark is tolerated, as JSONSerialization does.
    @inlinable init(document bytes: UnsafeBufferPointer<UInt8>) {
        self.init(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Whether nothing but whitespace is left.
    @inlinable mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    @inlinable mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next value with only the parts `projection` names built (see ``JSONProjection``); nil when it is not JSON.
    @inlinable mutating func value(_ projection: JSONProjection) -> Value? {
        guard case let .members(wanted) = projection else { return value() }
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(keeping: wanted)
        case UInt8(ascii: "["): return array(projection)
        default: return value()
        }
    }

    /// Reads the next value without building it: the grammar, the UTF-8 check and the depth limit of ``value()``,
    /// with nothing allocated but the keys of the objects it passes. False when it is not JSON.
    @inlinable mutating func skip() -> Bool {
        skipWhitespace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"): return members { parser, _ in parser.skip() }
        case UInt8(ascii: "["): return elements { $0.skip() }
        case UInt8(ascii: "\""): return skipString()
        // A literal or a number is no allocation.
        default: return value() != nil
        }
    }

    /// ``string()`` without the string: plain ASCII is scanned here, escapes and other bytes are read by ``string()``.
    @inlinable mutating func skipString() -> Bool {
        let start = index
        index += 1
        skipPlainASCII()
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return true
            }
            if byte == UInt8(ascii: "\\") || byte >= 0x80 {
                index = start
                return string() != nil
            }
            if byte < 0x20 { return false }
            index += 1
        }
        return false
    }

    @inlinable mutating func value() -> Value? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map { Value(node: .string($0)) }
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    @inlinable mutating func literal(_ text: StaticString, _ value: JSONNode<Value>) -> Value? {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        let matches = text.withUTF8Buffer { expected in
            bytes[index..<(index + count)].elementsEqual(expected)
        }
        guard matches else { return nil }
        index += count
        return Value(node: value)
    }

    /// The object at `index`: every member, or (given `wanted`) only the members it names, each with its own
    /// projection, the others skipped.
    @inlinable mutating func object(keeping wanted: [String: JSONProjection]? = nil) -> Value? {
        // The members wait on one stack shared by every nesting level, so that each object's array is made once at
        // its final size instead of growing (1, 2, 4, 8…): a large answer has thousands of objects.
        let first = pending.count
        defer { pending.removeSubrange(first...) }
        let complete = members { parser, key in
            let member: Value?
            if let wanted {
                guard let projection = wanted[key] else { return parser.skip() }
                member = parser.value(projection)
            } else {
                member = parser.value()
            }
            guard let member else { return false }
            parser.pending.append((key, member))
            return true
        }
        guard complete else { return nil }
        // A repeated key keeps its last value, as before.
        let members = SortedMembers<Value>.canonical(Self.moveTop(of: &pending, from: first)) { _, last in last }
        return Value(node: .object(members))
    }

    /// Reads the object at `index` key by key: `member` is called with each key and the parser at the member's value,
    /// which it must read. False when the object is not JSON or `member` returns false.
    @inlinable mutating func members(_ member: (inout Self, consuming String) throws -> Bool) rethrows -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { return false }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            guard try member(&self, key) else { return false }
            skipWhitespace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return true
            default: return false
            }
        }
    }

    /// The array at `index`, each element read with `projection`.
    @inlinable mutating func array(_ projection: JSONProjection = .all) -> Value? {
        // The elements wait on a stack shared by every nesting level, as an object's members do (see ``object()``):
        // each array is made once at its final size, where one grown by appending was made again at 1, 2, 4, 8…
        // elements (a list page's hundreds of items, and every short list within them).
        let first = pendingElements.count
        defer { pendingElements.removeSubrange(first...) }
        let complete = elements { parser in
            guard let element = parser.value(projection) else { return false }
            parser.pendingElements.append(element)
            return true
        }
        guard complete else { return nil }
        return Value(node: .array(Self.moveTop(of: &pendingElements, from: first)))
    }

    /// The elements of `stack` from `first` on, moved off it (last first) into an array of their own, in order: a
    /// copy of them would retain each one, and the stack's removal release them again.
    @inlinable static func moveTop<Element>(of stack: inout [Element], from first: Int) -> [Element] {
        let count = stack.count - first
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            for position in (0..<count).reversed() { buffer.initializeElement(at: position, to: stack.removeLast()) }
            initialized = count
        }
    }

    /// Reads the array at `index` element by element: `element` is called with the parser at each element, which it
    /// must read. False when the array is not JSON or `element` returns false.
    @inlinable mutating func elements(_ element: (inout Self) -> Bool) -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { return false }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return true
        }
        while true {
            guard element(&self) else { return false }
            skipWhitespace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return true
            default: return false
            }
        }
    }

    /// Moves past the bytes of a string's text that need no look (printable ASCII but `"` and `\`), eight at a time,
    /// stopping at the first word that holds any other byte: the byte loops after it read that one. (The byte loop
    /// alone was a third of the parser's own time on list pages, whose template texts run to hundreds of bytes.)
    @inlinable mutating func skipPlainASCII() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        // Non-zero when a byte of `word` is below `limit` (at most 0x80), and only then.
        func anyBelow(_ word: UInt64, _ limit: UInt64) -> Bool { (word &- ones &* limit) & ~word & high != 0 }
        let raw = UnsafeRawBufferPointer(bytes)
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let stops =
                word & high != 0 || anyBelow(word, 0x20) || anyBelow(word ^ (ones &* 0x22), 1)
                || anyBelow(word ^ (ones &* 0x5C), 1)
            if stops { return }
            index += 8
        }
    }

    /// A string starting at the opening quote; nil on a raw control character, a bad escape or invalid UTF-8.
    @inlinable mutating func string() -> String? {
        index += 1
        let start = index
        skipPlainASCII()
        var ascii = true
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = Self.text(UnsafeBufferPointer(rebasing: bytes[start..<index]), ascii: ascii)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return decoded.withUnsafeBufferPointer { Self.text($0, ascii: false) }
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    decoded.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                decoded.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// The scalar of `\uXXXX` (the `\u` already read), joining a surrogate pair written as two escapes.
    @inlinable mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let unit = hexUnit() else { return nil }
        if (0xD800..<0xDC00).contains(unit) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { return nil }
            index += 2
            guard let low = hexUnit(), (0xDC00..<0xE000).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(unit)
    }

    @inlinable mutating func hexUnit() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var unit: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt32(digit)
        }
        index += 4
        return unit
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as a finite Double.
    @inlinable mutating func number() -> Value? {
        let start = index
        var integer: Int64 = 0
        var simple = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, isDigit(bytes[index]) {
            if index - digitsStart < 15 {
                integer = integer * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
            } else {
                simple = false
            }
            index += 1
        }
        let digitCount = index - digitsStart
        guard digitCount > 0, digitCount == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            simple = false
            index += 1
            guard skipDigits() else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            simple = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard skipDigits() else { return nil }
        }
        if simple {
            // Integers of up to 15 digits are exact as Doubles; skip the text round trip.
            return Value(node: .number(Double(bytes[start] == UInt8(ascii: "-") ? -integer : integer)))
        }
        // The bytes were checked above to be ASCII digits, signs, a point and an exponent.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let parsed = Double(text), parsed.isFinite else { return nil }
        return Value(node: .number(parsed))
    }

    /// The string of UTF-8 bytes; nil when they are not valid UTF-8. ASCII bytes are valid by construction.
    /// `String(validating:)` over a slice ran unspecialised (a generic call per string); decoding repairs invalid
    /// input, so the check for non-ASCII text is that decoding changed nothing.
    @inlinable static func text(_ utf8: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String? {
        let text = String(decoding: utf8, as: UTF8.self)
        if ascii { return text }
        return text.utf8.elementsEqual(utf8) ? text : nil
    }

    @inlinable mutating func skipDigits() -> Bool {
        let start = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index > start
    }

    @inlinable func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
