import ArgumentParser
import Foundation
import SinchformEngine
import SinchformManifest
import Synchronization

extension Sinchform {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the API calls of a plan; asks for `yes` on a terminal unless --auto-approve.",
            discussion: """
                Applies a directory (plans first) or a saved plan file (refused if anything moved since).
                Exit 0 when every step succeeded, 1 on any error, failure or rejection.
                """)

        @Argument(help: "Directory of manifests, or a plan file saved with `plan --out`.") var source = "."
        @Flag(help: "Apply without asking.") var autoApprove = false
        @Option(help: "Independent steps run at once.") var parallelism = 4
        @Flag(help: "After submitting templates and senders, wait until each is approved or rejected.") var wait = false
        @Option(help: "With --wait: give up after this many seconds.") var waitTimeout = 1800
        @Option(help: "Wait this many seconds for another apply in the same directory to finish.") var lockTimeout = 0
        @Option(help: "Apply only this address and what it depends on (repeatable).") var target: [String] = []
        @Option(help: "Leave this address out (repeatable).") var exclude: [String] = []
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                var saved: SinchformEngine.Plan?
                var directory = source
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue,
                    !(source.hasSuffix(".yaml") || source.hasSuffix(".yml"))
                {
                    let plan = try SavedPlan.read(source)
                    saved = plan
                    directory = plan.manifestDirectory
                }
                let workspace = Workspace(directory: directory)
                if !autoApprove && isatty(STDIN_FILENO) != 1 {
                    throw EngineError.needsConfirmation("apply")
                }
                let lock = try await ApplyLock.acquire(
                    stateDirectory: workspace.stateDirectory, command: CommandLine.arguments.joined(separator: " "),
                    timeout: .seconds(lockTimeout),
                    staleInfo: { Output.error("note: a previous apply did not finish (stale \($0)); continuing") })
                defer { lock.release() }

                let progress = Progress()
                let result = try await CommandSupport.withPlan(
                    workspace, connection: connection, scope: PlanScope(targets: target, excludes: exclude)
                ) { context, client in
                    var context = context
                    if let saved { context = try context.confirming(saved) }
                    let plan = context.plan
                    Output.write(try PlanRenderer(color: CommandSupport.color).render(plan, format: .text))
                    guard plan.hasChanges else { return ApplyResult?.none }
                    if !autoApprove {
                        Output.write("\nDo you want to apply these changes? Only 'yes' is accepted: ")
                        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                            throw EngineError.cancelled("apply")
                        }
                    }
                    return try await Applier().apply(
                        context, workspace: workspace, client: client,
                        options: ApplyOptions(
                            parallelism: parallelism, wait: wait, waitTimeout: .seconds(waitTimeout),
                            observer: { progress.report($0) }))
                }
                guard let result else { return }
                progress.finish()
                report(result)
                if !result.succeeded { throw ExitCode(1) }
            }
        }

        private func report(_ result: ApplyResult) {
            Output.line(
                "\nApply \(result.succeeded ? "complete" : "incomplete"): \(result.done.count) done, "
                    + "\(result.failed.count) failed, \(result.skipped.count) skipped.")
            for step in result.failed { Output.line("  failed:  \(step.message ?? step.address.description)") }
            for step in result.skipped { Output.line("  skipped: \(step.address) (\(step.message ?? ""))") }
            for step in result.rejected { Output.line("  rejected in review: \(step.address): \(step.message ?? "")") }
            if !result.stillPending.isEmpty {
                Output.line("  still under review: \(result.stillPending.map(\.description).joined(separator: ", "))")
            }
            if !result.succeeded && !result.done.isEmpty {
                Output.line("\nRollback notes of the completed steps (sinchform rollback \(result.journalPath)):")
                for step in result.done.reversed() {
                    Output.line("  \(step.address) (\(step.action.rawValue)): \(step.rollback?.note ?? "none")")
                }
            }
            Output.line("Journal: \(result.journalPath)")
        }
    }
}

/// Progress lines: one per step start and end. While waiting for reviews: on a terminal one line redrawn in place at
/// every poll, otherwise a plain line per poll (polls back off from 1 s to 30 s).
final class Progress: Sendable {
    private let live = isatty(STDOUT_FILENO) == 1
    /// Whether the redrawn waiting line is on screen (and must be ended before other output).
    private let lineOpen = Mutex(false)

    func report(_ event: ApplyEvent) {
        switch event {
        case let .started(address, action): line("\(address): \(action.rawValue)…")
        case let .finished(address, action): line("\(address): \(action.rawValue) done")
        case let .failed(_, _, message): line(message)
        case let .skipped(address, reason): line("\(address): skipped, \(reason)")
        case let .waiting(pending, elapsed):
            let text =
                "waiting for review (\(elapsed.components.seconds) s): \(pending.count) pending: "
                + pending.map(\.description).joined(separator: ", ")
            guard live else { return Output.line(text) }
            lineOpen.withLock { open in
                Output.write("\r\u{1B}[K" + text)
                open = true
            }
        }
    }

    /// Ends the redrawn line, if any, so that later output starts on a line of its own.
    func finish() {
        lineOpen.withLock { open in
            if open { Output.write("\n") }
            open = false
        }
    }

    private func line(_ text: String) {
        finish()
        Output.line(text)
    }
}
