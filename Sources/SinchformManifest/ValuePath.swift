import JSONSyntax

/// Where a leaf is inside a spec: object keys and array positions (`details.components[1].text`).
public struct ValuePath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var steps: [Step]

    public init(_ steps: [Step] = []) {
        self.steps = steps
    }

    /// A dotted path of object keys, as plans name fields (`details.displayName`).
    public init(dotted: String) {
        steps = dotted.isEmpty ? [] : dotted.split(separator: ".").map { .key(String($0)) }
    }

    public static func + (path: ValuePath, step: Step) -> ValuePath {
        ValuePath(path.steps + [step])
    }

    public var description: String {
        var text = ""
        for step in steps {
            switch step {
            case let .key(key): text += text.isEmpty ? key : "." + key
            case let .index(index): text += "[\(index)]"
            }
        }
        return text
    }

    /// The rest of this path below `prefix`, or nil when it does not start with it.
    public func dropping(prefix: ValuePath) -> ValuePath? {
        guard steps.starts(with: prefix.steps) else { return nil }
        return ValuePath(Array(steps.dropFirst(prefix.steps.count)))
    }
}

extension JSONValue {
    /// This value with the leaf at each path replaced by `marker` (where the path exists).
    public func replacing(_ paths: [ValuePath], with marker: JSONValue) -> JSONValue {
        paths.reduce(self) { $0.replacing($1.steps[...], with: marker) }
    }

    private func replacing(_ steps: ArraySlice<ValuePath.Step>, with marker: JSONValue) -> JSONValue {
        guard let step = steps.first else { return marker }
        switch (step, self) {
        case let (.key(key), .object(members)):
            guard let member = members[key] else { return self }
            var members = members
            members[key] = member.replacing(steps.dropFirst(), with: marker)
            return .object(members)
        case let (.index(index), .array(items)):
            guard items.indices.contains(index) else { return self }
            var items = items
            items[index] = items[index].replacing(steps.dropFirst(), with: marker)
            return .array(items)
        default:
            return self
        }
    }
}
