import Foundation
import Yams

/// Turns the bytes of one manifest file into located YAML nodes, with limits that keep hostile input bounded.
struct YAMLLoader: Sendable {
    /// Files larger than this are refused before parsing.
    var maxFileBytes = 16 << 20
    /// Aliases are expanded when the tree is built; this caps the nodes one file may expand to, so an alias bomb
    /// ("billion laughs") is an error instead of an exhausted machine.
    var maxNodesPerFile = 2_000_000

    /// The documents of a file, each a located node, or the diagnostics that stopped the load.
    func load(data: Data, file: String) -> Result<[YAMLNode], ManifestErrors> {
        let start = SourceLocation(file: file, line: 1, column: 1)
        if data.count > maxFileBytes {
            return .failure(
                ManifestErrors([
                    .error(
                        at: start,
                        "file is \(data.count) bytes, larger than the \(maxFileBytes) bytes a manifest may have; "
                            + "split it into several files")
                ]))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            return .failure(
                ManifestErrors([.error(at: invalidUTF8Location(data, file: file), "file is not valid UTF-8")]))
        }
        do {
            // The basic resolver: sinchform types scalars by schema, so Yams's regex tag resolution (run for every
            // key it hashes in its duplicate check) would be wasted work.
            let parser = try Parser(yaml: text, resolver: .basic)
            var documents: [YAMLNode] = []
            var budget = maxNodesPerFile
            var problems: [Diagnostic] = []
            while let root = try parser.nextRoot() {
                documents.append(try convert(root, file: file, budget: &budget, problems: &problems))
            }
            return problems.isEmpty ? .success(documents) : .failure(ManifestErrors(problems))
        } catch let error as YamlError {
            return .failure(ManifestErrors([diagnostic(for: error, file: file)]))
        } catch let error as ManifestErrors {
            return .failure(error)
        } catch {
            return .failure(ManifestErrors([.error(at: start, "cannot read YAML: \(error)")]))
        }
    }

    /// `problems` collects what does not stop the conversion (tags), so every one is reported.
    private func convert(
        _ node: Node, file: String, budget: inout Int, problems: inout [Diagnostic]
    ) throws -> YAMLNode {
        budget -= 1
        let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        if budget < 0 {
            throw ManifestErrors([
                .error(
                    at: location,
                    "the YAML expands to more than \(maxNodesPerFile) values (aliases that repeat each other?); "
                        + "write the values out or use fewer aliases")
            ])
        }
        if let tag = node.explicitTag, !Self.coreTags.contains(tag) {
            problems.append(
                .error(
                    at: location,
                    "YAML tag \(Self.shortForm(of: tag)) is not supported; a manifest uses plain YAML values "
                        + "(tags of the core schema only: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)"))
        }
        switch node {
        case let .scalar(scalar):
            // An explicit !!str is text even when it looks like a number.
            let plain = scalar.style == .plain && node.explicitTag != Tag.Name.str.rawValue
            return YAMLNode(kind: .scalar(scalar.string, plain: plain), location: location)
        case let .sequence(sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try convert(item, file: file, budget: &budget, problems: &problems))
            }
            return YAMLNode(kind: .sequence(items), location: location)
        case let .mapping(mapping):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            pairs.reserveCapacity(mapping.count)
            var merged: [(key: YAMLNode, value: YAMLNode)] = []
            for (key, value) in mapping {
                if case let .scalar(k) = key, k.string == "<<", k.style == .plain {
                    merged.append(contentsOf: try mergeSources(value, file: file, budget: &budget, problems: &problems))
                    continue
                }
                pairs.append(
                    (
                        try convert(key, file: file, budget: &budget, problems: &problems),
                        try convert(value, file: file, budget: &budget, problems: &problems)
                    ))
            }
            // YAML merge keys: explicit keys win over merged ones, earlier merge sources over later ones.
            var seen = Set(pairs.compactMap { $0.key.scalarText })
            for pair in merged {
                guard let key = pair.key.scalarText, seen.insert(key).inserted else { continue }
                pairs.append(pair)
            }
            return YAMLNode(kind: .mapping(pairs), location: location)
        case .alias:
            throw ManifestErrors([.error(at: location, "unresolved YAML alias")])
        }
    }

    /// The YAML 1.2 core schema: the only tags whose meaning the manifest's own typing agrees with. Anything else
    /// (`!!binary`, `!!python/...`, `!custom`) would be silently read as plain text or structure.
    private static let coreTags = Set([Tag.Name.str, .int, .float, .bool, .null, .seq, .map].map(\.rawValue))

    private static func shortForm(of tag: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }

    private func mergeSources(
        _ node: Node, file: String, budget: inout Int, problems: inout [Diagnostic]
    ) throws -> [(key: YAMLNode, value: YAMLNode)] {
        let sources: [Node]
        switch node {
        case .mapping: sources = [node]
        case let .sequence(sequence): sources = Array(sequence)
        default: sources = []
        }
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        for source in sources {
            let converted = try convert(source, file: file, budget: &budget, problems: &problems)
            guard case let .mapping(sourcePairs) = converted.kind else {
                throw ManifestErrors([
                    .error(at: converted.location, "a merge key (<<) takes a mapping or a list of mappings")
                ])
            }
            pairs.append(contentsOf: sourcePairs)
        }
        if sources.isEmpty {
            let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
            throw ManifestErrors([.error(at: location, "a merge key (<<) takes a mapping or a list of mappings")])
        }
        return pairs
    }

    private func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        func located(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> Diagnostic {
            // libyaml's own wording names its C API; say what it means instead.
            let problem =
                problem.hasPrefix("Maximum nesting level reached")
                ? "values nested deeper than 1000 levels" : problem
            var message = "YAML syntax: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return .error(at: SourceLocation(file: file, line: mark.line, column: mark.column), message)
        }
        switch error {
        case let .scanner(context, problem, mark, _): return located(mark, problem, context)
        case let .parser(context, problem, mark, _): return located(mark, problem, context)
        case let .composer(context, problem, mark, _): return located(mark, problem, context)
        case let .reader(problem, offset, _, yaml):
            return .error(at: location(ofCharacterOffset: offset ?? 0, in: yaml, file: file), "YAML syntax: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error(
                at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                "duplicate key \(names) in one mapping; each key may appear once")
        default:
            return .error(at: SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(error)")
        }
    }

    private func location(ofCharacterOffset offset: Int, in text: String, file: String) -> SourceLocation {
        var cursor = Cursor(file: file)
        for character in text.prefix(offset) { cursor.advance(newline: character == "\n") }
        return cursor.location
    }

    private func invalidUTF8Location(_ data: Data, file: String) -> SourceLocation {
        // Walk the scalars until the decoder fails: the cursor then points at the first bad byte.
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var cursor = Cursor(file: file)
        while case let .scalarValue(scalar) = decoder.decode(&iterator) { cursor.advance(newline: scalar == "\n") }
        return cursor.location
    }

    /// A 1-based line and column that follows characters as they are read.
    private struct Cursor {
        let file: String
        var line = 1
        var column = 1

        mutating func advance(newline: Bool) {
            if newline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }

        var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }
    }
}

extension Node {
    /// The tag written in the file, or nil for an untagged node (quoted scalars come back as !!str from libyaml, and
    /// `!` alone means "no specific tag").
    fileprivate var explicitTag: String? {
        let name: String
        switch self {
        case let .scalar(scalar): name = scalar.tag.description
        case let .mapping(mapping): name = mapping.tag.description
        case let .sequence(sequence): name = sequence.tag.description
        case .alias: return nil
        }
        return name.isEmpty || name == "!" ? nil : name
    }
}
