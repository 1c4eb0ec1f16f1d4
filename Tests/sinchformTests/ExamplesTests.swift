import Foundation
import JSONSyntax
import SinchformManifest
import Testing
import Yams

/// Every example stays true: its manifests validate, its CI files parse, and every `sinchform` command and flag
/// it (or a README) uses exists in the built binary.
@Suite struct ExamplesTests {
    static let root = SinchformCLI.packageRoot
    static let examples = root.appendingPathComponent("examples")
    static let secrets = ["OPS_WEBHOOK_SECRET": "ci-secret", "AUDIT_WEBHOOK_SECRET": "ci-secret-2"]

    /// `KEY=value` lines of a shell environment file (quotes removed, comments skipped).
    static func environmentFile(_ url: URL) throws -> [String: String] {
        var values: [String: String] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.hasPrefix("#"), let equals = text.firstIndex(of: "=") else { continue }
            var value = String(text[text.index(after: equals)...])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            values[String(text[..<equals])] = value
        }
        return values
    }

    static func load(_ directory: URL, environment: [String: String]) async throws -> ManifestSet {
        let result = await ManifestLoader(environment: environment).load(directory.path)
        #expect(result.diagnostics.isEmpty, "\(directory.path): \(result.diagnostics)")
        return try result.get()
    }

    @Test(arguments: ["quickstart", "github-actions/sinch", "gitlab-ci/sinch"])
    func manifestsValidate(_ path: String) async throws {
        let manifests = try await Self.load(Self.examples.appendingPathComponent(path), environment: Self.secrets)
        #expect(!manifests.resources.isEmpty)
    }

    @Test func multiEnvironmentValidatesPerEnvironment() async throws {
        let example = Self.examples.appendingPathComponent("multi-environment")
        var targets: [String: String] = [:]
        for environment in ["staging", "production"] {
            let variables = try Self.environmentFile(
                example.appendingPathComponent("environments/\(environment).env"))
            #expect(variables["SINCH_PROJECT_ID"] != nil, "\(environment).env names its project")
            #expect(variables.keys.allSatisfy { !$0.contains("SECRET") }, "secrets stay out of git")
            let manifests = try await Self.load(
                example.appendingPathComponent("environments/\(environment)"),
                environment: variables.merging(Self.secrets) { $1 })
            #expect(manifests.project == nil, "the project comes from the environment, not the files")
            #expect(
                manifests.resources.map(\.address)
                    == ["webhook.ops-events", "whatsappTemplate.order_shipped[EN_US]", "rcsSender.acme"])
            targets[environment] = manifests.resource(at: "webhook.ops-events")?.spec["target"]?.stringValue
        }
        #expect(targets["staging"] != nil && targets["staging"] != targets["production"])
    }

    /// The CI files of the examples.
    static let ciFiles = [
        "github-actions/.github/workflows/sinchform-plan.yml",
        "github-actions/.github/workflows/sinchform-apply.yml",
        "github-actions/.github/workflows/sinchform-drift.yml",
        "github-actions/.github/actions/setup-sinchform/action.yml",
        "gitlab-ci/.gitlab-ci.yml",
    ]

    @Test func ciFilesParse() throws {
        for file in Self.ciFiles {
            let text = try String(contentsOf: Self.examples.appendingPathComponent(file), encoding: .utf8)
            let node = try #require(try Yams.compose(yaml: text), "\(file) is empty")
            let mapping = try #require(node.mapping, "\(file) is not a mapping")
            let keys = Set(mapping.keys.compactMap(\.string))
            if file.contains("/workflows/") {
                #expect(keys.isSuperset(of: ["name", "on", "permissions", "jobs"]), "\(file): \(keys)")
            } else if file.hasSuffix("action.yml") {
                #expect(keys.isSuperset(of: ["name", "runs"]), "\(file): \(keys)")
            } else {
                #expect(keys.isSuperset(of: ["stages", "plan", "apply", "drift"]), "\(file): \(keys)")
            }
            #expect(!Self.shellLines(in: node).isEmpty, "\(file) runs nothing")
        }
    }

    /// Every `run:` (GitHub) and `script:` / `before_script:` / `after_script:` (GitLab) line, with `\` line
    /// continuations joined.
    static func shellLines(in node: Node) -> [String] {
        var scripts: [String] = []
        func walk(_ node: Node) {
            switch node {
            case let .mapping(mapping):
                for (key, value) in mapping {
                    if let name = key.string, ["run", "script", "before_script", "after_script"].contains(name) {
                        if let text = value.string { scripts.append(text) }
                        for item in value.sequence ?? [] { if let text = item.string { scripts.append(text) } }
                    } else {
                        walk(value)
                    }
                }
            case let .sequence(sequence):
                for item in sequence { walk(item) }
            default:
                break
            }
        }
        walk(node)
        return scripts.flatMap {
            $0.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map(String.init)
        }
    }

    /// A `sinchform` invocation found in a shell line: its subcommand (nil for the bare command) and long flags.
    struct Invocation: Hashable, CustomStringConvertible {
        var subcommand: String?
        var flags: [String]
        var description: String { (["sinchform", subcommand].compactMap { $0 } + flags).joined(separator: " ") }
    }

    /// Commands whose first argument names a command of theirs.
    static let commandGroups: Set<String> = ["whatsapp"]

    static func invocations(in line: String) -> [Invocation] {
        let separators: Set<String> = ["|", "||", "&&", ";", "&", ">", ">>", "2>", "2>&1", "<"]
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var found: [Invocation] = []
        for (index, word) in words.enumerated() where word == "sinchform" {
            let previous = index > 0 ? words[index - 1] : nil
            // At a command position: first word, `swift run sinchform`, or after a shell operator.
            guard
                previous.map({
                    $0 == "run" || $0 == "then" || $0 == "do" || separators.contains($0) || $0.hasSuffix(";")
                        || $0.hasSuffix("(")
                }) ?? true
            else { continue }
            var invocation = Invocation(subcommand: nil, flags: [])
            var rest = words[(index + 1)...].makeIterator()
            var first = true
            while let next = rest.next() {
                if separators.contains(next) || next.hasPrefix(">") || next.hasPrefix("#") { break }
                if first && !next.hasPrefix("-") {
                    invocation.subcommand = next
                } else if let group = invocation.subcommand, Self.commandGroups.contains(group), !next.hasPrefix("-"),
                    invocation.flags.isEmpty, !group.contains(" ")
                {
                    // A command of a group: `whatsapp token`.
                    invocation.subcommand = group + " " + next
                }
                first = false
                if next.hasPrefix("--") {
                    invocation.flags.append(String(next.split(separator: "=")[0]).trimmingCharacters(in: [";"]))
                }
                if next.hasSuffix(";") { break }
            }
            found.append(invocation)
        }
        return found
    }

    @Test func invocationParsing() {
        #expect(
            Self.invocations(in: "  sinchform plan sinch --out x.json --format markdown > plan.md")
                == [Invocation(subcommand: "plan", flags: ["--out", "--format"])])
        #expect(
            Self.invocations(in: "swift run sinchform apply examples/quickstart --emulator --auto-approve")
                == [Invocation(subcommand: "apply", flags: ["--emulator", "--auto-approve"])])
        #expect(Self.invocations(in: "git commit -m \"sinchform.lock after\"").isEmpty)
        #expect(Self.invocations(in: "sinchform --version") == [Invocation(subcommand: nil, flags: ["--version"])])
        #expect(
            Self.invocations(in: "sinchform whatsapp wabas --facebook-token-env ES_TOKEN --format yaml > x.yaml")
                == [Invocation(subcommand: "whatsapp wabas", flags: ["--facebook-token-env", "--format"])])
    }

    /// Shell lines of the examples' READMEs and the main README (code lines that call sinchform).
    static func readmeLines() throws -> [String] {
        let readmes =
            [Self.root.appendingPathComponent("README.md")]
            + ["multi-environment", "github-actions", "gitlab-ci"].map {
                Self.examples.appendingPathComponent("\($0)/README.md")
            }
        return try readmes.flatMap { url in
            // Only code: the lines of ```sh blocks.
            let blocks = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "```sh\n").dropFirst()
                .map { $0.components(separatedBy: "```")[0] }
            return blocks.flatMap {
                $0.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map(String.init)
            }
        }
    }

    @Test func everyCommandAndFlagExists() async throws {
        var lines = try Self.readmeLines()
        for file in Self.ciFiles {
            let text = try String(contentsOf: Self.examples.appendingPathComponent(file), encoding: .utf8)
            lines += Self.shellLines(in: try #require(try Yams.compose(yaml: text)))
        }
        let invocations = Set(lines.flatMap(Self.invocations(in:)))
        #expect(invocations.count >= 8, "\(invocations)")
        // Commands the CI examples must use, at least.
        for needed in ["validate", "plan", "apply", "drift"] {
            #expect(invocations.contains { $0.subcommand == needed }, "no example runs sinchform \(needed)")
        }

        let rootHelp = try await SinchformCLI.run(["--help"], in: Self.root)
        #expect(rootHelp.status == 0, "\(rootHelp)")
        var helps: [String: String] = [:]
        for invocation in invocations {
            let help: String
            if let subcommand = invocation.subcommand {
                if helps[subcommand] == nil {
                    helps[subcommand] = try await SinchformCLI.run(
                        subcommand.split(separator: " ").map(String.init) + ["--help"], in: Self.root
                    ).stdout
                }
                help = helps[subcommand] ?? ""
                // Hidden commands (`schema`) are not listed, but answer --help like any other.
                #expect(
                    help.contains("USAGE: sinchform \(subcommand)"),
                    "`\(invocation)`: sinchform has no subcommand \(subcommand)")
            } else {
                // swift-argument-parser's own flag, hidden from help; completionScriptsAndManPage runs it.
                help = rootHelp.stdout + " --generate-completion-script"
            }
            for flag in invocation.flags {
                let pattern = flag + "(?![a-z0-9-])"
                #expect(help.range(of: pattern, options: .regularExpression) != nil, "`\(invocation)`: no \(flag)")
            }
        }
    }

    @Test func completionScriptsAndManPage() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try await SinchformCLI.run(["--generate-completion-script", shell], in: Self.root)
            #expect(script.status == 0, "\(script)")
            #expect(script.stdout.contains("import") && script.stdout.contains("--emulator"), "\(shell)")
        }
        // The committed man page covers every command the binary lists; docs/generate-man-page.sh refreshes it.
        let manual = try String(contentsOf: Self.root.appendingPathComponent("docs/sinchform.1"), encoding: .utf8)
        let help = try await SinchformCLI.run(["--help"], in: Self.root).stdout
        let section = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        // Entries start two spaces in; wrapped descriptions further in; the closing "See 'sinchform help …'" line.
        let subcommands = section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), !line.contains("See '") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(subcommands.contains("import"), "\(subcommands)")
        for subcommand in subcommands {
            #expect(
                manual.contains(".It Em \(subcommand)\n"),
                "docs/sinchform.1 lacks \(subcommand); run docs/generate-man-page.sh")
        }
        #expect(manual.contains(".It Fl -emulator\n"))
    }
}
