/// One problem found in a manifest set, rendered as `FILE:LINE:COLUMN: error: MESSAGE`.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// Where the problem is; `nil` only for problems that belong to no file (e.g. an unreadable directory).
    public var location: SourceLocation?
    public var message: String
    /// The resource the problem belongs to (`webhook.ops`), when it belongs to one.
    public var address: String?

    public init(_ severity: Severity, at location: SourceLocation?, _ message: String, address: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.address = address
    }

    public static func error(at location: SourceLocation?, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: location, message)
    }

    public static func warning(at location: SourceLocation?, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: location, message)
    }

    public var description: String {
        if let location {
            return "\(location): \(severity.rawValue): \(message)"
        }
        return "\(severity.rawValue): \(message)"
    }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.location, rhs.location) {
        case let (l?, r?) where l != r: return l < r
        case (nil, _?): return true
        case (_?, nil): return false
        default: return lhs.message < rhs.message
        }
    }
}

/// The diagnostics of a failed load, thrown when a manifest set has errors.
public struct ManifestErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted()
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
