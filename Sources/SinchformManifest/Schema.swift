/// The shape of a manifest value. One tree of these, per resource kind, drives validation, the generated
/// JSON Schema and the planner's comparison rules, so the three never disagree.
public indirect enum SchemaType: Sendable {
    case string(StringRules)
    case number(NumberRules)
    case boolean
    case enumeration([String])
    case array(SchemaType, ArrayRules)
    case object(ObjectSchema)
    /// A mapping whose keys are data (e.g. language codes), each key checked by `keys`.
    case map(keys: StringRules, values: SchemaType)
    /// One of several object shapes chosen by the value of `discriminator` (e.g. a component's `type`).
    case oneOf(discriminator: String, variants: [(value: String, schema: ObjectSchema)])
    /// Any JSON value; used where the API accepts free-form data.
    case any
}

/// Limits of a string value, taken from the API facts.
///
/// A class: the validator reads a string field's rules out of its schema for every string it checks, and a copy of a
/// struct retained and released each of its texts, where a reference is one retain.
public final class StringRules: Sendable {
    public enum Format: String, Sendable {
        /// An http(s) URL with a host: where the API posts, downloads or links (webhook targets, media, web links).
        case url
        /// Any absolute URI with a scheme (`daumapps://open`): where the API takes an app link.
        case uri
        case email
    }

    public let minLength: Int?
    public let maxLength: Int?
    /// A regular expression the whole value must match.
    public let pattern: String?
    /// Says in words what the pattern means, for error messages.
    public let patternHint: String?
    public let format: Format?

    public init(
        minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, patternHint: String? = nil,
        format: Format? = nil
    ) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.patternHint = patternHint
        self.format = format
    }
}

public struct NumberRules: Sendable {
    public var minimum: Double?
    public var maximum: Double?
    public var integer: Bool

    public init(minimum: Double? = nil, maximum: Double? = nil, integer: Bool = false) {
        self.minimum = minimum
        self.maximum = maximum
        self.integer = integer
    }
}

public struct ArrayRules: Sendable {
    public var minItems: Int?
    public var maxItems: Int?
    public var uniqueItems: Bool
    /// The API treats the array as a set: order is not significant when comparing.
    public var isSet: Bool
    /// Items must differ in this field (e.g. one component of each `type`).
    public var uniqueBy: String?

    public init(
        minItems: Int? = nil, maxItems: Int? = nil, uniqueItems: Bool = false, isSet: Bool = false,
        uniqueBy: String? = nil
    ) {
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems || isSet
        self.isSet = isSet
        self.uniqueBy = uniqueBy
    }
}

/// How the API treats a field beyond its type; the planner reads these.
public struct FieldTraits: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Sent, never returned by the API (a webhook `secret`, a template's `allowCategoryChange`); compared
    /// through the lock file's fingerprint instead of with the live value.
    public static let writeOnly = FieldTraits(rawValue: 1 << 0)
    /// Never shown in clear in plans, logs, journals or the lock file.
    public static let sensitive = FieldTraits(rawValue: 1 << 1)
    /// Cannot change after create: a change means replace (delete + create) or is impossible.
    public static let immutable = FieldTraits(rawValue: 1 << 2)
    /// Identifies the resource on the server; a change means a different resource.
    public static let identity = FieldTraits(rawValue: 1 << 3)
    /// Optional in a spec (omitting it leaves the live value alone) but required by the API to create one.
    public static let requiredToCreate = FieldTraits(rawValue: 1 << 4)
    /// A boolean the API can turn on but never off (WhatsApp template analytics): `false` while the live value is
    /// `true` is a plan error, and turning it on says it cannot be undone.
    public static let oneWay = FieldTraits(rawValue: 1 << 5)
}

public struct Field: Sendable {
    public var name: String
    public var type: SchemaType
    public var required: Bool
    public var description: String
    public var traits: FieldTraits
    /// The value the API assumes when the field is omitted; the planner fills it in before comparing.
    public var defaultValue: ManifestValue.Kind?

    public init(
        _ name: String, _ type: SchemaType, required: Bool = false, traits: FieldTraits = [],
        default defaultValue: ManifestValue.Kind? = nil, _ description: String
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.description = description
        self.traits = traits
        self.defaultValue = defaultValue
    }
}

/// A class, immutable, as ``StringRules`` is: every value of an object type checked or normalized binds its schema out
/// of the ``SchemaType``, and a struct of three arrays and a text was four retains and four releases each time.
public final class ObjectSchema: Sendable {
    public let fields: [Field]
    public let description: String
    /// The positions of ``fields`` in the order of their names (`String`'s `<`, the order of an object's members): the
    /// validator places each checked field by its position and reads them out in this order, so a validated object is
    /// in key order without its keys being compared; the normalizer walks an object's members and these together.
    public let positionsByName: [Int]
    /// How many of ``fields`` are required.
    let requiredCount: Int

    public init(_ description: String, _ fields: [Field]) {
        self.fields = fields
        self.description = description
        positionsByName = fields.indices.sorted { fields[$0].name < fields[$1].name }
        requiredCount = fields.count(where: \.required)
    }

    public convenience init(_ fields: [Field]) {
        self.init("", fields)
    }

    /// The field called `name`, compared in place (docs/CONTRIBUTING.md, "Large values in loops").
    public func field(_ name: String) -> Field? {
        position(of: name).map { fields[$0] }
    }

    /// The position of the field called `name` in ``fields``.
    func position(of name: String) -> Int? {
        // Names compared in place: `firstIndex(where:)` hands each field to its closure as a copy (four retains and
        // four releases per field passed, for every key of every mapping the validator checks).
        fields.withUnsafeBufferPointer { fields in fields.indices.first { fields[$0].name == name } }
    }
}

extension SchemaType {
    /// The schema of the value at a dotted path below this one (`details.components`), or nil when no such
    /// field exists. Array items and map values are stepped through transparently.
    public func descendant(_ path: [String]) -> SchemaType? {
        guard let head = path.first else { return self }
        let rest = Array(path.dropFirst())
        switch self {
        case let .object(object):
            return object.field(head)?.type.descendant(rest)
        case let .array(items, _):
            return items.descendant(path)
        case let .map(_, values):
            return values.descendant(rest)
        case let .oneOf(_, variants):
            for variant in variants {
                if let found = variant.schema.field(head)?.type.descendant(rest) { return found }
            }
            return nil
        case .any:
            return .any
        case .string, .number, .boolean, .enumeration:
            return nil
        }
    }

    /// Field names directly below this schema, for did-you-mean suggestions.
    var fieldNames: [String] {
        switch self {
        case let .object(object): return object.fields.map(\.name)
        case let .oneOf(_, variants): return Array(Set(variants.flatMap { $0.schema.fields.map(\.name) })).sorted()
        case let .array(items, _): return items.fieldNames
        default: return []
        }
    }
}
