extension String {
    /// `body` over the string's UTF-8 bytes, in place: `withUTF8` needs a `var`, and a copy of the string to call it
    /// on is a retain and a release (every key and text the JSON writer writes, every template text the lint reads).
    /// A string whose bytes are not native and contiguous (a bridged one) is made so first.
    @inlinable public func withUTF8Bytes<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var contiguous = self
        return try contiguous.withUTF8(body)
    }
}
