import Logging
import Synchronization

/// Keeps every log line (level, message and metadata) at trace level, so a test can search them.
public final class LogCapture: Sendable {
    private let storage = Mutex<[String]>([])

    public init() {}

    public var lines: [String] { storage.withLock { $0 } }
    public var text: String { lines.joined(separator: "\n") }

    public func append(_ line: String) { storage.withLock { $0.append(line) } }

    /// A logger at trace level whose lines end up here.
    public func logger(label: String = "test") -> Logger {
        var logger = Logger(label: label, factory: { _ in CapturingLogHandler(capture: self) })
        logger.logLevel = .trace
        return logger
    }
}

/// The handler behind ``LogCapture``.
struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        capture.append("[\(event.level)] \(event.message)" + (merged.isEmpty ? "" : " \(merged)"))
    }
}
