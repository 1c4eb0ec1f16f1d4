import Foundation
import SinchformManifest
import Testing

@testable import SinchformEngine

/// The plan's scan of earlier journals for deletions: it matches bytes, not decoded lines, so its edges are checked
/// here (a match on the first and on the last line, a line without its newline, near misses).
@Suite struct JournalScanTests {
    private func line(_ event: String, _ action: String, _ id: String, at time: String) -> String {
        #"{"action":"\#(action)","address":"whatsappTemplate.t\#(id)[EN]","event":"\#(event)","kind":"whatsappTemplate","remoteId":{"language":"EN","name":"t\#(id)"},"time":"\#(time)"}"#
    }

    @Test func findsEveryDoneDeleteAndReplaceAndNothingElse() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("journal-scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let folder = state.appendingPathComponent("journal")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lines = [
            line("done", "delete", "1", at: "2026-12-01T10:00:00.000Z"),
            #"{"event":"apply","message":"\"action\":\"delet and \"action\":\"replac\"","time":"2026-12-01T10:00:00.000Z"}"#,
            line("start", "delete", "2", at: "2026-12-01T10:00:01.000Z"),
            line("done", "update", "3", at: "2026-12-01T10:00:02.000Z"),
            line("done", "delete", "1", at: "2026-12-01T10:00:03.000Z"),
            line("done", "delete", "4", at: "2026-12-01T10:00:04.000Z"),
            line("done", "replace", "5", at: "2026-12-01T10:00:05.000Z"),
        ]
        // No newline after the last line: a journal cut short by a crash ends so.
        try lines.joined(separator: "\n").write(
            to: folder.appendingPathComponent("20261201T100000.000Z.jsonl"), atomically: true, encoding: .utf8)
        let deleted = Journal.deletions(in: state.path, of: [.whatsappTemplate], since: .distantPast)
        let seconds = { (text: String) in try #require(Timestamp.date(text)).timeIntervalSince1970 }
        #expect(
            deleted.mapValues(\.timeIntervalSince1970) == [
                .name("t1", language: "EN"): try seconds("2026-12-01T10:00:03.000Z"),
                .name("t4", language: "EN"): try seconds("2026-12-01T10:00:04.000Z"),
                .name("t5", language: "EN"): try seconds("2026-12-01T10:00:05.000Z"),
            ])
        #expect(Journal.deletions(in: state.path, of: [.webhook], since: .distantPast).isEmpty)
    }
}
