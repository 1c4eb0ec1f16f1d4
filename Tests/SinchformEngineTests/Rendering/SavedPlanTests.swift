import Foundation
import SinchformManifest
import Testing

@testable import SinchformEngine

@Suite struct SavedPlanTests {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-\(UUID().uuidString)-\(name)").path
    }

    @Test func roundTripsThroughAFile() throws {
        let path = temporaryPath("plan.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for plan in [RenderingSamples.mixed, RenderingSamples.unchanged, RenderingSamples.drift] {
            try SavedPlan.write(plan, to: path)
            // Read back with the manifest directory resolved from the plan file's folder, and its digest.
            var expected = plan
            expected.manifestDirectory = URL(fileURLWithPath: plan.manifestDirectory).standardizedFileURL.path
            let read = try SavedPlan.read(path)
            expected.digest = read.digest
            // The summary is counted from the changes (a drift plan's unchanged count is not in its changes).
            expected.summary =
                Plan(
                    project: plan.project, manifestDirectory: plan.manifestDirectory, lockLineage: nil, lockSerial: nil,
                    changes: plan.changes
                ).summary
            #expect(read == expected)
            #expect(read.digest?.hasPrefix("sha256:") == true)
            // The file is the JSON rendering, with the directory relative to the file and the digest.
            var saved = plan
            saved.manifestDirectory = SavedPlan.relative(
                expected.manifestDirectory, to: (path as NSString).deletingLastPathComponent)
            saved.digest = read.digest
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(
                written == (try PlanRenderer().render(saved, format: .json)), "the saved plan is the JSON rendering")
        }
    }

    @Test func renderedJSONDecodesToTheSamePlan() throws {
        let json = try PlanRenderer().render(RenderingSamples.mixed, format: .json)
        #expect(try JSONDecoder().decode(Plan.self, from: Data(json.utf8)) == RenderingSamples.mixed)
    }

    /// A saved plan edited after it was written, or listing an address twice, is refused; `show` and `apply` count
    /// the changes themselves.
    @Test func refusesAnEditedOrRepeatingPlan() throws {
        let path = temporaryPath("plan.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SavedPlan.write(RenderingSamples.mixed, to: path)
        let original = try String(contentsOfFile: path, encoding: .utf8)

        let edited = original.replacingOccurrences(of: #""action" : "update""#, with: #""action" : "delete""#)
        #expect(edited != original)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SavedPlanError.self) { try SavedPlan.read(path) }
        #expect(error(reading: edited)?.contains("changed after it was written") == true)

        var twice = RenderingSamples.mixed
        twice.changes += [twice.changes[0]]
        var repeated = try JSONDecoder().decode(Plan.self, from: Data(original.utf8))
        repeated.changes = twice.changes
        repeated.digest = try SavedPlan.digest(of: repeated)
        let json = try PlanRenderer().render(repeated, format: .json)
        #expect(error(reading: json)?.contains("more than once") == true)

        var zeroed = try JSONDecoder().decode(Plan.self, from: Data(original.utf8))
        zeroed.summary = Plan.Summary()
        zeroed.digest = try SavedPlan.digest(of: zeroed)
        let summaryEdited = try PlanRenderer().render(zeroed, format: .json)
        try summaryEdited.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            try SavedPlan.read(path).summary == RenderingSamples.mixed.summary, "the summary comes from the changes")
        var undigested = RenderingSamples.mixed
        undigested.digest = nil
        #expect(error(reading: try PlanRenderer().render(undigested, format: .json))?.contains("no digest") == true)
    }

    private func error(reading contents: String?) -> String? {
        let path = temporaryPath("bad.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        if let contents { _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)) }
        do {
            _ = try SavedPlan.read(path)
            return nil
        } catch {
            let description = "\(error)"
            #expect(description.hasPrefix(path + ": "), "names the file")
            #expect(!description.contains("\n"), "one line")
            return String(description.dropFirst(path.count + 2))
        }
    }

    @Test func explainsWhatIsWrongWithAFile() throws {
        #expect(error(reading: nil)?.hasPrefix("no such file") == true)
        #expect(error(reading: "plan: yes") == "is not a sinchform plan (not a JSON object)")
        #expect(error(reading: "[1, 2]") == "is not a sinchform plan (not a JSON object)")
        #expect(error(reading: #"{"changes": []}"#) == "is not a sinchform plan (no formatVersion)")
        #expect(error(reading: #"{"formatVersion": 2}"#)?.hasPrefix("plan format version 2 is not supported") == true)
        #expect(
            error(reading: #"{"formatVersion": 1, "project": "p"}"#)
                == "is not a valid sinchform plan: manifestDirectory is missing")
        var json = try PlanRenderer().render(RenderingSamples.mixed, format: .json)
        json = json.replacingOccurrences(of: #""action" : "create""#, with: #""action" : "explode""#)
        #expect(error(reading: json)?.contains("changes[0].action") == true)
    }

    @Test func aDirectoryIsNotAPlan() {
        #expect(throws: SavedPlanError.self) { try SavedPlan.read(FileManager.default.temporaryDirectory.path) }
    }
}
