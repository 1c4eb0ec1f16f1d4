import ProvisioningAPI
import SinchformManifest

/// `apply --wait`: polls the kinds that go through review until every submitted resource is approved or
/// rejected, or the timeout passes. One list call per kind per poll, with growing intervals.
struct ReviewWaiter: Sendable {
    let client: ProvisioningClient
    let options: ApplyOptions

    func wait(for steps: [ApplyResult.Step], plan: Plan, into result: inout ApplyResult) async {
        let changes = Dictionary(plan.changes.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var pending: [Address: (change: Change, identity: RemoteIdentity)] = [:]
        for step in steps where [.create, .update, .replace, .adopt].contains(step.action) {
            if let change = changes[step.address], change.kind.definition.isReviewed,
                step.action != .adopt || !change.fields.isEmpty,
                let identity = step.remoteId ?? change.remoteId
            {
                pending[step.address] = (change, identity)
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
            for kind in Set(pending.values.map(\.change.kind)) {
                let adapter = KindAdapters.adapter(for: kind)
                let parents = Set(
                    pending.values.compactMap { $0.change.after.flatMap(adapter.definition.parentKey(of:)) }
                ).sorted()
                guard let live = try? await adapter.list(client, parents: parents) else { continue }
                for (address, (change, identity)) in pending where change.kind == kind {
                    guard let resource = live.first(where: { $0.identity == identity }),
                        let review = resource.review
                    else { continue }
                    switch review.summary {
                    case .approved:
                        pending[address] = nil
                    case .rejected, .error:
                        pending[address] = nil
                        var review = review
                        if review.rejectionReason == nil {
                            review.rejectionReason = await adapter.rejectionComment(identity, client: client)
                        }
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
}
