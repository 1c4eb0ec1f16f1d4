import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One apply at a time per manifest directory: an OS file lock on `.sinchform/apply.lock`, whose contents say
/// who holds it. The OS releases the lock when its process dies, so a lock left by a dead process never blocks;
/// its info is reported as stale.
public final class ApplyLock: Sendable {
    public struct Info: Codable, Sendable, Equatable, CustomStringConvertible {
        public var id: String
        public var pid: Int32
        public var host: String
        public var user: String
        public var command: String
        public var started: String

        public var description: String {
            "lock \(id) held by \(user)@\(host) (pid \(pid)) running `\(command)` since \(started)"
        }
    }

    public let info: Info
    public let path: String
    private let descriptor: Int32

    private init(info: Info, path: String, descriptor: Int32) {
        self.info = info
        self.path = path
        self.descriptor = descriptor
    }

    public static func path(in stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent("apply.lock")
    }

    /// Takes the lock, waiting up to `timeout` for a running apply to finish. `staleInfo` receives the info of
    /// a lock whose process is gone.
    public static func acquire(
        stateDirectory: String, command: String, timeout: Duration = .zero,
        staleInfo: @Sendable (Info) -> Void = { _ in }
    ) async throws(EngineError) -> ApplyLock {
        let path = path(in: stateDirectory)
        do {
            try AtomicFile.createStateFolder(stateDirectory)
        } catch let error as SymbolicLinkRefused {
            throw EngineError.stateFile(error.description)
        } catch {
            throw EngineError.stateFile("cannot create \(stateDirectory): \(error)")
        }
        // No O_NOFOLLOW, and a link planted at the lock would be truncated through, along with the file it names.
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw EngineError.stateFile(SymbolicLinkRefused(path: path).description) }
            throw EngineError.stateFile("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw EngineError.stateFile("\(path) is not a regular file: remove it and run again")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if clock.now >= deadline {
                // The holder writes who it is right after taking the lock: give it a moment to appear.
                var info = readInfo(path)
                for _ in 0..<40 where info == nil {
                    try? await Task.sleep(for: .milliseconds(25))
                    info = readInfo(path)
                }
                let holder = info.map(\.description) ?? "another process"
                close(descriptor)
                throw EngineError.applyLockHeld(holder)
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        if let previous = readInfo(path) { staleInfo(previous) }
        let info = Info(
            id: UUID().uuidString.lowercased(), pid: getpid(), host: ProcessInfo.processInfo.hostName,
            user: ProcessInfo.processInfo.environment["USER"] ?? "unknown", command: command,
            started: Timestamp.iso(Date()))
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(info)
            ftruncate(descriptor, 0)
            _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            fsync(descriptor)
        } catch {
            close(descriptor)
            throw EngineError.stateFile("cannot write \(path): \(error)")
        }
        return ApplyLock(info: info, path: path, descriptor: descriptor)
    }

    /// Releases the lock and clears its info, so the next apply sees no stale holder.
    public func release() {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    public static func readInfo(_ path: String) -> Info? {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
        return try? JSONDecoder().decode(Info.self, from: data)
    }

    /// `force-unlock`: removes the lock file when its id matches. Refuses while a live process holds it.
    public static func forceUnlock(stateDirectory: String, id: String) throws(EngineError) -> Info {
        let path = path(in: stateDirectory)
        guard let info = readInfo(path) else {
            throw EngineError.forceUnlock("no apply lock in \(stateDirectory)")
        }
        guard info.id == id else {
            throw EngineError.forceUnlock("the apply lock's id is \(info.id), not \(id); nothing removed")
        }
        let descriptor = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        if descriptor >= 0 {
            defer { close(descriptor) }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                if kill(info.pid, 0) == 0 {
                    throw EngineError.forceUnlock("\(info) is still running; stop it first")
                }
            }
        }
        try? FileManager.default.removeItem(atPath: path)
        return info
    }
}
