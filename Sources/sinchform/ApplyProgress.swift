import Foundation
import SinchformEngine
import SinchformManifest
import Synchronization

/// Progress lines: one per step start and end, then the outcome. While waiting for reviews: on a terminal one line
/// redrawn in place at every poll, otherwise a plain line per poll (polls back off from 1 s to 30 s).
final class ApplyProgress: Sendable {
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

    /// Ends the progress lines and prints the outcome: counts, what failed, was skipped or rejected, the rollback
    /// notes of the completed steps when something failed, and the journal.
    func finish(_ result: ApplyResult) {
        finish()
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

    private func line(_ text: String) {
        finish()
        Output.line(text)
    }
}
