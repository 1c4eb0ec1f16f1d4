import CYaml
import Foundation

/// Turns the bytes of one manifest file into located YAML nodes, with limits that keep hostile input bounded.
struct YAMLLoader: Sendable {
    /// Files larger than this are refused before parsing.
    var maxFileBytes = 16 << 20
    /// An alias is its anchored node again, and the validator walks it wherever it is used; this caps the nodes one
    /// file may expand to, so an alias bomb ("billion laughs") is an error instead of an exhausted machine.
    var maxNodesPerFile = 2_000_000

    /// The documents of a file, each a located node, or the diagnostics that stopped the load.
    ///
    /// Built straight from libyaml's event stream (CYaml, which Yams wraps): Yams would first build its own node tree
    /// (with a hashed duplicate-key check per mapping) that was then converted to ``YAMLNode`` — two trees per file, a
    /// tenth of a plan's CPU at 10,000 resources. The diagnostics are the ones Yams gave: libyaml's own problems at
    /// its marks, undefined aliases, and duplicate keys.
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
        guard String(validating: data, as: UTF8.self) != nil else {
            return .failure(
                ManifestErrors([.error(at: invalidUTF8Location(data, file: file), "file is not valid UTF-8")]))
        }
        return data.withUnsafeBytes { bytes in
            var builder = EventTreeBuilder(file: file, maxNodes: maxNodesPerFile)
            do {
                let documents = try builder.documents(bytes)
                return builder.problems.isEmpty ? .success(documents) : .failure(ManifestErrors(builder.problems))
            } catch let error as ManifestErrors {
                return .failure(error)
            } catch {
                return .failure(ManifestErrors([.error(at: start, "cannot read YAML: \(error)")]))
            }
        }
    }

    /// The YAML 1.2 core schema: the only tags whose meaning the manifest's own typing agrees with. Anything else
    /// (`!!binary`, `!!python/...`, `!custom`) would be silently read as plain text or structure.
    fileprivate static let coreTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
    ]
    fileprivate static let stringTag = "tag:yaml.org,2002:str"

    fileprivate static func shortForm(of tag: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }

    private func invalidUTF8Location(_ data: Data, file: String) -> SourceLocation {
        // Walk the scalars until the decoder fails: the cursor then points at the first bad byte.
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var cursor = Cursor(file: file)
        while case let .scalarValue(scalar) = decoder.decode(&iterator) { cursor.advance(newline: scalar == "\n") }
        return cursor.location
    }

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

/// Builds a file's ``YAMLNodes`` from libyaml events, one document after another.
private struct EventTreeBuilder {
    let file: String
    /// Nodes left before the file is refused; aliases count every node they repeat.
    var budget: Int
    let maxNodes: Int
    /// What does not stop the load (unsupported tags), so every one is reported.
    var problems: [Diagnostic] = []
    /// The nodes and children of ``YAMLNodes``, built here and handed over when the file is read.
    private var entries: [YAMLNodes.Entry] = []
    private var children: [Int32] = []
    /// The children of the mappings and lists being read, innermost last: each container's run is copied to
    /// `children` once it ends, so no container has an array of its own that grows.
    private var pending: [Int32] = []
    /// Anchored nodes with their node counts. As in Yams, an anchor lives until the end of the stream and a later one of
    /// the same name replaces it.
    private var anchors: [String: (node: Int32, count: Int)] = [:]
    private var parser = yaml_parser_t()

    init(file: String, maxNodes: Int) {
        self.file = file
        self.budget = maxNodes
        self.maxNodes = maxNodes
    }

    mutating func documents(_ bytes: UnsafeRawBufferPointer) throws -> [YAMLNode] {
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ManifestErrors([.error(at: at(1, 1), "cannot read YAML: out of memory")])
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
        // The benchmarks' manifests have a node per 10.5 to 10.7 bytes (their comments and texts are short): room for
        // one per 10, so that such files never grow (each is a child once, but for the roots and aliases).
        entries.reserveCapacity(bytes.count / 10)
        children.reserveCapacity(bytes.count / 10)
        var documents: [Int32] = []
        var event = try next(bytes)  // stream start
        yaml_event_delete(&event)
        while true {
            event = try next(bytes)
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT {
                let nodes = YAMLNodes(file: file, entries: entries, children: children)
                return documents.map { YAMLNode(nodes: nodes, index: $0) }
            }
            // A document start; then its root node and its end.
            var root = try next(bytes)
            let (node, _) = try self.node(from: &root, bytes)
            documents.append(node)
            var end = try next(bytes)
            yaml_event_delete(&end)
        }
    }

