import SinchformManifest
import Testing

@testable import SinchformEngine

@Suite struct LineDiffTests {
    @Test func marksRemovedAndAddedLines() {
        #expect(
            LineDiff.diff(["a", "b", "c"], ["a", "x", "c", "d"]) == [
                .same("a"), .removed("b"), .added("x"), .same("c"), .added("d"),
            ])
        #expect(LineDiff.diff([], ["a"]) == [.added("a")])
        #expect(LineDiff.diff(["a"], []) == [.removed("a")])
        #expect(LineDiff.diff(["a", "b"], ["b", "a"]).count == 3)
    }

    @Test func keepsTheLongestCommonSubsequence() {
        let old = ["1", "2", "3", "4", "5", "6"]
        let new = ["0", "2", "3", "x", "5", "6", "7"]
        let same = LineDiff.diff(old, new).filter { if case .same = $0 { true } else { false } }
        #expect(same == [.same("2"), .same("3"), .same("5"), .same("6")])
    }

    @Test func collapsesLongUnchangedRuns() {
        let old = (1...20).map(String.init)
        var new = old
        new[9] = "ten"
        let lines = LineDiff.collapse(LineDiff.diff(old, new), context: 2)
        #expect(
            lines == [
                .skipped(7), .same("8"), .same("9"), .removed("10"), .added("ten"), .same("11"), .same("12"),
                .skipped(8),
            ])
    }

    @Test func aNilSideHasNoLinesAndAFinalNewlineAddsNone() {
        #expect(LineDiff.diff(nil, "a\nb\n") == [.added("a"), .added("b")])
        #expect(LineDiff.lines(of: "") == [""])
    }

    @Test func hugeInputsFallBackWithoutTheTable() {
        let old = (0..<3_000).map { "old \($0)" }
        let new = (0..<3_000).map { "new \($0)" }
        let lines = LineDiff.diff(old, new)
        #expect(lines.count == 6_000)
    }
}
