import Foundation
import SinchformEngine
import SinchformManifest
import Synchronization

/// Progress lines: one per step start and end. While waiting for reviews: on a terminal one line redrawn in place at
/// every poll, otherwise a plain line per poll (polls back off from 1 s to 30 s).
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

    private func line(_ text: String) {
        finish()
        Output.line(text)
    }
}
