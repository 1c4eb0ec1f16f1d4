import Foundation

/// Finds the manifest files under a directory: every `*.yaml` / `*.yml`, recursively, skipping hidden folders
/// (`.git`, `.github`, `.sinchform`), never following a symbolic link into a loop.
struct ManifestFiles {
    var maxFiles = 50_000
    var maxDepth = 32

    func find(in directory: String) -> (files: [String], diagnostics: [Diagnostic]) {
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return ([], [.error(at: nil, "\(directory): no such file or directory")])
        }
        guard isDirectory.boolValue else {
            if isManifest(directory) { return ([directory], []) }
            return ([], [.error(at: nil, "\(directory): not a directory or a .yaml/.yml file")])
        }
        var visited = Set<String>()
        walk(directory, depth: 0, visited: &visited, files: &files, diagnostics: &diagnostics)
        if files.isEmpty && diagnostics.isEmpty {
            diagnostics.append(.warning(at: nil, "\(directory): no .yaml or .yml files found"))
        }
        return (files, diagnostics)
    }

    private func walk(
        _ directory: String, depth: Int, visited: inout Set<String>, files: inout [String],
        diagnostics: inout [Diagnostic]
    ) {
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard visited.insert(real).inserted else {
            diagnostics.append(
                .error(at: nil, "\(directory): symbolic link loop (leads back to \(real)); remove the link"))
            return
        }
        defer { visited.remove(real) }
        guard depth <= maxDepth else {
            diagnostics.append(.error(at: nil, "\(directory): folders nested deeper than \(maxDepth) levels"))
            return
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            diagnostics.append(
                .error(at: nil, "\(directory): cannot read the directory (\(error.localizedDescription))"))
            return
        }
        for entry in entries where !entry.hasPrefix(".") {
            let path = directory == "." ? entry : (directory as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                if isManifest(path) {
                    diagnostics.append(.error(at: nil, "\(path): broken symbolic link"))
                }
                continue
            }
            if isDirectory.boolValue {
                walk(path, depth: depth + 1, visited: &visited, files: &files, diagnostics: &diagnostics)
            } else if isManifest(path) {
                guard files.count < maxFiles else {
                    diagnostics.append(.error(at: nil, "\(directory): more than \(maxFiles) manifest files"))
                    return
                }
                files.append(path)
            }
        }
    }

    private func isManifest(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    }
}
