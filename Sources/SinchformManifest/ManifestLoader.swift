import Foundation
import JSONSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads a directory of manifests into a validated `ManifestSet`.
public struct ManifestLoader: Sendable {
    /// Values for `${env.NAME}`.
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Reads every manifest under `path` (a directory or one file), in parallel, and checks the whole set.
    public func load(_ path: String) async -> ManifestLoadResult {
        let (files, findDiagnostics) = ManifestFiles().find(in: path)
        let environment = self.environment
        let parsed = await withTaskGroup(of: (Int, FileContents).self) { group in
            var results = [FileContents?](repeating: nil, count: files.count)
            var next = 0
            let width = max(2, ProcessInfo.processInfo.activeProcessorCount)
            func add(_ index: Int) {
                group.addTask { (index, FileContents.read(files[index], environment: environment)) }
            }
            while next < min(width, files.count) {
                add(next)
                next += 1
            }
            for await (index, contents) in group {
                results[index] = contents
                if next < files.count {
                    add(next)
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
        var diagnostics = findDiagnostics
        var resources: [DesiredResource] = []
        var projects: [(String, SourceLocation)] = []
        var parentReferences: [CrossChecks.ParentReference] = []
        var usedVariables: Set<String> = []
        // Grown once: appending file after file copied the resources gathered so far at every doubling.
        resources.reserveCapacity(parsed.reduce(0) { $0 + $1.resources.count })
        for contents in parsed {
            usedVariables.formUnion(contents.usedVariables)
            diagnostics += contents.diagnostics
            resources += contents.resources
            projects += contents.projects
            parentReferences += contents.parentReferences
        }
        var crossDiagnostics = CrossChecks.run(
            resources: resources, projects: projects, parentReferences: parentReferences)
        if !crossDiagnostics.isEmpty {
            // Cross-resource problems point at a resource's key (or a parent reference inside a resource).
            var byLocation: [SourceLocation: String] = [:]
            for resource in resources { byLocation[resource.location] = resource.address.description }
            for reference in parentReferences { byLocation[reference.location] = reference.child.description }
            for index in crossDiagnostics.indices {
                crossDiagnostics[index].address = crossDiagnostics[index].location.flatMap { byLocation[$0] }
            }
        }
        diagnostics += crossDiagnostics
        hideValues(of: usedVariables, in: &diagnostics)
        diagnostics.sort()
        // A repeated address is among the errors: a set is made only without them, so every address is unique.
        guard !diagnostics.contains(where: { $0.severity == .error }) else {
            return ManifestLoadResult(manifests: nil, diagnostics: diagnostics)
        }
        // By kind and address. Indices are sorted, not the resources, and the resources then swapped into place: none
        // of 10,000 is copied, or moved at every swap.
        let order = resources.indices.sorted { a, b in
            resources[a].kind != resources[b].kind
                ? resources[a].kind < resources[b].kind : resources[a].address < resources[b].address
        }
        resources.permute(to: order)
        let manifests = ManifestSet(project: projects.first?.0, resources: resources, files: files)
        return ManifestLoadResult(manifests: manifests, diagnostics: diagnostics)
    }
}

extension ManifestLoader {
    /// No diagnostic shows a value taken from the environment (DESIGN "Interpolation and variables"): the validator
    /// names the variable where it reports a value, and this catches the checks that quote a value they were given
    /// (a project or a plusFriendId that differs, say). Values shorter than four characters are left alone, so that a
    /// variable holding `EU` (or a one-letter test secret) does not garble every message.
    func hideValues(of variables: Set<String>, in diagnostics: inout [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let values = variables.compactMap { name -> (String, String)? in
            guard let value = environment[name], value.count >= 4 else { return nil }
            return (value, "${env.\(name)}")
        }
        // Longest first, so a value that contains another is replaced whole.
        .sorted { $0.0.count > $1.0.count }
        guard !values.isEmpty else { return }
        for index in diagnostics.indices {
            for (value, name) in values where diagnostics[index].message.contains(value) {
                diagnostics[index].message = diagnostics[index].message.replacing(value, with: name)
            }
        }
    }
}

/// What one file declares.
struct FileContents: Sendable {
    var resources: [DesiredResource] = []
    var projects: [(String, SourceLocation)] = []
    var parentReferences: [CrossChecks.ParentReference] = []
    var diagnostics: [Diagnostic] = []
    var usedVariables: Set<String> = []

    static func read(_ file: String, environment: [String: String]) -> FileContents {
        var contents = FileContents()
        let data: Data
        do {
            // Refuse an oversized file by its size, before its bytes are read (a 4 GiB file would cost 4 GiB).
            let limit = YAMLLoader().maxFileBytes
            // stat(2), not FileManager's attributes (which looks up the owner's user and group names: 1.5 % of
            // validating 10,000 resources in 100 files).
            var status = stat()
            if stat(file, &status) == 0, case let size = Int(status.st_size), size > limit {
                contents.diagnostics.append(
                    .error(
                        at: SourceLocation(file: file, line: 1, column: 1),
                        "file is \(size) bytes, larger than the \(limit) bytes a manifest may have; "
                            + "split it into several files"))
                return contents
            }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            contents.diagnostics.append(
                .error(at: SourceLocation(file: file, line: 1, column: 1), "cannot read the file"))
            return contents
        }
        return parse(data, file: file, environment: environment)
    }

    /// What the bytes of one file declare, as if read from `file`.
    static func parse(_ data: Data, file: String, environment: [String: String]) -> FileContents {
        var contents = FileContents()
        switch YAMLLoader().load(data: data, file: file) {
        case let .failure(errors):
            contents.diagnostics = errors.diagnostics
        case let .success(documents):
            var validator = SchemaValidator(environment: environment, source: SourceText(Array(data)))
            for document in documents {
                contents.add(document, validator: &validator)
            }
            contents.diagnostics += validator.diagnostics
            contents.usedVariables = validator.usedVariables
        }
        return contents
    }

    private static let topLevelKeys = ["project"] + ResourceKind.allCases.map(\.manifestKey)

    private mutating func add(_ document: YAMLNode, validator: inout SchemaValidator) {
        if document.isNull { return }
        guard case let .mapping(pairs) = document.kind else {
            validator.error(
                document.location, "",
                "a manifest file holds a mapping with keys \(Self.topLevelKeys.joined(separator: ", ")); found \(document.kindDescription)"
            )
            return
        }
        for (key, value) in pairs {
            guard let name = key.scalarText else {
                validator.error(key.location, "", "a top-level key must be a plain value")
                continue
            }
            if name == "project" {
                if let project = validator.check(value, .string(StringRules(minLength: 1)), path: "project")?.string {
                    projects.append((project, value.location))
                }
                continue
            }
            guard let kind = ResourceKind(manifestKey: name) else {
                var message = "unknown top-level key '\(name)'"
                if let suggestion = Suggestion.closest(to: name, in: Self.topLevelKeys) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += "; expected one of \(Self.topLevelKeys.joined(separator: ", "))"
                }
                validator.error(key.location, "", message)
                continue
            }
            if value.isNull { continue }
            let definition = kind.definition
            if definition.isSingleton {
                // One per project, no name: the key holds the spec itself.
                addResource(definition, definition.address(name: ""), at: key.location, value, validator: &validator)
                continue
            }
            guard case let .mapping(entries) = value.kind else {
                validator.error(
                    value.location, name,
                    "expected a mapping from resource names to specs, found \(value.kindDescription)")
                continue
            }
            for (entryKey, spec) in entries {
                addResource(kind, entryKey, spec, validator: &validator)
            }
        }
    }

    private mutating func addResource(
        _ kind: ResourceKind, _ key: YAMLNode, _ spec: YAMLNode, validator: inout SchemaValidator
    ) {
        guard let name = key.scalarText else {
            validator.error(key.location, kind.manifestKey, "a resource name must be a plain value")
            return
        }
        let definition = kind.definition
        let address = definition.address(name: name)
        validator.checkName(name, definition.nameRules, at: key.location, path: address.description)
        addResource(definition, address, at: key.location, spec, validator: &validator)
    }

    /// The resource at `address` (a singleton's has an empty name), its name's key at `location`.
    private mutating func addResource(
        _ definition: ResourceDefinition, _ address: Address, at location: SourceLocation, _ spec: YAMLNode,
        validator: inout SchemaValidator
    ) {
        let kind = definition.kind
        let name = address.name
        let path = address.description
        validator.address = path
        defer { validator.address = nil }
        let sensitiveBefore = validator.sensitiveValues
        guard var value = validator.check(spec, .object(definition.manifestEntry), path: path),
            var fields = value.object
        else {
            return
        }
        let written = fields.removeValue(forKey: "lifecycle")
        let lifecycle = readLifecycle(written, definition, path, &validator)
        // A new value only without a lifecycle to leave out: most resources have none.
        if written != nil { value.kind = .object(fields) }
        let sensitive = validator.sensitiveValues > sensitiveBefore

        guard definition.expandsLanguages else {
            add(
                DesiredResource(
                    kind: kind, name: name, language: nil, address: address, spec: value.json, lifecycle: lifecycle,
                    location: location, sensitivePaths: sensitive ? value.sensitivePaths : []), definition,
                located: value)
            return
        }
        let languages = fields.removeValue(forKey: "languages")?.object ?? [:]
        for (language, entry) in languages {
            let perLanguage = fields.merging(entry.object ?? [:]) { _, languageValue in languageValue }
            let spec = ManifestValue(.object(perLanguage), at: entry.location)
            add(
                DesiredResource(
                    kind: kind, name: name, language: language,
                    address: definition.address(name: name, language: language), spec: spec.json,
                    lifecycle: lifecycle, location: entry.location,
                    sensitivePaths: sensitive ? spec.sensitivePaths : []),
                definition, located: spec)
        }
    }

    /// Keeps a resource, after the rules within it that the schema cannot say (the kind's
    /// ``ResourceDefinition/checks``), which need its spec's source locations (the resource keeps only its key's).
    private mutating func add(
        _ resource: consuming DesiredResource, _ definition: ResourceDefinition, located spec: ManifestValue
    ) {
        var found = definition.checks.flatMap { $0(resource.address.description, spec) }
        for index in found.indices { found[index].address = resource.address.description }
        diagnostics += found
        if let parent = definition.parent, let reference = spec[parent.field], let key = reference.string {
            parentReferences.append(
                .init(child: resource.address, parent: parent, key: key, location: reference.location))
        }
        resources.append(resource)
    }

    private func readLifecycle(
        _ value: ManifestValue?, _ definition: ResourceDefinition, _ address: String, _ validator: inout SchemaValidator
    ) -> Lifecycle {
        guard let value else { return Lifecycle() }
        var lifecycle = Lifecycle(protect: value["protect"]?.bool ?? false)
        for entry in value["ignoreChanges"]?.array ?? [] {
            guard let path = entry.string else { continue }
            let parts = path.split(separator: ".").map(String.init)
            if definition.resourceType.descendant(parts) == nil {
                var message = "ignoreChanges: no field '\(path)' in a \(definition.kind.rawValue)"
                let prefix = parts.dropLast()
                let siblings = definition.resourceType.descendant(Array(prefix))?.fieldNames ?? []
                if let last = parts.last, let suggestion = Suggestion.closest(to: last, in: siblings) {
                    message += "; did you mean '\((prefix + [suggestion]).joined(separator: "."))'?"
                }
                validator.error(entry.location, address + ".lifecycle", message)
            } else {
                lifecycle.ignoreChanges.append(path)
            }
        }
        return lifecycle
    }
}
