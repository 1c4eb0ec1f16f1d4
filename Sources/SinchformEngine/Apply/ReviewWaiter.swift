import ProvisioningAPI
import SinchformManifest

/// `apply --wait`: polls the kinds that go through review until every submitted resource is approved or
/// rejected, or the timeout passes. One list call per kind per poll, with growing intervals.
struct ReviewWaiter: Sendable {
    let client: ProvisioningClient
    let options: ApplyOptions

    static let reviewedKinds: Set<ResourceKind> = [
        .whatsappTemplate, .whatsappSender, .kakaotalkSender, .kakaotalkTemplate,
    ]

    func wait(for steps: [ApplyResult.Step], plan: Plan, into result: inout ApplyResult) async {
        let changes = Dictionary(plan.changes.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var pending: [String: Change] = [:]
        for step in steps where [.create, .update, .replace, .adopt].contains(step.action) {
            if let change = changes[step.address], Self.reviewedKinds.contains(change.kind),
                step.action != .adopt || !change.fields.isEmpty
            {
                pending[step.address] = change
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var interval = Duration.seconds(1)
        while !pending.isEmpty {
            let elapsed = clock.now - start
            options.observer(.waiting(pending: pending.keys.sorted(), elapsed: elapsed))
            if elapsed >= options.waitTimeout { break }
            do {
                try await Task.sleep(for: min(interval, options.waitTimeout - elapsed))
            } catch {
                break
            }
            interval = min(interval * 2, .seconds(30))
            for kind in Set(pending.values.map(\.kind)) {
                let adapter = KindAdapters.adapter(for: kind)
                let senders = Set(pending.values.compactMap { $0.after?["plusFriendId"]?.stringValue }).sorted()
                guard let live = try? await adapter.list(client, plusFriendIds: senders) else { continue }
                for (address, change) in pending where change.kind == kind {
                    guard let identity = change.remoteId ?? identityAfterCreate(change, live),
                        let resource = live.first(where: { Planner.same($0.identity, identity) }),
                        let review = resource.review
                    else { continue }
                    switch review.summary {
                    case "approved":
                        pending[address] = nil
                    case "rejected", "error":
                        pending[address] = nil
                        result.rejected.append(
                            .init(address: address, action: change.action, message: review.description, rollback: nil))
                    default:
                        break
                    }
                }
            }
        }
        result.stillPending = pending.keys.sorted()
    }

    private func identityAfterCreate(_ change: Change, _ live: [LiveResource]) -> RemoteIdentity? {
        let adapter = KindAdapters.adapter(for: change.kind)
        guard let after = change.after else { return nil }
        let parts = change.address.split(separator: ".", maxSplits: 1).last.map(String.init) ?? ""
        let name = parts.split(separator: "[").first.map(String.init) ?? parts
        let language = parts.contains("[") ? String(parts.split(separator: "[").last?.dropLast() ?? "") : nil
        let key = adapter.naturalKey(after, name: name, language: language)
        return live.first { key != nil && adapter.naturalKey($0.effective, name: name, language: language) == key }?
            .identity
    }
}
