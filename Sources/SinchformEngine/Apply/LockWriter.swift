import Foundation
import ProvisioningAPI
import SinchformManifest

/// Owns the lock file during an apply: every successful step updates its entry and rewrites the file atomically,
/// so a crash or kill at any moment leaves a lock that matches what was really done.
///
/// Each entry's JSON is encoded once, when it changes (``LockEncoding``): encoding the whole lock on every step made
/// an apply of N creates cost O(N²) encodes (about 30 ms a step at 1,000 resources).
actor LockWriter {
    private(set) var lock: LockFile
    private let directory: String
    private var bumped = false
    /// The file's bytes, with each entry's piece kept until the entry changes.
    private var encoding: LockEncoding
    /// Changes made so far, and how many of them are on disk.
    private var generation = 0
    private var durable = 0
    /// The write in progress: steps that finish meanwhile wait for it and share the next one (group commit).
    private var writing: (task: Task<Void, any Error>, covered: Int)?
    /// When the last write started and how long it took: the next one waits as long again, so that rewriting a
    /// large lock takes at most half of a core while the API calls go on.
    private var lastWrite: (start: ContinuousClock.Instant, duration: Duration)?

    init(lock: LockFile, directory: String) {
        self.lock = lock
        self.directory = directory
        encoding = LockEncoding(lock)
    }

    var salt: String { lock.salt }

    /// Records an entry; returns once a lock file containing it is on disk.
    func record(_ entry: LockFile.Entry) async throws(EngineError) {
        let added = lock.resources.updateValue(entry, forKey: entry.address) == nil
        encoding.changed(entry.address, added: added)
        generation += 1
        try await persist(generation)
    }

    /// Records `entry` under its address instead of `from`, in one write; returns once that lock file is on disk.
    func move(from: Address, to entry: LockFile.Entry) async throws(EngineError) {
        if lock.resources.removeValue(forKey: from) != nil { encoding.removed(from) }
        let added = lock.resources.updateValue(entry, forKey: entry.address) == nil
        encoding.changed(entry.address, added: added)
        generation += 1
        try await persist(generation)
    }

    /// Removes an entry; returns once a lock file without it is on disk.
    func remove(_ address: Address) async throws(EngineError) {
        guard lock.resources.removeValue(forKey: address) != nil else { return }
        encoding.removed(address)
        generation += 1
        try await persist(generation)
    }

    /// Writes until change `wanted` is on disk. One write at a time, off the actor, so that the changes recorded
    /// while it runs go out together in the next one: with N resources each write costs O(N), so writing once per
    /// step made an apply O(N²).
    private func persist(_ wanted: Int) async throws(EngineError) {
        if !bumped {
            lock.serial += 1
            bumped = true
        }
        let path = (directory as NSString).appendingPathComponent(LockFile.fileName)
        while durable < wanted {
            let current: (task: Task<Void, any Error>, covered: Int)
            if let writing {
                current = writing
            } else {
                let pause = lastWrite.map { $0.duration * 2 - (ContinuousClock.now - $0.start) } ?? .zero
                let started: (task: Task<Void, any Error>, covered: Int)
                if pause > .milliseconds(1) {
                    // The write starts after the pause, and covers what is recorded until then.
                    started = (Task { try await Task.sleep(for: pause) }, -1)
                } else {
                    let parts: [ArraySlice<UInt8>]
                    do {
                        parts = try encoding.parts(of: lock)
                    } catch {
                        throw EngineError.lockFile(path, "cannot be written (\(error))")
                    }
                    let start = ContinuousClock.now
                    started = (Task.detached { try LockEncoding.write(parts, to: path) }, generation)
                    lastWrite = (start, .zero)
                }
                writing = started
                current = started
            }
            let result = await current.task.result
            // Whoever resumes first retires the write, so that no one spins on a finished one.
            if writing?.task == current.task {
                writing = nil
                if current.covered >= 0, let last = lastWrite {
                    lastWrite = (last.start, ContinuousClock.now - last.start)
                }
            }
            if case .failure(let error) = result, current.covered >= 0 {
                throw EngineError.lockFile(path, "cannot be written (\(error))")
            }
            durable = max(durable, current.covered)
        }
    }
}