    private mutating func next(_ bytes: UnsafeRawBufferPointer) throws -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { throw ManifestErrors([parserDiagnostic(bytes)]) }
        return event
    }

    private func at(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    private func location(of event: yaml_event_t) -> SourceLocation {
        at(event.start_mark.line + 1, event.start_mark.column + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    /// Adds a node at `event`'s place and gives its position.
    private mutating func add(_ shape: YAMLNodes.Shape, _ text: consuming String, at event: yaml_event_t) -> Int32 {
        entries.append(
            YAMLNodes.Entry(
                text: text, line: Int32(event.start_mark.line + 1), column: Int32(event.start_mark.column + 1),
                shape: shape))
        return Int32(entries.count - 1)
    }

    /// Ends the mapping or list at `container`: its children are `pending` from `start`.
    private mutating func close(_ container: Int32, from start: Int) {
        let first = children.count
        pending.withUnsafeBufferPointer { children.append(contentsOf: $0[start...]) }
        entries[Int(container)].first = Int32(first)
        entries[Int(container)].count = Int32(pending.count - start)
        pending.removeSubrange(start...)
    }

    /// The node `event` starts (deleting the events it reads, and `event` itself), with the nodes it counts.
    private mutating func node(from event: inout yaml_event_t, _ bytes: UnsafeRawBufferPointer) throws -> (Int32, Int) {
        defer { yaml_event_delete(&event) }
        if event.type == YAML_ALIAS_EVENT {
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                throw ManifestErrors([.error(at: location(of: event), "YAML syntax: found undefined alias")])
            }
            try spend(anchored.count, at: event)
            return anchored
        }
        try spend(1, at: event)
        let tag: String?
        let anchor: String?
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            // A quoted scalar without a tag (libyaml's `quoted_implicit`) has none here: it is text by its style, and
            // giving it `!!str` made every quoted scalar look its tag up among the core tags.
            tag = Self.string(scalar.tag)
            anchor = Self.string(scalar.anchor)
        case YAML_SEQUENCE_START_EVENT:
            tag = event.data.sequence_start.implicit != 0 ? nil : Self.string(event.data.sequence_start.tag)
            anchor = Self.string(event.data.sequence_start.anchor)
        default:
            tag = event.data.mapping_start.implicit != 0 ? nil : Self.string(event.data.mapping_start.tag)
            anchor = Self.string(event.data.mapping_start.anchor)
        }
        let explicitTag = tag.flatMap { $0.isEmpty || $0 == "!" ? nil : $0 }
        if let explicitTag, !YAMLLoader.coreTags.contains(explicitTag) {
            problems.append(
                .error(
                    at: location(of: event),
                    "YAML tag \(YAMLLoader.shortForm(of: explicitTag)) is not supported; a manifest uses plain YAML "
                        + "values (tags of the core schema only: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)"))
        }
        var count = 1
        let node: Int32
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text =
                scalar.value.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
                }
                ?? ""
            // An explicit !!str is text even when it looks like a number.
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && explicitTag != YAMLLoader.stringTag
            node = add(plain ? .plainScalar : .scalar, text, at: event)
        case YAML_SEQUENCE_START_EVENT:
            node = add(.sequence, "", at: event)
            let start = pending.count
            while true {
                var item = try next(bytes)
                if item.type == YAML_SEQUENCE_END_EVENT {
                    yaml_event_delete(&item)
                    break
                }
                let (child, nodes) = try self.node(from: &item, bytes)
                pending.append(child)
                count += nodes
            }
            close(node, from: start)
        default:
            node = add(.mapping, "", at: event)
            let start = pending.count
            try mapping(&count, bytes)
            close(node, from: start)
        }
        if let anchor { anchors[anchor] = (node, count) }
        return (node, count)
    }

    /// Reads the pairs of a mapping onto `pending`, up to its end: merge keys (`<<`) applied (explicit keys win over
    /// merged ones, earlier merge sources over later ones), repeated keys refused.
    private mutating func mapping(_ count: inout Int, _ bytes: UnsafeRawBufferPointer) throws {
        let start = pending.count
        var merged: [Int32] = []
        var mergeKeys: [Int32] = []
        while true {
            var keyEvent = try next(bytes)
            if keyEvent.type == YAML_MAPPING_END_EVENT {
                yaml_event_delete(&keyEvent)
                break
            }
            let isMerge =
                keyEvent.type == YAML_SCALAR_EVENT && keyEvent.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                && keyEvent.data.scalar.length == 2
                && keyEvent.data.scalar.value.map { $0[0] == UInt8(ascii: "<") && $0[1] == UInt8(ascii: "<") } == true
            // An alias's or an anchored key's node may also be a value elsewhere, where it stays as it is.
            let shared =
                keyEvent.type == YAML_ALIAS_EVENT
                || (keyEvent.type == YAML_SCALAR_EVENT && keyEvent.data.scalar.anchor != nil)
            var (key, keyNodes) = try node(from: &keyEvent, bytes)
            // A key is text, never null, a number or a boolean (as with Yams, whose duplicate check resolved every
            // key's tag to !!str).
            if entries[Int(key)].shape == .plainScalar {
                if shared {
                    entries.append(entries[Int(key)])
                    key = Int32(entries.count - 1)
                }
                entries[Int(key)].shape = .scalar
            }
            var valueEvent = try next(bytes)
            let (value, valueNodes) = try node(from: &valueEvent, bytes)
            count += keyNodes + valueNodes
            if isMerge {
                mergeKeys.append(key)
                try mergeSources(value, into: &merged)
                continue
            }
            pending.append(key)
            pending.append(value)
        }
        let explicit = (pending.count - start) / 2
        if keysMayRepeat(explicit: explicit, from: start, mergeKeys: mergeKeys) {
            try refuseRepeatedKeys(explicit: explicit, from: start, mergeKeys: mergeKeys)
        }
        if !merged.isEmpty { merge(merged, explicit: explicit, from: start) }
    }

    /// Refuses the mapping whose pairs are `pending` from `start` when a key repeats, naming every one.
    private func refuseRepeatedKeys(explicit: Int, from start: Int, mergeKeys: [Int32]) throws {
        // Keys in the order they were read (merge keys, all `<<`, after the others).
        let keys = (0..<(explicit + mergeKeys.count)).lazy.map {
            Int($0 < explicit ? pending[start + 2 * $0] : mergeKeys[$0 - explicit])
        }
        let repeated = Self.repeated(keys.map { entries[$0].scalarText })
        if let name = repeated.first, let first = keys.first(where: { entries[$0].scalarText == name }) {
            // As Yams said it: every repeated key, sorted, at the first occurrence of the first of them.
            throw ManifestErrors([
                .error(
                    at: at(Int(entries[first].line), Int(entries[first].column)),
                    "duplicate key \(repeated.map { "'\($0)'" }.joined(separator: ", ")) in one mapping; each key may "
                        + "appear once")
            ])
        }
    }

    /// Whether a key of the mapping whose pairs are `pending` from `start` may repeat (merge keys count as keys): of
    /// up to 16 keys, each is compared in place with the ones after it (cheaper than hashing them: with a dictionary
    /// and a set per mapping, `mapping` was 11.6 % of loading 10,000 resources); a longer mapping is left to
    /// ``refuseRepeatedKeys(explicit:from:mergeKeys:)``. Nearly every mapping is short and has no repeat, and the
    /// refusal's arrays (a copy of the entries and of `pending`, every key's text retained) were made for each.
    private func keysMayRepeat(explicit: Int, from start: Int, mergeKeys: [Int32]) -> Bool {
        let count = explicit + mergeKeys.count
        guard count <= 16 else { return true }
        return entries.withUnsafeBufferPointer { entries in
            func key(_ index: Int) -> Int {
                Int(index < explicit ? pending[start + 2 * index] : mergeKeys[index - explicit])
            }
            for first in 0..<count {
                let a = key(first)
                guard entries[a].shape == .scalar || entries[a].shape == .plainScalar else { continue }
                for second in (first + 1)..<count {
                    let b = key(second)
                    if entries[b].shape == .scalar || entries[b].shape == .plainScalar,
                        entries[a].text == entries[b].text
                    {
                        return true
                    }
                }
            }
            return false
        }
    }

    /// Adds the `merged` pairs whose keys the mapping (its `explicit` pairs in `pending` from `start`) does not have,
    /// earlier sources first.
    private mutating func merge(_ merged: [Int32], explicit: Int, from start: Int) {
        var seen = Set((0..<explicit).compactMap { entries[Int(pending[start + 2 * $0])].scalarText })
        for pair in stride(from: 0, to: merged.count, by: 2) {
            guard let key = entries[Int(merged[pair])].scalarText, seen.insert(key).inserted else { continue }
            pending.append(merged[pair])
            pending.append(merged[pair + 1])
        }
    }

    /// The texts that occur more than once among `texts`, sorted. Only for a mapping whose keys may repeat
    /// (``keysMayRepeat(explicit:from:mergeKeys:)`` compares the short ones first), so hashed whatever the count.
    private static func repeated(_ texts: [String?]) -> [String] {
        var seen = Set<String>(minimumCapacity: texts.count)
        var repeated = Set<String>()
        for case let text? in texts where !seen.insert(text).inserted { repeated.insert(text) }
        return repeated.sorted()
    }

    /// Adds the pairs (key, value, key, value…) a merge key's value brings: a mapping's, or each of a list of mappings'.
    private func mergeSources(_ node: Int32, into pairs: inout [Int32]) throws {
        let entry = entries[Int(node)]
        let sources =
            entry.shape == .sequence ? children[Int(entry.first)..<Int(entry.first + entry.count)] : [node][...]
        // An empty list brings nothing and is refused at the list; anything not a mapping, where it is.
        for source in sources.isEmpty ? [node][...] : sources {
            let mapping = entries[Int(source)]
            guard mapping.shape == .mapping else {
                throw ManifestErrors([
                    .error(
                        at: at(Int(mapping.line), Int(mapping.column)),
                        "a merge key (<<) takes a mapping or a list of mappings")
                ])
            }
            pairs.append(contentsOf: children[Int(mapping.first)..<Int(mapping.first + mapping.count)])
        }
    }

    private mutating func spend(_ nodes: Int, at event: yaml_event_t) throws {
        budget -= nodes
        if budget < 0 {
            throw ManifestErrors([
                .error(
                    at: location(of: event),
                    "the YAML expands to more than \(maxNodes) values (aliases that repeat each other?); "
                        + "write the values out or use fewer aliases")
            ])
        }
    }

    /// libyaml's error, worded as before: its problem at its mark, with its context.
    private func parserDiagnostic(_ bytes: UnsafeRawBufferPointer) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_READER_ERROR:
            // The offset is in bytes; the location counts characters.
            var cursor = Cursor(file: file)
            for character in String(decoding: bytes.prefix(min(parser.problem_offset, bytes.count)), as: UTF8.self) {
                cursor.advance(newline: character == "\n")
            }
            return .error(at: cursor.location, "YAML syntax: \(problem)")
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
            // libyaml's own wording names its C API; say what it means instead.
            let said =
                problem.hasPrefix("Maximum nesting level reached") ? "values nested deeper than 1000 levels" : problem
            var message = "YAML syntax: \(said)"
            if let context = parser.context.map({ String(cString: $0) }) {
                message +=
                    " (\(context) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
            }
            return .error(at: at(parser.problem_mark.line + 1, parser.problem_mark.column + 1), message)
        default:
            return .error(at: at(1, 1), "cannot read YAML: out of memory")
        }
    }
}
