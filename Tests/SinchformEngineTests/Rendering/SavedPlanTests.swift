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
            #expect(try SavedPlan.read(path) == plan)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(written == (try PlanRenderer().render(plan, format: .json)), "the saved plan is the JSON rendering")
        }
    }

    @Test func renderedJSONDecodesToTheSamePlan() throws {
        let json = try PlanRenderer().render(RenderingSamples.mixed, format: .json)
        #expect(try SavedPlan.decode(Data(json.utf8), path: "plan.json") == RenderingSamples.mixed)
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
