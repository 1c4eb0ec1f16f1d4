import Foundation
import SinchformManifest

/// A plan file written by `sinchform plan --out` and read by `show` and `apply`: the plan's JSON rendering.
public enum SavedPlan {
    /// Reads and decodes the plan at `path`, checking that it is a sinchform plan of the supported format version.
    ///
    /// - Throws: ``SavedPlanError`` naming the file: missing, unreadable, not a plan, or another format version.
    /// `requiringDigest: false` (for `show`, which only renders) also reads a plan without a digest, such as
    /// `plan --format json` output; a digest that does not match is refused either way.
    public static func read(_ path: String, requiringDigest: Bool = true) throws -> Plan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw SavedPlanError(
                path: path,
                message: !exists
                    ? "no such file; write one with sinchform plan --out \(path)"
                    : isDirectory.boolValue
                        ? "is a directory, not a plan file" : "cannot be read (\(error.localizedDescription))")
        }
        var plan = try decode(data, path: path, requiringDigest: requiringDigest)
        // The manifests are found from the plan file, wherever the command runs.
        if !plan.manifestDirectory.hasPrefix("/") {
            let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
            plan.manifestDirectory = folder.appendingPathComponent(plan.manifestDirectory).standardizedFileURL.path
        }
        return plan
    }

    /// The plan at `source` when it is a plan file (a file that is not a manifest), nil for a directory or manifest.
    public static func readIfPlanFile(_ source: String) throws -> Plan? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue,
            !(source.hasSuffix(".yaml") || source.hasSuffix(".yml"))
        else { return nil }
        return try read(source)
    }

    /// Decodes a plan from its JSON bytes; `path` names the source in errors.
    static func decode(_ data: Data, path: String, requiringDigest: Bool = true) throws -> Plan {
        struct Header: Decodable {
            var formatVersion: Int?
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw SavedPlanError(path: path, message: "is not a sinchform plan (not a JSON object)")
        }
        guard let version = header.formatVersion else {
            throw SavedPlanError(path: path, message: "is not a sinchform plan (no formatVersion)")
        }
        guard version == Plan.currentFormatVersion else {
            throw SavedPlanError(
                path: path,
                message:
                    "plan format version \(version) is not supported (this sinchform reads version \(Plan.currentFormatVersion)); run plan again with this version"
            )
        }
        let plan: Plan
        do {
            plan = try JSONDecoder().decode(Plan.self, from: data)
        } catch let error as DecodingError {
            throw SavedPlanError(path: path, message: "is not a valid sinchform plan: \(describe(error))")
        } catch {
            throw SavedPlanError(path: path, message: "is not a valid sinchform plan: \(error)")
        }
        return try checked(plan, path: path, requiringDigest: requiringDigest)
    }

    /// A decoded plan as it must be to be applied: unedited since it was written (its digest), each address once.
    /// The summary is computed from the changes, not taken from the file.
    static func checked(_ decoded: Plan, path: String, requiringDigest: Bool = true) throws -> Plan {
        let digest = decoded.digest
        if digest == nil && requiringDigest {
            throw SavedPlanError(path: path, message: "has no digest, so it cannot be checked; run plan --out again")
        }
        if let digest, (try? self.digest(of: decoded)) != digest {
            throw SavedPlanError(
                path: path,
                message: "was changed after it was written (its digest does not match); run plan --out again")
        }
        var seen = Set<Address>()
        for change in decoded.changes where !seen.insert(change.address).inserted {
            throw SavedPlanError(path: path, message: "lists \(change.address) more than once; run plan --out again")
        }
        var plan = Plan(
            project: decoded.project, manifestDirectory: decoded.manifestDirectory, lockLineage: decoded.lockLineage,
            lockSerial: decoded.lockSerial, changes: decoded.changes, scope: decoded.scope)
        plan.digest = digest
        return plan
    }

    /// `sha256:` of the plan's JSON without its digest.
    static func digest(of plan: Plan) throws -> String {
        var plan = plan
        plan.digest = nil
        return sha256Digest(try PlanRenderer.json(plan))
    }

    /// Writes `plan` to `path` atomically, as its JSON rendering.
    ///
    /// - Throws: ``SavedPlanError`` when the plan cannot be encoded or the file cannot be written.
    /// The manifest directory is written relative to the plan file, and the plan carries the digest of its content.
    public static func write(_ plan: Plan, to path: String) throws {
        var plan = plan
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        plan.manifestDirectory = relative(
            URL(fileURLWithPath: plan.manifestDirectory).standardizedFileURL.path, to: folder)
        do {
            plan.digest = try digest(of: plan)
            try AtomicFile.write(try PlanRenderer.json(plan), to: path)
        } catch {
            throw SavedPlanError(path: path, message: "cannot be written (\(error.localizedDescription))")
        }
    }

    /// `target` as a path from `folder` (both absolute): `../m` from `/p/other` to `/p/m`.
    static func relative(_ target: String, to folder: String) -> String {
        let from = folder.split(separator: "/")
        let to = target.split(separator: "/")
        let common = zip(from, to).prefix { $0 == $1 }.count
        let parts = Array(repeating: "..", count: from.count - common) + to.dropFirst(common).map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// One line for a decoding failure: what is wrong, at which JSON path (`changes[3].kind`).
    static func describe(_ error: DecodingError) -> String {
        func location(_ path: [any CodingKey]) -> String {
            var text = ""
            for key in path {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case let .keyNotFound(key, context):
            return "\(location(context.codingPath + [key])) is missing"
        case let .typeMismatch(type, context):
            return "\(location(context.codingPath)) is not \(readable(type))"
        case let .valueNotFound(type, context):
            return "\(location(context.codingPath)) is null, expected \(readable(type))"
        case let .dataCorrupted(context):
            return "\(location(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func readable(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Bool.Type: return "a Boolean"
        default: return "a valid \(type)"
        }
    }
}

/// A saved plan that cannot be read or written; its description is one line naming the file.
///
/// The description is `PATH: MESSAGE` without an `error: ` prefix: the CLI's generic error path adds it.
public struct SavedPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plan file.
    public var path: String
    /// What is wrong and, where possible, what to do.
    public var message: String

    /// - Parameters:
    ///   - path: the plan file.
    ///   - message: what is wrong with it.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `PATH: MESSAGE`.
    public var description: String { "\(path): \(message)" }
}
