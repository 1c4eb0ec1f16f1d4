import Foundation
import Testing

@testable import SinchformManifest

/// The loader from libyaml's events: the tree, anchors, merge keys and the diagnostics that stop a load.
@Suite struct YAMLLoaderTests {
    private func load(_ text: String) -> Result<[YAMLNode], ManifestErrors> {
        YAMLLoader().load(data: Data(text.utf8), file: "f.yaml")
    }

    /// A compact picture of a node: scalars as text (quoted ones, and keys, which are always text, in quotes), lists in
    /// brackets, mappings in braces.
    private func shape(_ node: YAMLNode) -> String {
        switch node.kind {
        case let .scalar(text, plain): return plain ? text : "\"\(text)\""
        case let .sequence(items): return "[" + items.map(shape).joined(separator: ",") + "]"
        case let .mapping(pairs):
            return "{" + pairs.map { shape($0.key) + ":" + shape($0.value) }.joined(separator: ",") + "}"
        }
    }

    private func shapes(_ text: String) throws -> [String] {
        try load(text).get().map(shape)
    }

    private func messages(_ text: String) -> [String] {
        guard case let .failure(errors) = load(text) else { return [] }
        return errors.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0): \($0.message)" }
    }

    @Test func scalarsListsMappingsAndLocations() throws {
        #expect(
            try shapes("a: 1\nb: 'two'\nc: [x, \"y\"]\nd: !!str 4\ne:\n") == [
                #"{"a":1,"b":"two","c":[x,"y"],"d":"4","e":}"#
            ])
        let root = try #require(try load("a:\n  - b: 1\n").get().first)
        guard case let .mapping(pairs) = root.kind, case let .sequence(items) = pairs[0].value.kind else {
            Issue.record("not a mapping of a list")
            return
        }
        #expect((pairs[0].key.location.line, pairs[0].key.location.column) == (1, 1))
        #expect((items[0].location.line, items[0].location.column) == (2, 5))
        #expect(try shapes("---\na: 1\n---\nb: 2\n") == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(try shapes("# only a comment\n") == [])
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        #expect(try shapes("a: &x {k: 1}\nb: *x\n") == [#"{"a":{"k":1},"b":{"k":1}}"#])
        // Explicit keys win over merged ones; earlier merge sources win over later ones.
        #expect(
            try shapes("base: &b {k: 1, m: 2}\nother: &o {k: 3, n: 4}\nc:\n  <<: [*b, *o]\n  m: 9\n")
                == [#"{"base":{"k":1,"m":2},"other":{"k":3,"n":4},"c":{"m":9,"k":1,"n":4}}"#])
        #expect(try shapes("b: &b {k: 1}\nc: {<<: *b, j: 2}\n") == [#"{"b":{"k":1},"c":{"j":2,"k":1}}"#])
        // A key is text; the anchored or aliased node stays a plain scalar where it is a value.
        #expect(try shapes("&k 5: a\nb: *k\n") == [#"{"5":a,"b":5}"#])
        #expect(try shapes("a: &k 5\n*k : b\n") == [#"{"a":5,"5":b}"#])
        // Past 16 keys the keys are compared another way; the merge still applies.
        let keys = (1...20).map { "k\($0): \($0)" }
        #expect(
            try shapes("b: &b {k1: 0, z: 1}\nc: {\(keys.joined(separator: ", ")), <<: *b}\n") == [
                #"{"b":{"k1":0,"z":1},"c":{"# + (1...20).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
                    + #","z":1}}"#
            ])
        // A quoted << is an ordinary key.
        #expect(try shapes("c: {'<<': 1}\n") == [#"{"c":{"<<":1}}"#])
    }

    @Test func whatStopsALoadIsLocated() {
        #expect(messages("a: *nowhere\n") == ["1:4: YAML syntax: found undefined alias"])
        #expect(
            messages("m:\n  z: 1\n  b: 2\n  z: 3\n  b: 4\n")
                == ["3:3: duplicate key 'b', 'z' in one mapping; each key may appear once"])
        // A long mapping (the keys are compared another way past 16) and repeated merge keys.
        let long = (1...20).map { "k\($0): \($0)\n" }.joined()
        #expect(
            messages(long + "k7: 0\nk19: 0\n")
                == ["19:1: duplicate key 'k19', 'k7' in one mapping; each key may appear once"])
        #expect(
            messages("b: &b {k: 1}\nc: {j: 1, <<: *b, <<: *b}\n")
                == ["2:11: duplicate key '<<' in one mapping; each key may appear once"])
        #expect(messages("c: {<<: 5}\n") == ["1:9: a merge key (<<) takes a mapping or a list of mappings"])
        #expect(messages("c: {<<: [1]}\n") == ["1:10: a merge key (<<) takes a mapping or a list of mappings"])
        #expect(messages("c: {<<: []}\n") == ["1:9: a merge key (<<) takes a mapping or a list of mappings"])
        #expect(
            messages("a: [1\nb: 2\n") == [
                "2:2: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)"
            ])
        #expect(messages("a: !thing 1\nb: !!binary aGk=\n").count == 2)
        // A reader error (a control character) is located by characters, not bytes.
        #expect(messages("a: é\nb: x\u{7}y\n") == ["2:5: YAML syntax: control characters are not allowed"])
        var small = YAMLLoader()
        small.maxNodesPerFile = 10
        #expect(
            YAMLLoader().load(data: Data("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n".utf8), file: "f.yaml").isSuccess
                && !small.load(data: Data("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n".utf8), file: "f.yaml").isSuccess)
    }
}

extension Result {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
