import Foundation
import ProvisioningAPI
import SinchformManifest

/// Owns the lock file during an apply: every successful step updates its entry and rewrites the file atomically,
/// so a crash or kill at any moment leaves a lock that matches what was really done.
actor LockWriter {
    private(set) var lock: LockFile
    private let directory: String
    private var bumped = false

    init(lock: LockFile, directory: String) {
        self.lock = lock
        self.directory = directory
    }

    var salt: String { lock.salt }

    func record(_ entry: LockFile.Entry) throws(EngineError) {
        lock.resources[entry.address] = entry
        try save()
    }

    func remove(_ address: String) throws(EngineError) {
        guard lock.resources.removeValue(forKey: address) != nil else { return }
        try save()
    }

    private func save() throws(EngineError) {
        if !bumped {
            lock.serial += 1
            bumped = true
        }
        try lock.write(in: directory)
    }
}
