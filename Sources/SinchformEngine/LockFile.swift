import Foundation
import JSONSyntax
import ProvisioningAPI
import SinchformManifest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sinchform.lock`: what sinchform owns and what it last applied. Committed to git; it decides what may be
/// deleted (only resources recorded here). Write-only values appear only as salted fingerprints.
public struct LockFile: Codable, Sendable, Equatable {
    public static let fileName = "sinchform.lock"
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var project: String
    /// Fixed when the lock is created: two locks with different lineages describe different histories.
    public var lineage: String
    /// Incremented once per apply.
    public var serial: Int
    /// Salt of the write-only fingerprints.
    public var salt: String
    public var resources: [Address: Entry]

    public struct Entry: Codable, Sendable, Equatable {
        public var address: Address
        public var kind: ResourceKind
        /// The server's identity of the resource (id, code, plusFriendId, name + language).
        public var remoteId: RemoteIdentity
        /// Digest of the normalized spec last applied (write-only fields excluded).
        public var specDigest: String
        /// The field paths the last applied spec set; a path that disappears from the manifests is unset.
        public var managedFields: [String]
        /// Salted fingerprints of write-only values, by field path; never the value.
        public var writeOnly: [String: String]
        public var appliedAt: String

        public init(
            address: Address, kind: ResourceKind, remoteId: RemoteIdentity, specDigest: String,
            managedFields: [String], writeOnly: [String: String], appliedAt: String
        ) {
            self.address = address
            self.kind = kind
            self.remoteId = remoteId
            self.specDigest = specDigest
            self.managedFields = managedFields
            self.writeOnly = writeOnly
            self.appliedAt = appliedAt
        }

        /// The entry the reader is at; nil when it is not JSON.
        ///
        /// `fieldLists`: the `managedFields` read so far, by their text (see ``JSONReader/value(sharing:)``): entries
        /// of one kind mostly list the same fields, so their lists and paths are shared rather than read again.
        static func read(
            _ reader: inout JSONReader, fieldLists: inout [String: JSONValue]
        ) -> Result<Entry, LockFormatError>? {
            guard reader.nextIsObject() else {
                return reader.value().map { _ in .failure(LockFormatError("an entry is not an object")) }
            }
            // Each member into its field as it is read: not an object of the entry first (its members sorted, then
            // looked up one by one), 10,000 times.
            var members = Members()
            guard reader.object({ reader, key in members.read(key, &reader, &fieldLists) }) else { return nil }
            return Result { () throws(LockFormatError) in try Entry(members) }
        }

        /// An entry's members as read, checked afterwards in one order whatever order the file has them in.
        private struct Members {
            var address, kind, remoteId, specDigest, managedFields, writeOnly, appliedAt: JSONValue?

            /// Reads the member `key` (a later one replaces an earlier one, as in an object); false when it is not
            /// JSON.
            mutating func read(_ key: String, _ reader: inout JSONReader, _ lists: inout [String: JSONValue]) -> Bool {
                guard let value = key == "managedFields" ? reader.value(sharing: &lists) : reader.value() else {
                    return false
                }
                switch key {
                case "address": address = value
                case "kind": kind = value
                case "remoteId": remoteId = value
                case "specDigest": specDigest = value
                case "managedFields": managedFields = value
                case "writeOnly": writeOnly = value
                case "appliedAt": appliedAt = value
                default: break
                }
                return true
            }
        }

        private init(_ members: Members) throws(LockFormatError) {
            let text = try LockFormatError.require(members.address, "address", \.stringValue)
            do {
                address = try Address(parsing: text)
            } catch {
                throw LockFormatError(error.description)
            }
            let kindName = try LockFormatError.require(members.kind, "kind", \.stringValue)
            guard let kind = ResourceKind(rawValue: kindName) else {
                throw LockFormatError("\(address): unknown kind \(kindName)")
            }
            self.kind = kind
            guard let identity = members.remoteId, case .object = identity else {
                throw LockFormatError("\(address).remoteId is not an object")
            }
            guard let remoteId = RemoteIdentity(json: identity) else {
                throw LockFormatError("\(address).remoteId: empty or of an unknown shape")
            }
            self.remoteId = remoteId
            specDigest = try LockFormatError.require(members.specDigest, "specDigest", \.stringValue)
            let address = address
            managedFields = try LockFormatError.require(members.managedFields, "managedFields", \.arrayValue).map {
                (path) throws(LockFormatError) in
                guard let path = path.stringValue else { throw LockFormatError("\(address).managedFields: not text") }
                return path
            }
            writeOnly = [:]
            for (path, fingerprint) in try LockFormatError.require(members.writeOnly, "writeOnly", \.objectValue) {
                guard let fingerprint = fingerprint.stringValue else {
                    throw LockFormatError("\(address).writeOnly: not text")
                }
                writeOnly[path] = fingerprint
            }
            appliedAt = try LockFormatError.require(members.appliedAt, "appliedAt", \.stringValue)
        }
    }

    public init(project: String) {
        formatVersion = Self.currentFormatVersion
        self.project = project
        lineage = UUID().uuidString.lowercased()
        serial = 0
        salt = Fingerprint.newSalt()
        resources = [:]
    }

    /// Reads the lock file in `directory`, or nil when there is none.
    public static func read(in directory: String) throws(EngineError) -> LockFile? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let lock = try LockFile(bytes: data)
            guard lock.formatVersion == currentFormatVersion else {
                throw EngineError.lockFile(
                    path, "format version \(lock.formatVersion) is not supported (expected \(currentFormatVersion))")
            }
            return lock
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.lockFile(path, "cannot be read (\(error)); restore it from git")
        }
    }

    /// The lock `bytes` hold (read in place: a lock of 10,000 entries is ~6 MB), each entry mapped as it is read: not
    /// JSONDecoder (a lock of 10,000 entries decoded in 0.25 s before anything else of a plan could start), nor a tree
    /// of the whole file then mapped (0.1 s). Damage is named as a reading of the whole file then its members would
    /// name it: not JSON first, then the top-level members in order, then an entry. A key written twice counts with
    /// its last value, as in the tree, even when the first was damaged.
    init(bytes: Data) throws(LockFormatError) {
        var header: JSONObject?
        var entries: [Address: Entry]?
        // Damaged entries by the key they are under: a later entry under the same key replaces the damaged one.
        var damaged: [String: LockFormatError] = [:]
        let isJSON = JSONReader.read(bytes) { reader -> Bool? in
            guard reader.nextIsObject() else { return reader.value().map { _ in true } }
            var members = JSONObject()
            let complete = reader.object { reader, key in
                guard key == "resources", reader.nextIsObject() else {
                    guard let value = reader.value() else { return false }
                    if key == "resources" { entries = nil }
                    members[key] = value
                    return true
                }
                // Room for them at once (an entry takes 400 to 700 bytes): growing 10,000 entries by doubling was
                // 1 % of a plan in the profile.
                var resources = [Address: Entry](minimumCapacity: bytes.count / 512)
                var fieldLists: [String: JSONValue] = [:]
                damaged = [:]
                defer { entries = resources }
                return reader.object { reader, key in
                    guard let entry = Entry.read(&reader, fieldLists: &fieldLists) else { return false }
                    do throws(LockFormatError) {
                        let entry = try entry.get()
                        resources[try Self.checked(entry, under: key)] = entry
                        if !damaged.isEmpty { damaged[key] = nil }
                    } catch {
                        damaged[key] = error
                    }
                    return true
                }
            }
            header = members
            return complete ? true : nil
        }
        guard isJSON != nil else { throw LockFormatError("the file is not JSON") }
        guard let header else { throw LockFormatError("the lock is not an object") }
        formatVersion = try LockFormatError.require(header["formatVersion"], "formatVersion", \.intValue)
        project = try LockFormatError.require(header["project"], "project", \.stringValue)
        lineage = try LockFormatError.require(header["lineage"], "lineage", \.stringValue)
        serial = try LockFormatError.require(header["serial"], "serial", \.intValue)
        salt = try LockFormatError.require(header["salt"], "salt", \.stringValue)
        guard let entries else { throw LockFormatError("resources is missing or of the wrong type") }
        if let (_, damage) = damaged.min(by: { $0.key < $1.key }) { throw damage }
        resources = entries
        // Ownership decides what may be deleted: one live resource recorded twice would be deleted for one of them.
        // Sorted (for the same message on every run) only once there is a clash to report.
        if Self.firstClash(resources.values, count: resources.count) != nil,
            let (first, second) = Self.firstClash(
                resources.values.sorted { $0.address < $1.address }, count: resources.count)
        {
            throw LockFormatError(
                "\(first) and \(second.address) record the same \(second.kind.rawValue) (\(second.remoteId)); "
                    + "remove the wrong entry")
        }
    }

    /// `entry`'s address, when it is the key it is filed under and of the kind the entry records.
    private static func checked(_ entry: Entry, under key: String) throws(LockFormatError) -> Address {
        guard entry.address.description == key else {
            throw LockFormatError("the entry under \(key) has the address \(entry.address)")
        }
        guard entry.address.kind == entry.kind else {
            throw LockFormatError(
                "\(entry.address) is recorded as a \(entry.kind.rawValue), not a \(entry.address.kind.rawValue)")
        }
        return entry.address
    }

    /// One live resource.
    private struct Owner: Hashable {
        var kind: ResourceKind
        var remoteId: RemoteIdentity
    }

    /// The first entry, in `entries` order, that records the same live resource as an earlier one, with the earlier
    /// one's address.
    private static func firstClash(_ entries: some Collection<Entry>, count: Int) -> (Address, Entry)? {
        var owners = Set<Owner>(minimumCapacity: count)
        // By position, members read in place (docs/CONTRIBUTING.md, "Large values in loops over every resource"); the
        // earlier entry's address is looked for only once there is a clash.
        for index in entries.indices {
            let owner = Owner(kind: entries[index].kind, remoteId: entries[index].remoteId)
            guard !owners.insert(owner).inserted,
                let first = entries.first(where: { $0.kind == owner.kind && $0.remoteId == owner.remoteId })
            else { continue }
            return (first.address, entries[index])
        }
        return nil
    }

    /// One entry as the lock file writes it (pretty-printed, sorted keys), ending in a newline.
    public static func json(of entry: Entry) throws -> String {
        String(decoding: try makeEncoder().encode(entry), as: UTF8.self) + "\n"
    }

    /// The lock's on-disk format: pretty-printed with sorted keys, so that diffs in git are small and stable.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Writes the lock atomically: a temporary file beside it, flushed to disk, then renamed over the old one,
    /// so a crash at any moment leaves either the old or the new file, never a torn one.
    public func write(in directory: String) throws(EngineError) {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        do {
            var encoding = LockEncoding(self)
            try LockEncoding.write(encoding.parts(of: self), to: path)
        } catch {
            throw EngineError.lockFile(path, "cannot be written (\(error))")
        }
    }
}

/// What is wrong with a lock file's contents.
struct LockFormatError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }

    /// `value` (the member `key`) as `read` makes it; an error naming `key` when it is missing or `read` gives nil.
    static func require<Value>(
        _ value: JSONValue?, _ key: String, _ read: (JSONValue) -> Value?
    ) throws(LockFormatError) -> Value {
        guard let value = value.flatMap(read) else {
            throw LockFormatError("\(key) is missing or of the wrong type")
        }
        return value
    }
}

/// A symbolic link where sinchform writes its own files: refused, so that a link planted in `.sinchform/` or beside
/// the manifests (git stores links) cannot make sinchform truncate or overwrite the file it points to.
struct SymbolicLinkRefused: LocalizedError, CustomStringConvertible {
    var path: String

    var description: String {
        "\(path) is a symbolic link, and sinchform does not write through links: remove it (rm '\(path)') and run again"
    }

    var errorDescription: String? { description }
}

/// A system call on a file that failed.
struct FileSystemError: LocalizedError, CustomStringConvertible {
    var path: String
    var operation: String
    var code: Int32

    init(_ path: String, _ operation: String, code: Int32 = errno) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    var description: String { "\(path): cannot \(operation): \(String(cString: strerror(code)))" }
    var errorDescription: String? { description }
}

/// Durable file writes, never through a symbolic link.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        try write(to: path) { try $0.write(contentsOf: data) }
    }

    /// Writes what `body` writes to the handle it is given (a temporary file, created anew), then renames it over
    /// `path` and flushes the directory, so that the rename itself survives a power loss.
    ///
    /// The temporary file's name carries the writer's process id: one left by a process that no longer runs (killed
    /// between creating it and the rename) is removed by the next write of the same file.
    static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        try refuseLink(at: path)
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        let prefix = ".\((path as NSString).lastPathComponent)."
        removeAbandonedTemporaries(in: folder, prefix: prefix)
        let temporary = folder + "/" + prefix + "\(getpid()).\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError(temporary, "be created") }
        do {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try body(handle)
            try handle.synchronize()
            try handle.close()
            if rename(temporary, path) != 0 { throw FileSystemError(path, "be replaced") }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncDirectory(folder)
    }

    /// Removes `PREFIX<pid>.<uuid>.tmp` files in `folder` whose process is gone.
    private static func removeAbandonedTemporaries(in folder: String, prefix: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let parts = name.dropFirst(prefix.count).split(separator: ".")
            // range-checked: Int32(_:) of text is nil for anything outside Int32.
            guard parts.count == 3, let pid = Int32(parts[0]), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
        }
    }

    /// Flushes a directory's entries (a rename, a new file) to disk.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(path, "be opened") }
        defer { close(descriptor) }
        // Some file systems cannot flush a directory (EINVAL); they have nothing more to make durable.
        if fsync(descriptor) != 0, errno != EINVAL { throw FileSystemError(path, "be flushed") }
    }

    /// Throws when `path` is a symbolic link; a missing path, or anything else, passes.
    static func refuseLink(at path: String) throws(SymbolicLinkRefused) {
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK { throw SymbolicLinkRefused(path: path) }
    }

    /// Creates a state folder such as `.sinchform` or `.sinchform/journal` (and its parents) unless it exists,
    /// refusing a link at it.
    static func createStateFolder(_ path: String) throws {
        try refuseLink(at: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try refuseLink(at: path)
    }
}
