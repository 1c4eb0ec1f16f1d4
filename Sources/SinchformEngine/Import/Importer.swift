import Foundation
import ProvisioningAPI
import SinchformManifest
import Yams

/// What `sinchform import` reads and whether it may overwrite.
public struct ImportOptions: Sendable {
    /// The kinds to import.
    public var kinds: Set<ResourceKind>
    /// Overwrite manifests and a lock file that already exist in the output directory.
    public var force: Bool

    public init(kinds: Set<ResourceKind> = Set(ResourceKind.allCases), force: Bool = false) {
        self.kinds = kinds
        self.force = force
    }
}

/// What an import wrote.
public struct ImportResult: Sendable {
    /// The files written: one manifest per kind that has resources, in kind order (and the JSON Schema for
    /// editors when no `schemas/manifest.schema.json` encloses the directory).
    public var files: [String]
    /// The lock file written.
    public var lockPath: String
    /// The addresses now recorded in the lock file, in address order.
    public var addresses: [Address]
    /// Things the user should know: values that could not be read back, and how to manage them.
    public var notes: [String]
}

/// Writes manifests and a lock file from a project's live state, so that `plan` right after reports no changes.
///
/// Each kind goes to its own file (`webhooks.yaml`, `whatsapp-templates.yaml`, …), resources sorted by name, with
/// the API's field names. Only schema fields are kept (server-computed ids, states and timestamps drop out, as does
/// anything equal to the API's default), and WhatsApp templates are grouped by name with `languages:`. Names come
/// from what identifies a resource: the target of a webhook, a template's name, a plusFriendId, a brand name or a
/// phone number. Write-only values (a webhook `secret`) cannot be read back: they are left out, with a comment
/// showing how to manage them through `${env.NAME}`.
public struct Importer: Sendable {
    public init() {}

    /// Reads every resource of the chosen kinds through `client` and writes them into `workspace`'s directory.
    public func importProject(
        client: ProvisioningClient, into workspace: Workspace, project: String, options: ImportOptions = ImportOptions()
    ) async throws(EngineError) -> ImportResult {
        let live: LiveState
        do {
            live = try await Refresher().refresh(client, kinds: options.kinds)
        } catch let error as APIError {
            throw EngineError.api(error)
        } catch {
            throw EngineError.refresh("\(error)")
        }
        return try await write(live, into: workspace, project: project, options: options)
    }

    /// Writes the manifests and the lock file for `live` (already read). The files are written and loaded in a
    /// scratch folder first, on their own: only a set that validates is moved into place, so a failed import leaves
    /// the directory as it was (security audit 19).
    public func write(
        _ live: LiveState, into workspace: Workspace, project: String, options: ImportOptions = ImportOptions()
    ) async throws(EngineError) -> ImportResult {
        let directory = workspace.directory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw EngineError.importFailed("--out \(directory) is a file; give a directory (it is created if missing)")
        }
        let located = SchemaReference.locate(from: directory)
        var documents: [ImportedDocument]
        do {
            documents = try ImportedDocument.all(
                from: live, kinds: options.kinds, project: project,
                schemaReference: located ?? SchemaReference.localFileName)
            if located == nil, !documents.isEmpty {
                // No checkout of the schema nearby: put the generated one beside the files, for editors.
                documents.append(
                    ImportedDocument(
                        kind: nil, fileName: SchemaReference.localFileName, text: try ManifestJSONSchema.document(),
                        identities: [:], notes: []))
            }
        } catch {
            throw EngineError.importFailed("cannot write the manifests as YAML: \(error)")
        }
        let lockPath = (directory as NSString).appendingPathComponent(LockFile.fileName)
        let paths = documents.map { (directory as NSString).appendingPathComponent($0.fileName) }
        if !options.force {
            let existing = (paths + [lockPath]).filter { FileManager.default.fileExists(atPath: $0) }
            if !existing.isEmpty {
                throw EngineError.importFailed(
                    "import would overwrite \(existing.joined(separator: ", ")); "
                        + "choose another --out directory or pass --force")
            }
        }
        // The scratch folder is hidden (manifests under dot-folders are never read) and beside the final files, so
        // moving them into place is a rename on one file system.
        let scratch = (workspace.stateDirectory as NSString).appendingPathComponent("import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            for document in documents {
                try AtomicFile.write(
                    Data(document.text.utf8), to: (scratch as NSString).appendingPathComponent(document.fileName))
            }
        } catch {
            throw EngineError.importFailed("cannot write the manifests into \(directory): \(error)")
        }

        // The lock is computed from the files as they load, exactly as apply would record them, so the next plan
        // compares like with like.
        let manifests: ManifestSet
        do {
            var generated = workspace
            generated.directory = scratch
            (manifests, _) = try await generated.loadManifests()
        } catch {
            throw EngineError.importFailed(
                "the imported manifests do not validate (the live values break a rule sinchform checks); nothing "
                    + "was written. Import without that kind (--kinds), or report the value:\n\(error)")
        }
        do {
            for (document, path) in zip(documents, paths) {
                if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
                try FileManager.default.moveItem(
                    atPath: (scratch as NSString).appendingPathComponent(document.fileName), toPath: path)
            }
        } catch {
            throw EngineError.importFailed("cannot write the manifests into \(directory): \(error)")
        }
        var lock = LockFile(project: project)
        let now = Timestamp.iso(Date())
        let identities = documents.reduce(into: [Address: RemoteIdentity]()) { $0.merge($1.identities) { a, _ in a } }
        for desired in manifests.resources {
            guard let identity = identities[desired.address] else { continue }
            let normalized = Normalizer().normalize(desired.spec, as: desired.definition.resourceType)
            lock.resources[desired.address] = LockFile.Entry(
                address: desired.address, kind: desired.kind, remoteId: identity, specDigest: normalized.digest,
                managedFields: normalized.leafPaths(), writeOnly: [:], appliedAt: now)
        }
        try lock.write(in: directory)
        return ImportResult(
            files: paths, lockPath: lockPath, addresses: lock.resources.keys.sorted(),
            notes: documents.flatMap(\.notes))
    }
}

