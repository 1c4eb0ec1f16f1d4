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

    /// A lock of one entry (`address` under `key`, recorded with `fields`) and the top-level members `top`.
    private static func lock(_ key: String = "webhook.a", entry fields: String, top: String = "") -> String {
        #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s"\#(top),"resources":{"\#(key)":{\#(fields)}}}"#
    }

    private static let entry =
        #""address":"webhook.a","kind":"webhook","remoteId":{"id":"1"},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t""#

    /// Each damage and the exact words that name it; every message says the file and what to do.
    @Test(arguments: [
        ("{not json", "the file is not JSON"),
        (#"{"formatVersion": 1}"#, "project is missing or of the wrong type"),
        ("[]", "the lock is not an object"),
        (
            #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s"}"#,
            "resources is missing or of the wrong type"
        ),
        (
            #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":[]}"#,
            "resources is missing or of the wrong type"
        ),
        // A damaged entry and a header member missing: the header is named, whatever order the members are in.
        (
            #"{"resources":{"webhook.a":[]},"formatVersion":1,"project":"p","lineage":"l","serial":1}"#,
            "salt is missing or of the wrong type"
        ),
        // Anything that is not JSON is named so, even after a damage found earlier in the file.
        (#"{"formatVersion":1,"resources":{"webhook.a":[]},"#, "the file is not JSON"),
        (
            #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"webhook.a":[]}}"#,
            "an entry is not an object"
        ),
        (
            lock("x.y", entry: #""address":"x.y","kind":"nope""#),
            "'x.y' is not an address: unknown kind 'x' (kinds: webhook, whatsappTemplate, whatsappSender, "
                + "kakaotalkSender, kakaotalkTemplate, rcsSender, whatsappAccount)"
        ),
        (lock(entry: #""address":"webhook.a","kind":"nope""#), "webhook.a: unknown kind nope"),
        (
            lock(entry: entry.replacingOccurrences(of: #""specDigest":"d","#, with: "")),
            "specDigest is missing or of the wrong type"
        ),
        (
            lock(entry: entry.replacingOccurrences(of: #"{"id":"1"}"#, with: "{}")),
            "webhook.a.remoteId: empty or of an unknown shape"
        ),
        (
            lock(entry: entry.replacingOccurrences(of: #"{"id":"1"}"#, with: "[]")),
            "webhook.a.remoteId is not an object"
        ),
        (
            lock(entry: entry.replacingOccurrences(of: #"{"id":"1"}"#, with: #"{"id":""}"#)),
            "webhook.a.remoteId: empty or of an unknown shape"
        ),
        (lock(entry: entry.replacingOccurrences(of: "[]", with: "[1]")), "webhook.a.managedFields: not text"),
        (lock(entry: entry.replacingOccurrences(of: "{}", with: #"{"secret":1}"#)), "webhook.a.writeOnly: not text"),
        (lock(entry: entry, top: #","formatVersion":2"#), "format version 2 is not supported (expected 1)"),
        // Two entries owning one live resource (audit finding 14): deleting one would delete the other's.
        (
            #"{"formatVersion":1,"project":"p","lineage":"l","serial":1,"salt":"s","resources":{"webhook.ghost":{"address":"webhook.ghost","kind":"webhook","remoteId":{"id":"0b1c"},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"},"webhook.ops":{"address":"webhook.ops","kind":"webhook","remoteId":{"id":"0b1c"},"specDigest":"d","managedFields":[],"writeOnly":{},"appliedAt":"t"}}}"#,
            "webhook.ghost and webhook.ops record the same webhook (id 0b1c); remove the wrong entry"
        ),
        // An address of one kind recorded as another.
        (
            lock(entry: entry.replacingOccurrences(of: #""kind":"webhook""#, with: #""kind":"rcsSender""#)),
            "webhook.a is recorded as a rcsSender, not a webhook"
        ),
        // A key written twice counts with its last value: a damaged entry after a sound one under the same key.
        (
            lock(entry: entry).replacingOccurrences(of: "}}}", with: #"},"webhook.a":[]}}"#),
            "an entry is not an object"
        ),
        // An entry under another key than its address.
        (lock("webhook.b", entry: entry), "the entry under webhook.b has the address webhook.a"),
    ])
    func refusesADamagedLock(_ text: String, says words: String) throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/sinchform.lock", atomically: true, encoding: .utf8)
        let error = #expect(throws: EngineError.self) { try LockFile.read(in: folder) }
        let message = error?.description ?? ""
        #expect(message.contains("sinchform.lock"), "\(message)")
        #expect(message.contains(words), "\(message)")
        if !words.hasPrefix("format version") {
            #expect(message.contains("(\(words)); restore it from git"), "\(message)")
        }
    }

    /// What a lock reader must tolerate: a byte order mark, members in any order and spacing, unknown members (a
    /// newer writer's), and a repeated key (the last one counts, as JSON parsers commonly do), even when the first one
    /// was damaged.
    @Test func readsWhatJSONAllows() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text =
            "\u{FEFF} {\"resources\": {\"webhook.b\": []},\n \"resources\" : {\"webhook.a\": 7, \"webhook.a\": {\"note\": [1, {\"x\": null}], "
            + Self.entry.replacingOccurrences(of: #""specDigest":"d""#, with: #""specDigest":"old","specDigest":"d""#)
            + #"}}, "salt":"s","serial":3,"lineage":"l","project":"p","formatVersion":1, "future": {"a": [true]}}"#
            + "\n"
        try text.write(toFile: folder + "/sinchform.lock", atomically: true, encoding: .utf8)
        let lock = try #require(try LockFile.read(in: folder))
        #expect(lock.serial == 3 && lock.project == "p" && lock.salt == "s" && lock.lineage == "l")
        #expect(
            lock.resources == [
                "webhook.a": LockFile.Entry(
                    address: "webhook.a", kind: .webhook, remoteId: .id("1"), specDigest: "d", managedFields: [],
                    writeOnly: [:], appliedAt: "t")
            ])
    }
}
