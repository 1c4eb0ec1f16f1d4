import Foundation
import ProvisioningAPI
import SinchformManifest

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
    public var resources: [String: Entry]

    public struct Entry: Codable, Sendable, Equatable {
        public var address: String
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
            address: String, kind: ResourceKind, remoteId: RemoteIdentity, specDigest: String,
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
            let lock = try JSONDecoder().decode(LockFile.self, from: data)
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
            var data = try Self.makeEncoder().encode(self)
            data.append(UInt8(ascii: "\n"))
            try AtomicFile.write(data, to: path)
        } catch {
            throw EngineError.lockFile(path, "cannot be written (\(error))")
        }
    }
}

/// How the server identifies a resource; stored in the lock file and plans.
public struct RemoteIdentity: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Server id (webhooks, WhatsApp and RCS senders), template code (KakaoTalk templates).
    public var id: String?
    public var plusFriendId: String?
    public var name: String?
    public var language: String?

    public init(id: String? = nil, plusFriendId: String? = nil, name: String? = nil, language: String? = nil) {
        self.id = id
        self.plusFriendId = plusFriendId
        self.name = name
        self.language = language
    }

    public var description: String {
        [id.map { "id \($0)" }, plusFriendId, name, language].compactMap { $0 }.joined(separator: " ")
    }
}

/// Durable file writes.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary =
            (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
