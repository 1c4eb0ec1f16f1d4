import Foundation
import JSONSyntax
import SinchformManifest

/// `sinchform state`: what sinchform.lock records, and changes to it that make no API call. Forget and move run
/// under the apply lock, write the lock atomically and journal each step (`rollback` undoes a move).
extension Session {
    /// Every entry of the lock file, by address.
    public func stateList(_ directory: String) throws -> [LockFile.Entry] {
        try readLock(workspace(directory)).resources.values.sorted { $0.address < $1.address }
    }

    /// One entry, found by its address (an unknown one is an error with the closest addresses).
    public func stateShow(_ text: String, directory: String) throws -> LockFile.Entry {
        let lock = try readLock(workspace(directory))
        return try entry(text, in: lock)
    }

    /// Stops managing resources without any API call: their entries leave the lock. A resource still in the
    /// manifests is adopted again by the next plan.
    public func stateForget(_ texts: [String], directory: String) async throws -> [Address] {
        try await changingLock(directory, "state forget") { lock in
            let entries = try texts.map { try entry($0, in: lock) }
            return entries.map { entry in
                Step(
                    entry: entry, action: .forget, movedTo: nil,
                    note: RollbackNote(
                        inverse: .adopt, restore: nil, note: "add it back to the manifests to manage it again"))
            }
        }
    }

    /// Records a resource under another address, without any API call (a rename the manifests will make).
    ///
    /// Run again after it was stopped once the lock was written (a kill before the journal's closing line), it finds
    /// the move done and journals it again, so that `rollback` can undo it: the same command converges.
    public func stateMove(_ fromText: String, to toText: String, directory: String) async throws -> Address {
        let stateDirectory = workspace(directory).stateDirectory
        let moved = try await changingLock(directory, "state move") { lock in
            let to: Address
            do throws(AddressError) {
                to = try Address(parsing: toText)
            } catch {
                throw EngineError.configuration(error.description)
            }
            if let done = lock.resources[to], let from = try? Address(parsing: fromText), lock.resources[from] == nil,
                Self.moveStarted(from: from, to: to, in: stateDirectory)
            {
                return [Step(entry: done, action: .move, movedTo: nil, note: Self.moveNote(from: from), recorded: true)]
            }
            let from = try entry(fromText, in: lock)
            guard to.kind == from.kind else {
                throw EngineError.configuration(
                    "\(from.address) is a \(from.kind.rawValue); it cannot move to \(to), a \(to.kind.rawValue) address"
                )
            }
            guard lock.resources[to] == nil else {
                throw EngineError.configuration("sinchform.lock already records \(to); forget or move it first")
            }
            return [Step(entry: from, action: .move, movedTo: to, note: Self.moveNote(from: from.address))]
        }
        return moved[0]
    }

    /// The end of a state command's journal name, before `.jsonl`.
    static let stateJournalSuffix = "-state"

    private static func moveNote(from: Address) -> RollbackNote {
        RollbackNote(
            inverse: .move, restore: ["movedFrom": .string(from.description)],
            note: "record it under \(from) again in sinchform.lock (no API call)")
    }

    /// Whether a state journal records the start of a move of `from` to `to`.
    private static func moveStarted(from: Address, to: Address, in stateDirectory: String) -> Bool {
        Journal.files(in: stateDirectory).filter { $0.hasSuffix(stateJournalSuffix + ".jsonl") }.contains { path in
            let entries = (try? Journal.read(path)) ?? []
            return entries.contains {
                $0.event == .start && $0.action == .move && $0.address == to
                    && $0.rollback?.restore?["movedFrom"]?.stringValue == from.description
            }
        }
    }

    private struct Step {
        var entry: LockFile.Entry
        var action: Action
        var movedTo: Address?
        var note: RollbackNote
        /// The lock already holds the step's result (a command run again after a kill): it is journaled, not applied.
        var recorded = false

        /// The step's journal line, under the address it leaves the resource at.
        func journalEntry(_ event: JournalEntry.Event) -> JournalEntry {
            var line = JournalEntry(event: event)
            line.address = movedTo ?? entry.address
            line.kind = entry.kind
            line.action = action
            line.remoteId = entry.remoteId
            return line
        }
    }

    private func readLock(_ workspace: Workspace) throws -> LockFile {
        guard let lock = try workspace.readLock() else {
            throw EngineError.missing("no sinchform.lock in \(workspace.root)")
        }
        return lock
    }

    private func entry(_ text: String, in lock: LockFile) throws -> LockFile.Entry {
        if let address = try? Address(parsing: text), let entry = lock.resources[address] { return entry }
        let closest = Address.closest(to: text, in: Array(lock.resources.keys))
        throw EngineError.unknownAddresses([
            "\(text) is not in sinchform.lock"
                + (closest.isEmpty ? "" : "; did you mean \(closest.map(\.description).joined(separator: ", "))?")
        ])
    }

    /// Under the apply lock: journals each step's start, rewrites the lock once with every step, then journals
    /// each step's end. A crash before the rewrite leaves the old lock; after it, the new one.
    private func changingLock(
        _ directory: String, _ command: String, _ steps: (LockFile) throws -> [Step]
    ) async throws -> [Address] {
        let workspace = workspace(directory)
        let applyLock = try await ApplyLock.acquire(
            stateDirectory: workspace.stateDirectory, command: CommandLine.arguments.joined(separator: " "),
            staleInfo: interaction.staleLock)
        defer { applyLock.release() }
        var lock = try readLock(workspace)
        let planned = try steps(lock)
        let journal: Journal
        do {
            journal = try Journal(
                directory: workspace.stateDirectory, name: Timestamp.fileSafe(Date()) + Self.stateJournalSuffix)
            var header = JournalEntry(event: .apply)
            header.message = command
            try await journal.append(header)
            for step in planned {
                var start = step.journalEntry(.start)
                start.rollback = step.note
                try await journal.append(start)
            }
        } catch {
            throw EngineError.stateFile("cannot write the journal in \(workspace.stateDirectory): \(error)")
        }
        for step in planned where !step.recorded {
            lock.resources[step.entry.address] = nil
            if let to = step.movedTo {
                var moved = step.entry
                moved.address = to
                lock.resources[to] = moved
            }
        }
        if planned.contains(where: { !$0.recorded }) {
            lock.serial += 1
            try lock.write(in: workspace.root)
        }
        for step in planned { try? await journal.append(step.journalEntry(.done)) }
        try? await journal.close()
        return planned.map { $0.movedTo ?? $0.entry.address }
    }
}
