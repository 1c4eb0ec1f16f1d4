import Foundation
import SinchformEngine
import SinchformManifest
import Testing

/// sinchform.lock read back exactly as written, and a damaged one refused with the path and what to do.
@Suite struct LockFileTests {
    private func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
        return path.path
    }

    @Test func readsBackWhatItWrote() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lock = LockFile(project: "p-1")
        lock.serial = 7
        lock.resources["kakaotalkTemplate.welcome"] = LockFile.Entry(
            address: "kakaotalkTemplate.welcome", kind: .kakaotalkTemplate,
            remoteId: RemoteIdentity.code("S7yFqaKq", plusFriendId: "@acme"), specDigest: "sha256:ab",
            managedFields: ["details.content", "details.name"], writeOnly: [:], appliedAt: "2026-11-21T10:00:00Z")
        lock.resources["webhook.ops"] = LockFile.Entry(
            address: "webhook.ops", kind: .webhook, remoteId: RemoteIdentity.id("0b1c"), specDigest: "sha256:cd",
            managedFields: ["target"], writeOnly: ["secret": "hmac-sha256:ef"], appliedAt: "2026-11-21T10:00:01Z")
        try lock.write(in: folder)
        #expect(try LockFile.read(in: folder) == lock)
        // The one writer assembles pieces; the bytes are the canonical encoding (sorted keys, pretty-printed).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/sinchform.lock"))
        #expect(written == (try encoder.encode(lock)) + Data("\n".utf8))
    }

    /// Three entries recording one live resource: the message names the first two in address order, whatever
    /// order the file's dictionary is read in.
    @Test func aClashIsNamedInAddressOrder() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let entries = ["webhook.c", "webhook.a", "webhook.b", "webhook.d"].map { address in
            #""\#(address)":{"address":"\#(address)","kind":"webhook","remoteId":{"id":"\#(address == "webhook.d" ? "2" : "1")"},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"}"#
        }
        let text =
            #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"#
            + entries.joined(separator: ",") + "}}"
        try text.write(toFile: folder + "/sinchform.lock", atomically: true, encoding: .utf8)
        let error = #expect(throws: EngineError.self) { try LockFile.read(in: folder) }
        #expect(
            error?.description.contains("webhook.a and webhook.b record the same webhook (id 1)") == true,
            "\(String(describing: error))")
    }

    @Test(arguments: [
        "{not json", #"{"formatVersion": 1}"#, "[]",
        #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"x.y":{"address":"x.y","kind":"nope","remoteId":{},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"}}}"#,
        #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"webhook.a":{"address":"webhook.a","kind":"webhook","remoteId":{},"specDigest":"d","managedFields":[1],"writeOnly":{},"appliedAt":"t"}}}"#,
        // Two entries owning one live resource (audit finding 14): deleting one would delete the other's.
        #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"webhook.ghost":{"address":"webhook.ghost","kind":"webhook","remoteId":{"id":"0b1c"},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"},"webhook.ops":{"address":"webhook.ops","kind":"webhook","remoteId":{"id":"0b1c"},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"}}}"#,
        // An address of one kind recorded as another.
        #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"webhook.ops":{"address":"webhook.ops","kind":"rcsSender","remoteId":{"id":"r1"},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"}}}"#,
        // An empty identity, and an entry under another key than its address.
        #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"webhook.a":{"address":"webhook.a","kind":"webhook","remoteId":{"id":""},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"}}}"#,
        #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"webhook.b":{"address":"webhook.a","kind":"webhook","remoteId":{"id":"1"},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"}}}"#,
    ])
    func refusesADamagedLock(_ text: String) throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/sinchform.lock", atomically: true, encoding: .utf8)
        let error = #expect(throws: EngineError.self) { try LockFile.read(in: folder) }
        #expect(error?.description.contains("sinchform.lock") == true, "\(String(describing: error))")
        #expect(error?.description.contains("restore it from git") == true, "\(String(describing: error))")
        if text.contains("webhook.ghost") {
            #expect(
                error?.description.contains("webhook.ghost and webhook.ops record the same webhook") == true,
                "names both entries: \(String(describing: error))")
        }
    }
}