/// One manifest file of an import: its text and the server identity behind each address it declares.
struct ImportedDocument {
    /// Nil for the JSON Schema written beside the manifests.
    var kind: ResourceKind?
    var fileName: String
    var text: String
    var identities: [Address: RemoteIdentity]
    var notes: [String]

    /// One document per chosen kind that has live resources, in kind order.
    static func all(
        from live: LiveState, kinds: Set<ResourceKind>, project: String, schemaReference: String
    ) throws -> [ImportedDocument] {
        try kinds.sorted().compactMap { kind in
            let resources = live.all(kind)
            guard !resources.isEmpty else { return nil }
            return try document(kind, resources, project: project, schemaReference: schemaReference)
        }
    }

    private static func document(
        _ kind: ResourceKind, _ resources: [LiveResource], project: String, schemaReference: String
    ) throws -> ImportedDocument {
        let definition = ResourceDefinition.definition(for: kind)
        let entries = ImportedEntry.entries(kind, resources)
        var text = "# yaml-language-server: $schema=\(schemaReference)\n"
        text += "# Imported from project \(project) by `sinchform import`; sinchform.lock records each resource.\n"
        for line in definition.importing.comment { text += "# \(line)\n" }
        text += "\(kind.manifestKey):\n"
        var notes: [String] = []
        let emitter = ManifestEmitter()
        for entry in entries {
            if definition.isSingleton {
                // One per project, no name: the spec sits under the kind's key itself (`KEY: {}` when empty).
                let node = emitter.node(entry.spec, schema: .object(definition.manifestSpec))
                let block = try Yams.serialize(node: node, width: -1, allowUnicode: true)
                text.removeLast()
                text +=
                    entry.spec.objectValue?.isEmpty != false
                    ? " {}\n" : "\n" + block.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
                continue
            }
            let block = try emitter.resource(
                name: entry.name, spec: entry.spec, schema: .object(definition.manifestSpec))
            text += block.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
            if !text.hasSuffix("\n") { text += "\n" }
            // Secrets are write-only: the live one stays, and the file says how to manage it.
            for path in definition.manifestSpec.paths(with: [.writeOnly, .sensitive]) {
                let field = path.joined(separator: ".")
                let variable = ImportNaming.secretVariable(for: entry.name, kind: kind, field: field)
                text +=
                    "    # The \(field) is write-only and cannot be read back, so it was left out; the live one stays.\n"
                text += "    # To manage it with sinchform, take it from the environment:\n"
                text += "    # \(field): ${env.\(variable)}\n"
                notes.append(
                    "\(definition.address(name: entry.name)): the \(field) cannot be read back; to manage it, add "
                        + "\(field): ${env.\(variable)} (in \(definition.importing.fileName))")
            }
        }
        let identities = entries.reduce(into: [Address: RemoteIdentity]()) { $0.merge($1.identities) { a, _ in a } }
        return ImportedDocument(
            kind: kind, fileName: definition.importing.fileName, text: text, identities: identities, notes: notes)
    }
}

