/// An object's members as one array, sorted by key, each key once: what ``JSONValue/object(_:)`` holds
/// (``JSONObject``), and a validated manifest object.
///
/// Used like a `[String: Value]` (subscripts by key, `keys`, `values`, `mapValues`, `filter`, `merge`, iteration as
/// `(key, value)`), but built, compared, written and freed as one buffer. A plan of 10,000 resources makes and drops
/// hundreds of thousands of small objects (list pages, normalized views, specs); as dictionaries each cost a hash
/// table, a seeded hash per key, and a sort at every write: a fifth of the plan's CPU (docs/benchmarks.md, session
/// 10). Lookups search the sorted keys; iteration is in key order, the order the writer and the encoder use.
public struct SortedMembers<Value> {
    public typealias Element = (key: String, value: Value)

    /// Sorted by key (`String`'s `<`), no key twice.
    @usableFromInline var members: [Element]

    /// Members already sorted by key with no key twice (checked in debug builds only), as ``JSONNode/object(_:)``
    /// holds them, or as a builder that knows the order without comparing keys makes them (the manifest validator).
    @inlinable public init(sortedMembers: [Element]) {
        assert(zip(sortedMembers, sortedMembers.dropFirst()).allSatisfy { $0.key < $1.key }, "members out of key order")
        members = sortedMembers
    }

    /// No members.
    @inlinable public init() {
        members = []
    }

    /// The members of `pairs`; a repeated key is resolved by `combine` (earlier value, later value).
    @inlinable public init<Pairs: Sequence>(
        _ pairs: Pairs, uniquingKeysWith combine: (Value, Value) throws -> Value
    ) rethrows where Pairs.Element == (String, Value) {
        var members: [Element] = []
        members.reserveCapacity(pairs.underestimatedCount)
        for (key, value) in pairs { members.append((key, value)) }
        self.init(sortedMembers: try Self.canonical(members, combine: combine))
    }

    /// The members of `pairs`, whose keys must not repeat.
    @inlinable public init<Pairs: Sequence>(uniqueKeysWithValues pairs: Pairs) where Pairs.Element == (String, Value) {
        self.init(pairs) { _, _ in preconditionFailure("SortedMembers(uniqueKeysWithValues:): a key is repeated") }
    }

    /// The members of a dictionary.
    @inlinable public init(_ dictionary: [String: Value]) {
        self.init(sortedMembers: dictionary.sorted { $0.key < $1.key })
    }

