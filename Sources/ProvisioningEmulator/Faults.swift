import Foundation

/// What an injected fault does to a request. New fault types add a case here and a parser branch below.
enum FaultAction: Sendable {
    case delay(milliseconds: Int)
    case respond(status: Int, retryAfter: Int?)
    case drop(afterProcessing: Bool)
    /// Hostile answers, sent instead of processing the request: a 200 whose body is not JSON, a 200 whose members
    /// have the wrong types, a list page whose `nextPageToken` never ends the list, a 200 body of `bytes` (streamed),
    /// a body trickled one byte per `intervalMs`, a redirect.
    case malformed
    case wrongTypes
    case endlessPages
    case huge(bytes: Int)
    case trickle(bytes: Int, intervalMs: Int)
    case redirect(status: Int, location: String)
}

/// One rule of `PUT /_emulator/faults`.
struct FaultRule: Sendable {
    var type: String
    var method: String?
    var pathPattern: String?
    var probability: Double
    var remaining: Int?
    var fixedMs = 0
    var randomMs = 0
    var status = 500
    var retryAfter: Int?
    var afterProcessing = false
    var bytes = 64 << 20
    var intervalMs = 1000
    var location = "http://other-host.invalid/"
    var source: JSON

    static let statuses: Set<Int> = [429, 500, 502, 503, 504]
    static let types = [
        "latency", "status", "drop", "malformed", "wrongTypes", "endlessPages", "huge", "trickle", "redirect",
    ]
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    init(_ json: JSON) throws {
        guard case .object(let object) = json else { throw APIError.invalidInput(["rules must contain objects"]) }
        var validation = Validation()
        let type = validation.oneOf(object, "type", required: true, allowed: FaultRule.types) ?? ""
        self.type = type
        self.source = json
        method = validation.string(object, "method")?.uppercased()
        pathPattern = validation.string(object, "path")
        probability = validation.number(object, "probability", range: 0...1) ?? 1
        remaining = validation.integer(object, "count", range: 0...1_000_000_000_000)
        switch type {
        case "latency":
            fixedMs = validation.integer(object, "fixedMs", range: 0...600_000) ?? 0
            randomMs = validation.integer(object, "randomMs", range: 0...600_000) ?? 0
        case "status":
            let code = validation.integer(object, "status", required: true, range: 100...599) ?? 500
            if !FaultRule.statuses.contains(code) {
                validation.fail("status must be one of the following values: 429, 500, 502, 503, 504")
            }
            status = code
            retryAfter = validation.integer(object, "retryAfter", range: 0...86_400)
        case "drop":
            afterProcessing = validation.bool(object, "afterProcessing") ?? false
        case "huge":
            bytes = validation.integer(object, "bytes", range: 1...4_000_000_000) ?? bytes
        case "trickle":
            bytes = validation.integer(object, "bytes", range: 1...1_000_000) ?? 100
            intervalMs = validation.integer(object, "intervalMs", range: 1...600_000) ?? intervalMs
        case "redirect":
            let code = validation.integer(object, "status", range: 100...599) ?? 302
            if !FaultRule.redirectStatuses.contains(code) {
                validation.fail("status must be one of the following values: 301, 302, 303, 307, 308")
            }
            status = code
            location = validation.string(object, "location") ?? location
        default:
            break
        }
        if let pathPattern, (try? NSRegularExpression(pattern: pathPattern)) == nil {
            validation.fail("path must be a valid regular expression")
        }
        try validation.check()
    }

    /// Whether the rule concerns this request. Control and token paths need an explicit path match, and
    /// `/_emulator/faults` is never faulted: a rule matching every path (`.*`) must still be removable (the HTTP
    /// fuzzer installed a huge-body rule on every path and every later answer, the clearing one included, was that).
    func applies(method: String, path: String) -> Bool {
        if path == "/_emulator/faults" { return false }
        if let self_method = self.method, self_method != method { return false }
        let isProtected = path.hasPrefix("/_emulator/") || path == "/oauth2/token"
        guard let pathPattern else { return !isProtected }
        return matches(path, pathPattern)
    }

    var action: FaultAction {
        switch type {
        case "latency": return .delay(milliseconds: fixedMs + (randomMs > 0 ? Int.random(in: 0...randomMs) : 0))
        case "status": return .respond(status: status, retryAfter: retryAfter)
        case "malformed": return .malformed
        case "wrongTypes": return .wrongTypes
        case "endlessPages": return .endlessPages
        case "huge": return .huge(bytes: bytes)
        case "trickle": return .trickle(bytes: bytes, intervalMs: intervalMs)
        case "redirect": return .redirect(status: status, location: location)
        default: return .drop(afterProcessing: afterProcessing)
        }
    }

    var json: JSON {
        guard case .object(var object) = source else { return source }
        if let remaining { object["remainingCount"] = .number(Double(remaining)) }
        return .object(object)
    }
}

/// The active rules; `fire` decides, per request, which actions happen (and spends counts).
struct FaultSet: Sendable {
    var rules: [FaultRule] = []

    mutating func fire(method: String, path: String) -> [FaultAction] {
        var actions: [FaultAction] = []
        var decided = false
        for index in rules.indices {
            let rule = rules[index]
            guard rule.applies(method: method, path: path) else { continue }
            if let remaining = rule.remaining, remaining <= 0 { continue }
            let isTerminal = rule.type != "latency"
            if isTerminal && decided { continue }
            guard rule.probability >= 1 || Double.random(in: 0..<1) < rule.probability else { continue }
            if let remaining = rule.remaining { rules[index].remaining = remaining - 1 }
            actions.append(rule.action)
            if isTerminal { decided = true }
        }
        return actions
    }
}