/// One manifest entry: its name, its spec as written, and the address → server identity of what it declares.
struct ImportedEntry {
    var name: String
    var spec: JSONValue
    var identities: [Address: RemoteIdentity]

    /// The entries of one kind, sorted by name.
    static func entries(_ kind: ResourceKind, _ resources: [LiveResource]) -> [ImportedEntry] {
        let definition = ResourceDefinition.definition(for: kind)
        let schema = definition.resourceType
        let adapter = KindAdapters.adapter(for: kind)
        func spec(_ live: LiveResource) -> JSONValue {
            adapter.imported(DefaultPruner.prune(live.effective, as: schema) ?? .object([:]))
        }
        if definition.isSingleton {
            return resources.prefix(1).map {
                ImportedEntry(name: "", spec: spec($0), identities: [definition.address(name: ""): $0.identity])
            }
        }
        if definition.expandsLanguages {
            // One entry per template name, one `languages:` member per language; the category is the name's.
            let byName = Dictionary(grouping: resources) { $0.identity.name ?? "" }
            return byName.keys.sorted().map { name in
                let languages = (byName[name] ?? []).sorted {
                    ($0.identity.language ?? "") < ($1.identity.language ?? "")
                }
                var members: JSONObject = [:]
                var identities: [Address: RemoteIdentity] = [:]
                var category: JSONValue?
                for live in languages {
                    let language = live.identity.language ?? ""
                    let content = spec(live)
                    category = category ?? content["category"]
                    members[language] = .object(["details": content["details"] ?? .object([:])])
                    identities[definition.address(name: name, language: language)] = live.identity
                }
                var entry: JSONObject = ["languages": .object(members)]
                entry["category"] = category
                return ImportedEntry(name: name, spec: .object(entry), identities: identities)
            }
        }
        // A stable order before naming, so that duplicates get the same suffixes on every import.
        let sorted = resources.map { (ImportNaming.basis(of: $0), $0) }.sorted {
            ($0.0, $0.1.identity.description) < ($1.0, $1.1.identity.description)
        }
        let names = ImportNaming.unique(sorted.map(\.0), fallback: kind.rawValue.lowercased())
        return zip(names, sorted).map { name, pair in
            ImportedEntry(
                name: name, spec: spec(pair.1), identities: [definition.address(name: name): pair.1.identity])
        }
        .sorted { $0.name < $1.name }
    }
}

/// Drops values equal to the API default the schema declares: the planner fills them back in before comparing, so
/// leaving them out changes nothing and keeps imported files to what was chosen.
enum DefaultPruner {
    static func prune(_ value: JSONValue, as type: SchemaType) -> JSONValue? {
        switch type {
        case let .object(object):
            return pruneFields(value, object)
        case let .oneOf(discriminator, variants):
            guard let tag = value[discriminator]?.stringValue,
                let variant = variants.first(where: { $0.value == tag })
            else { return value }
            guard var members = pruneFields(value, variant.schema)?.objectValue else { return value }
            members[discriminator] = .string(tag)
            return .object(members)
        case let .array(items, _):
            guard case let .array(elements) = value else { return value }
            return .array(elements.map { prune($0, as: items) ?? $0 })
        case let .map(_, values):
            guard case let .object(members) = value else { return value }
            return .object(members.mapValues { prune($0, as: values) ?? $0 })
        case .string, .number, .boolean, .enumeration, .any:
            return value
        }
    }

    private static func pruneFields(_ value: JSONValue, _ object: ObjectSchema) -> JSONValue? {
        guard case let .object(members) = value else { return value }
        var result: JSONObject = [:]
        for (key, member) in members {
            guard let field = object.field(key) else {
                result[key] = member
                continue
            }
            if let defaultValue = field.defaultValue,
                Normalizer().normalize(defaultValue.json, as: field.type) == member
            {
                continue
            }
            result[key] = prune(member, as: field.type) ?? member
        }
        return .object(result)
    }
}

/// Where the `# yaml-language-server: $schema=` line points.
enum SchemaReference {
    static let repositoryPath = "schemas/manifest.schema.json"
    /// Written beside the imported manifests when no enclosing directory has the schema.
    static let localFileName = "manifest.schema.json"

    /// `schemas/manifest.schema.json` of the nearest enclosing directory that has one, relative to `directory`, or
    /// nil when there is none.
    static func locate(from directory: String) -> String? {
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        var ups = 0
        while true {
            let candidate = current.appendingPathComponent(repositoryPath).path
            if FileManager.default.fileExists(atPath: candidate) {
                return String(repeating: "../", count: ups) + repositoryPath
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
            ups += 1
        }
    }
}
