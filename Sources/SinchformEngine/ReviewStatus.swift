import ProvisioningAPI

/// Where a resource stands in the provider's review, separate from whether it matches the manifests.
public struct ReviewStatus: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The live object's state (`APPROVED`, `ACTIVE`, `IN_TEST`, `PAUSED`…), absent before first approval.
    public var state: String?
    /// The pending change's status (`DRAFT`, `IN_PROGRESS`, `REJECTED`, `ERROR`), absent when nothing is pending.
    public var pending: String?
    /// Why the last review rejected it, when it did.
    public var rejectionReason: String?

    public init(state: String? = nil, pending: String? = nil, rejectionReason: String? = nil) {
        self.state = state
        self.pending = pending
        self.rejectionReason = rejectionReason
    }

    /// Where the review stands, in one word for tables: pending, approved, rejected, paused, draft, error…
    public var summary: ReviewState {
        if pending == "REJECTED" || state == "REJECTED" { return .rejected }
        if pending == "ERROR" { return .error }
        if isUnderReview || state == "PENDING" || state == "VERIFYING" || state == "IN_PROGRESS" { return .pending }
        if pending == "DRAFT" { return .draft }
        switch state {
        case "APPROVED", "ACTIVE", "LAUNCHED": return .approved
        case "PAUSED": return .paused
        case "DISABLED", "INACTIVE", "SUSPENDED", "BLOCKED", "UNLAUNCHED": return .disabled
        case let other?: return .other(other.lowercased())
        case nil: return .unknown
        }
    }

    /// A change is under review: the API refuses updates until the review ends.
    public var isUnderReview: Bool { pending == "IN_PROGRESS" }

    /// The last review ended without approval (rejected, or an error).
    public var isRefused: Bool { summary == .rejected || summary == .error }

    public var description: String {
        var text = summary.description
        if let state {
            text += " (state \(state)" + (pending.map { ", changes \($0)" } ?? "") + ")"
        } else if let pending {
            text += " (changes \(pending))"
        }
        if let rejectionReason { text += ": \(rejectionReason)" }
        return text
    }

    /// The review of a resource that has `state` and `changes.status` (templates and senders).
    static func of(_ live: JSONValue, reasonKeys: [[String]] = []) -> ReviewStatus {
        var status = ReviewStatus(
            state: live["state"]?.stringValue, pending: live.at(["changes", "status"])?.stringValue)
        // A reason only means something for a rejection or an error.
        if status.isRefused {
            status.rejectionReason = reasonKeys.lazy.compactMap { live.at($0)?.stringValue }.first { $0 != "NONE" }
        }
        return status
    }
}

/// Where a resource stands in review, as one word.
public enum ReviewState: Sendable, Hashable, CustomStringConvertible {
    case pending, approved, rejected, paused, draft, error, disabled, unknown
    /// A state the API has and sinchform has no word for (lower-cased).
    case other(String)

    public var description: String {
        switch self {
        case .pending: return "pending"
        case .approved: return "approved"
        case .rejected: return "rejected"
        case .paused: return "paused"
        case .draft: return "draft"
        case .error: return "error"
        case .disabled: return "disabled"
        case .unknown: return "unknown"
        case let .other(state): return state
        }
    }
}
