/// The compact, deterministic JSON text of any ``JSONTree``: object members sorted by key, no spaces, integral
/// numbers below 10^15 without a fraction, `/` not escaped, control characters as `\uXXXX` (but `\n`, `\r`, `\t`).
/// The same value always gives the same bytes, so digests of it are stable.
@usableFromInline
enum JSONWriter {
    @inlinable static func write<Value: JSONTree>(_ value: Value, into out: inout [UInt8]) {
        switch value.node {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): writeNumber(number, into: &out)
        case .string(let text): writeString(text, into: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Integral values below 1e15 as integers (digits written directly, no String), others as Swift prints them;
    /// infinities and NaN (which JSON cannot hold) as `null`.
    @inlinable static func writeNumber(_ value: Double, into out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        guard value.rounded() == value, abs(value) < 1e15 else {
            out.append(contentsOf: "\(value)".utf8)
            return
        }
        var magnitude = Int64(value)
        if magnitude < 0 {
            out.append(UInt8(ascii: "-"))
            magnitude = -magnitude
        }
        // Digits come out least significant first; write them, then reverse them in place.
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }

    @inlinable static func writeString(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // The bytes in place (``Swift/String/withUTF8Bytes(_:)``), checked and copied as a buffer, not index by index.
        value.withUTF8Bytes { utf8 in
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: utf8)
            } else {
                writeEscaped(utf8, into: &out)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    @inlinable static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0xF))
            default: out.append(byte)
            }
        }
    }

    @inlinable static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

extension JSONTree {
    /// Parses UTF-8 bytes, building the parts `projection` names; nil when they are not exactly one JSON value (see
    /// ``JSONParser``).
    @inlinable public static func parse(_ bytes: [UInt8], keeping projection: JSONProjection = .all) -> Self? {
        JSONParser<Self>.parse(bytes, keeping: projection)
    }

    /// The compact, deterministic encoding (see ``JSONWriter``).
    @inlinable public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONWriter.write(self, into: &out)
        return out
    }

    /// ``serialized()`` as a string.
    @inlinable public func serializedString() -> String {
        String(decoding: serialized(), as: UTF8.self)
    }
}
