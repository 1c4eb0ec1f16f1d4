import Foundation
import Testing

@testable import SinchformEngine

/// Findings 9 and 21 of the December 2026 audit: a symbolic link planted where sinchform keeps its files (the
/// apply lock, the journal, `.sinchform` itself, `sinchform.lock`, a saved plan) is refused with an error naming
/// it, and the file it points to is left as it was.
@Suite struct SymlinkTests {
    static let precious = "IMPORTANT DATA THAT MUST SURVIVE\n"

    /// A scratch directory holding `victim.txt`, removed at the end.
    private func withScratch(_ body: (String) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-links-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.precious.write(toFile: root + "/victim.txt", atomically: true, encoding: .utf8)
        try await body(root)
    }

    private func victim(_ root: String) throws -> String {
        try String(contentsOfFile: root + "/victim.txt", encoding: .utf8)
    }

    private func link(_ path: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    @Test func applyLockLinkIsRefused() async throws {
        try await withScratch { root in
            try FileManager.default.createDirectory(atPath: root + "/m/.sinchform", withIntermediateDirectories: true)
            try link(root + "/m/.sinchform/apply.lock", to: root + "/victim.txt")
            do {
                let lock = try await ApplyLock.acquire(stateDirectory: root + "/m/.sinchform", command: "apply")
                lock.release()
                Issue.record("a linked apply lock was taken")
            } catch {
                #expect(
                    "\(error)"
                        == "error: \(root)/m/.sinchform/apply.lock is a symbolic link, and sinchform does not write "
                        + "through links: remove it (rm '\(root)/m/.sinchform/apply.lock') and run again")
            }
            #expect(try victim(root) == Self.precious)
        }
    }

    @Test func linkedStateFolderIsRefused() async throws {
        try await withScratch { root in
            try FileManager.default.createDirectory(atPath: root + "/m", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
            try link(root + "/m/.sinchform", to: root + "/elsewhere")
            do {
                let lock = try await ApplyLock.acquire(stateDirectory: root + "/m/.sinchform", command: "apply")
                lock.release()
                Issue.record("a lock was taken in a linked .sinchform")
            } catch {
                #expect("\(error)".contains("\(root)/m/.sinchform is a symbolic link"), "\(error)")
            }
            #expect(throws: SymbolicLinkRefused.self) { _ = try Journal(directory: root + "/m/.sinchform") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/elsewhere").isEmpty)
        }
    }

    @Test func linkedJournalFolderIsRefused() async throws {
        try await withScratch { root in
            try FileManager.default.createDirectory(atPath: root + "/m/.sinchform", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
            try link(root + "/m/.sinchform/journal", to: "../../elsewhere")
            let error = #expect(throws: SymbolicLinkRefused.self) { _ = try Journal(directory: root + "/m/.sinchform") }
            #expect(error?.path == root + "/m/.sinchform/journal")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/elsewhere").isEmpty)
        }
    }

    @Test func linkedJournalFileIsRefused() async throws {
        try await withScratch { root in
            let folder = root + "/m/.sinchform/journal"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try link(folder + "/j.jsonl", to: root + "/victim.txt")
            let error = #expect(throws: SymbolicLinkRefused.self) {
                _ = try Journal(directory: root + "/m/.sinchform", name: "j")
            }
            #expect(error?.path == folder + "/j.jsonl")
            #expect(try victim(root) == Self.precious)
            // A regular file of that name is kept, and the journal takes the next name.
            try FileManager.default.removeItem(atPath: folder + "/j.jsonl")
            try "kept\n".write(toFile: folder + "/j.jsonl", atomically: true, encoding: .utf8)
            let journal = try Journal(directory: root + "/m/.sinchform", name: "j")
            try await journal.append(JournalEntry(event: .apply))
            try await journal.close()
            let path = await journal.path
            #expect(path == folder + "/j-1.jsonl")
            #expect(try Journal.read(path).map(\.event) == [.apply])
            #expect(try String(contentsOfFile: folder + "/j.jsonl", encoding: .utf8) == "kept\n")
        }
    }

    @Test func linkedLockFileIsRefused() async throws {
        try await withScratch { root in
            try link(root + "/sinchform.lock", to: root + "/victim.txt")
            let error = #expect(throws: EngineError.self) { try LockFile(project: "p").write(in: root) }
            #expect(
                error?.description.hasPrefix(
                    "error: \(root)/sinchform.lock: cannot be written (\(root)/sinchform.lock is a symbolic link")
                    == true,
                "\(String(describing: error))")
            #expect(try victim(root) == Self.precious)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test func linkedSavedPlanIsRefused() async throws {
        try await withScratch { root in
            try link(root + "/t.plan", to: root + "/victim.txt")
            let plan = Plan(project: "p", manifestDirectory: root, lockLineage: nil, lockSerial: nil, changes: [])
            let error = #expect(throws: SavedPlanError.self) { try SavedPlan.write(plan, to: root + "/t.plan") }
            #expect(
                "\(String(describing: error))".contains("\(root)/t.plan is a symbolic link"),
                "\(String(describing: error))")
            #expect(try victim(root) == Self.precious)
        }
    }

    /// A saved plan or an imported manifest goes through the same writer.
    @Test func linkedOutputFileIsRefused() async throws {
        try await withScratch { root in
            try link(root + "/out.plan", to: root + "/victim.txt")
            #expect(throws: SymbolicLinkRefused.self) {
                try AtomicFile.write(Data("plan".utf8), to: root + "/out.plan")
            }
            #expect(try victim(root) == Self.precious)
            // Without a link, the file is written (and its directory flushed).
            try AtomicFile.write(Data("plan".utf8), to: root + "/other.plan")
            #expect(try String(contentsOfFile: root + "/other.plan", encoding: .utf8) == "plan")
        }
    }
}