    /// Whether `key` is a member, and where it is or would be inserted.
    @inlinable func search(_ key: String) -> (found: Bool, position: Int) {
        members.withUnsafeBufferPointer { members in
            var low = 0
            var high = members.count
            while low < high {
                let middle = (low + high) / 2
                if Self.key(members, middle).pointee < key {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return (low < members.count && Self.key(members, low).pointee == key, low)
        }
    }

    /// The key of the member at `position` (a member's first element), to be read in place: reading `.key` of a
    /// member, from the array or from its buffer, copied the whole member (retaining its key, its value and what the
    /// value holds) and destroyed the copy, at every step of every search.
    @inlinable static func key(_ members: UnsafeBufferPointer<Element>, _ position: Int) -> UnsafePointer<String> {
        UnsafeRawPointer(members.baseAddress.unsafelyUnwrapped + position).assumingMemoryBound(to: String.self)
    }

    /// The value of the member at `position`, to be read in place (see ``key(_:_:)``).
    @inlinable static func value(_ members: UnsafeBufferPointer<Element>, _ position: Int) -> UnsafePointer<Value> {
        (UnsafeRawPointer(members.baseAddress.unsafelyUnwrapped + position) + valueOffset).assumingMemoryBound(
            to: Value.self)
    }

    /// Where a member's value starts, after its key.
    @inlinable static var valueOffset: Int {
        let alignment = MemoryLayout<Value>.alignment
        return (MemoryLayout<String>.size + alignment - 1) / alignment * alignment
    }

    /// What `body` makes of the value of `key`, read in place; nil when `key` is not a member.
    @inlinable public func withValue<R>(forKey key: String, _ body: (Value) throws -> R?) rethrows -> R? {
        let (found, position) = search(key)
        guard found else { return nil }
        return try members.withUnsafeBufferPointer { try body(Self.value($0, position).pointee) }
    }

    /// The value of `key`, nil when it is not a member; setting nil removes it.
    @inlinable public subscript(key: String) -> Value? {
        get { withValue(forKey: key) { $0 } }
        set {
            // Objects are mostly built in key order: then a member is appended after one comparison.
            if let value = newValue,
                members.withUnsafeBufferPointer({ $0.isEmpty || Self.key($0, $0.count - 1).pointee < key })
            {
                members.append((key, value))
                return
            }
            let (found, position) = search(key)
            if let value = newValue {
                if found {
                    members[position].value = value
                } else {
                    members.insert((key, value), at: position)
                }
            } else if found {
                members.remove(at: position)
            }
        }
    }

    /// Makes room for `count` members.
    @inlinable public mutating func reserveCapacity(_ count: Int) {
        members.reserveCapacity(count)
    }

    /// The keys, in order.
    @inlinable public var keys: LazyMapSequence<[Element], String> { members.lazy.map(\.key) }

    /// The values, in the order of their keys.
    @inlinable public var values: LazyMapSequence<[Element], Value> { members.lazy.map(\.value) }

    /// Removes `key`; its value, or nil when it was not a member.
    @inlinable @discardableResult public mutating func removeValue(forKey key: String) -> Value? {
        let (found, position) = search(key)
        guard found else { return .none }
        return members.remove(at: position).value
    }

    /// The same keys with transformed values.
    @inlinable public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> SortedMembers<T> {
        SortedMembers<T>(sortedMembers: try members.map { ($0.key, try transform($0.value)) })
    }

    /// The members whose transformed value is not nil, as a dictionary of those values.
    @inlinable public func compactMapValues<T>(_ transform: (Value) throws -> T?) rethrows -> [String: T] {
        var result: [String: T] = [:]
        for member in members {
            if let value = try transform(member.value) { result[member.key] = value }
        }
        return result
    }

    /// The members `isIncluded` keeps (an object, as `Dictionary.filter` gives a dictionary).
    @inlinable public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> Self {
        Self(sortedMembers: try members.filter(isIncluded))
    }

    /// Adds the members of `other`; a key in both is resolved by `combine` (this value, other's value).
    @inlinable public mutating func merge(
        _ other: Self, uniquingKeysWith combine: (Value, Value) throws -> Value
    )
        rethrows
    {
        // Both are sorted: one pass over each.
        var merged: [Element] = []
        merged.reserveCapacity(members.count + other.members.count)
        var mine = 0
        var theirs = 0
        while mine < members.count, theirs < other.members.count {
            let key = members[mine].key
            if key < other.members[theirs].key {
                merged.append(members[mine])
                mine += 1
            } else if key == other.members[theirs].key {
                merged.append((key, try combine(members[mine].value, other.members[theirs].value)))
                mine += 1
                theirs += 1
            } else {
                merged.append(other.members[theirs])
                theirs += 1
            }
        }
        merged.append(contentsOf: members[mine...])
        merged.append(contentsOf: other.members[theirs...])
        members = merged
    }

    /// This object with the members of `other` added (see ``merge(_:uniquingKeysWith:)``).
    @inlinable public func merging(
        _ other: Self, uniquingKeysWith combine: (Value, Value) throws -> Value
    )
        rethrows -> Self
    {
        var result = self
        try result.merge(other, uniquingKeysWith: combine)
        return result
    }
}

extension SortedMembers {
    /// `members` sorted by key with no key twice; a repeated key is resolved by `combine` (earlier, later). Members
    /// that already are in order (what this project's writer sends) are returned as they are after one pass.
    @inlinable static func canonical(
        _ members: [Element], combine: (Value, Value) throws -> Value
    ) rethrows -> [Element] {
        var inOrder = true
        var index = 1
        while index < members.count {
            guard members[index - 1].key < members[index].key else {
                inOrder = false
                break
            }
            index += 1
        }
        if inOrder { return members }
        // Positions break ties, so that `combine` sees a repeated key's values in the order they came.
        let order = members.indices.sorted {
            members[$0].key < members[$1].key || (members[$0].key == members[$1].key && $0 < $1)
        }
        var result: [Element] = []
        result.reserveCapacity(members.count)
        for position in order {
            if let last = result.last, last.key == members[position].key {
                result[result.count - 1].value = try combine(last.value, members[position].value)
            } else {
                result.append(members[position])
            }
        }
        return result
    }
}

extension SortedMembers: RandomAccessCollection {
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { members.count }
    @inlinable public subscript(position: Int) -> Element { members[position] }
}

extension SortedMembers: Equatable where Value: Equatable {
    /// Keys and values compared in place (see ``key(_:_:)``): zipping the members copied each pair of them.
    @inlinable public static func == (left: Self, right: Self) -> Bool {
        guard left.members.count == right.members.count else { return false }
        return left.members.withUnsafeBufferPointer { left in
            right.members.withUnsafeBufferPointer { right in
                left.indices.allSatisfy {
                    key(left, $0).pointee == key(right, $0).pointee
                        && value(left, $0).pointee == value(right, $0).pointee
                }
            }
        }
    }
}

extension SortedMembers: Hashable where Value: Hashable {
    @inlinable public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

extension SortedMembers: Sendable where Value: Sendable {}

extension SortedMembers: ExpressibleByDictionaryLiteral {
    public typealias Key = String

    /// A dictionary literal; a repeated key keeps the last value.
    @inlinable public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements, uniquingKeysWith: { _, last in last })
    }
}

extension SortedMembers: Codable where Value: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [String: Value](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        for member in members { try container.encode(member.value, forKey: MemberKey(member.key)) }
    }

    struct MemberKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ stringValue: String) { self.stringValue = stringValue }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// A JSON object's members.
public typealias JSONObject = SortedMembers<JSONValue>
