/// The bounded log of API requests behind `GET /_emulator/requests`.
struct RequestLog: Sendable {
    struct Entry: Sendable {
        var method: String
        var path: String
        var query: String
        var status: Int
        var at: Double
    }

    private var entries: [Entry] = []
    private var head = 0
    private(set) var counters: [String: Int] = [:]
    let capacity: Int

    init(capacity: Int = EmulatorDefaults.requestLogCapacity) {
        self.capacity = capacity
    }

    mutating func record(_ entry: Entry, template: String) {
        counters["\(entry.method) \(template)", default: 0] += 1
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[head] = entry
            head = (head + 1) % capacity
        }
    }

    mutating func clear() {
        entries = []
        head = 0
        counters = [:]
    }

    /// Entries oldest first.
    var ordered: [Entry] {
        Array(entries[head...] + entries[..<head])
    }

    var json: JSON {
        .object([
            "requests": .array(
                ordered.map { entry in
                    .object([
                        "method": .string(entry.method), "path": .string(entry.path), "query": .string(entry.query),
                        "status": .number(Double(entry.status)), "at": .string(isoTimestamp(entry.at)),
                    ])
                }),
            "counters": .object(counters.mapValues { .number(Double($0)) }),
        ])
    }
}
