import JSONSyntax

/// Renders the diagnostics of `validate` for people (text), programs (JSON) or GitHub Actions (workflow commands,
/// so each one shows on its line of a pull request's diff).
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    case text
    case json
    case github

    /// The diagnostics in this format, one line each for text and github, one JSON document for json.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch self {
        case .text:
            return diagnostics.map { $0.description + "\n" }.joined()
        case .json:
            let errors = diagnostics.filter { $0.severity == .error }.count
            let items: [JSONValue] = diagnostics.map { diagnostic in
                var item: JSONObject = [
                    "severity": .string(diagnostic.severity.rawValue), "message": .string(diagnostic.message),
                ]
                if let location = diagnostic.location {
                    item["file"] = .string(location.file)
                    item["line"] = .number(Double(location.line))
                    item["column"] = .number(Double(location.column))
                }
                if let address = diagnostic.address { item["address"] = .string(address) }
                return .object(item)
            }
            let document: JSONValue = [
                "diagnostics": .array(items), "errors": .number(Double(errors)),
                "warnings": .number(Double(diagnostics.count - errors)),
            ]
            return document.jsonString + "\n"
        case .github:
            return diagnostics.map(Self.workflowCommand).joined()
        }
    }

    /// `::error file=F,line=L,col=C,title=T::MESSAGE`, escaped as GitHub's toolkit does (`@actions/core`,
    /// `command.ts`): `%`, CR and LF in the message; also `:` and `,` in property values.
    static func workflowCommand(_ diagnostic: Diagnostic) -> String {
        var properties: [String] = []
        if let location = diagnostic.location {
            properties += [
                "file=" + escapeProperty(location.file), "line=\(location.line)", "col=\(location.column)",
            ]
        }
        properties.append("title=" + escapeProperty("sinchform " + (diagnostic.address ?? "validate")))
        return
            "::\(diagnostic.severity.rawValue) \(properties.joined(separator: ","))::\(escapeData(diagnostic.message))\n"
    }

    static func escapeData(_ text: String) -> String {
        escape(text, [("%", "%25"), ("\r", "%0D"), ("\n", "%0A")])
    }

    static func escapeProperty(_ text: String) -> String {
        escape(text, [("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")])
    }

    /// By Unicode scalar: a String compares "\r\n" as one character, which would hide its "\r".
    private static func escape(_ text: String, _ table: [(Unicode.Scalar, String)]) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if let replacement = table.first(where: { $0.0 == scalar })?.1 {
                result += replacement
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
