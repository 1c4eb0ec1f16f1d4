/// A YAML value as written, before it is checked against a schema: scalars keep their source text,
/// mappings keep their key order, and every node keeps its location.
///
/// A node is a position in its file's ``YAMLNodes``: the nodes of a file sit in one array, and a mapping's or list's
/// children are a run of positions in a second one. A tree of nodes that each held their children's array cost two
/// allocations per mapping (its pairs, and their growth), and a copy of every child's text and file name at each
/// step; an alias is now its anchored node's position, not a copy of its subtree.
struct YAMLNode: Sendable {
    enum Kind {
        /// `plain` is false for quoted and block scalars, whose text is always a string.
        case scalar(String, plain: Bool)
        case mapping(Pairs)
        case sequence(Items)
    }

    let nodes: YAMLNodes
    let index: Int32

    // Each accessor reads the fields it needs in place (`nodes.entries[i].shape`): a copy of the whole entry retains
    // and releases its text, for every key and value the validator looks at.

    var kind: Kind {
        let i = Int(index)
        switch nodes.entries[i].shape {
        case .scalar: return .scalar(nodes.entries[i].text, plain: false)
        case .plainScalar: return .scalar(nodes.entries[i].text, plain: true)
        case .mapping:
            return .mapping(
                Pairs(
                    children: Items(
                        nodes: nodes, first: Int(nodes.entries[i].first), count: Int(nodes.entries[i].count))))
        case .sequence:
            return .sequence(
                Items(nodes: nodes, first: Int(nodes.entries[i].first), count: Int(nodes.entries[i].count)))
        }
    }

    var location: SourceLocation {
        let i = Int(index)
        return SourceLocation(file: nodes.file, line: Int(nodes.entries[i].line), column: Int(nodes.entries[i].column))
    }

    var scalarText: String? {
        let i = Int(index)
        switch nodes.entries[i].shape {
        case .scalar, .plainScalar: return nodes.entries[i].text
        case .mapping, .sequence: return nil
        }
    }

    /// A plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    var isNull: Bool {
        let i = Int(index)
        guard nodes.entries[i].shape == .plainScalar else { return false }
        // By length first: nearly every scalar is checked, and few have the length of a null.
        switch nodes.entries[i].text.utf8.count {
        case 0: return true
        case 1: return nodes.entries[i].text == "~"
        case 4:
            let text = nodes.entries[i].text
            return text == "null" || text == "Null" || text == "NULL"
        default: return false
        }
    }

    /// What a user would call this node in an error message ("a string", "a mapping").
    var kindDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case let .scalar(text, plain):
            if isNull { return "null" }
            if plain, YAMLNode.boolValue(text) != nil { return "a boolean" }
            if plain, Double(text) != nil { return "a number" }
            return "a string"
        }
    }

    static func boolValue(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// A mapping's pairs, in the order they were written (merged pairs last).
    struct Pairs: RandomAccessCollection {
        /// Keys and values, alternating.
        let children: Items

        var startIndex: Int { 0 }
        var endIndex: Int { children.count / 2 }

        subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) {
            (children[2 * position], children[2 * position + 1])
        }
    }

    /// A list's items.
    struct Items: RandomAccessCollection {
        let nodes: YAMLNodes
        let first: Int
        let count: Int

        var startIndex: Int { 0 }
        var endIndex: Int { count }

        subscript(position: Int) -> YAMLNode {
            YAMLNode(nodes: nodes, index: nodes.children[first + position])
        }
    }
}

/// The nodes of one file, as ``YAMLLoader`` read them.
final class YAMLNodes: Sendable {
    enum Shape: UInt8, Sendable {
        case scalar, plainScalar, mapping, sequence
    }

    struct Entry: Sendable {
        /// A scalar's text; empty for a mapping or list.
        var text: String
        var line: Int32
        var column: Int32
        var shape: Shape
        /// A mapping's or list's children: `count` positions from `first` in ``children`` (a mapping's as key,
        /// value, key, value…).
        var first: Int32 = 0
        var count: Int32 = 0

        var scalarText: String? { shape == .scalar || shape == .plainScalar ? text : nil }
    }

    let file: String
    let entries: [Entry]
    let children: [Int32]

    init(file: String, entries: [Entry], children: [Int32]) {
        self.file = file
        self.entries = entries
        self.children = children
    }
}
