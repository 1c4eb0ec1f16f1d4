import SinchformManifest

extension PlanContext {
    /// Checks a saved plan against a fresh one and returns this context limited to the saved plan's changes.
    /// Refuses, naming what moved, when the lock file, a live resource or the manifests changed since the plan.
    public func confirming(_ saved: Plan) throws(EngineError) -> PlanContext {
        var problems: [String] = []
        if saved.project != plan.project {
            problems.append("the plan is for project \(saved.project), the manifests now say \(plan.project)")
        }
        if saved.lockLineage != plan.lockLineage || saved.lockSerial != plan.lockSerial {
            problems.append(
                "sinchform.lock moved: serial \(saved.lockSerial.map(String.init) ?? "none") at plan time, now \(plan.lockSerial.map(String.init) ?? "none")"
            )
        }
        let fresh = Dictionary(plan.changes.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var kept: [Change] = []
        for change in saved.changes {
            guard let now = fresh[change.address] else {
                problems.append("\(change.address): no longer part of the plan")
                continue
            }
            if now.action != change.action {
                problems.append("\(change.address): was \(change.action.rawValue), now \(now.action.rawValue)")
            } else if now.liveDigest != change.liveDigest {
                problems.append("\(change.address): the live resource changed since the plan")
            } else if now.desiredDigest != change.desiredDigest || now.fields != change.fields {
                problems.append("\(change.address): the manifests changed since the plan")
            }
            kept.append(now)
        }
        let savedAddresses = Set(saved.changes.map(\.address))
        for change in plan.changes where change.isChange && !savedAddresses.contains(change.address) {
            problems.append("\(change.address): a new change (\(change.action.rawValue)) not in the saved plan")
        }
        if !problems.isEmpty { throw EngineError.stalePlan(problems) }
        var context = self
        context.plan = Plan(
            project: plan.project, manifestDirectory: plan.manifestDirectory, lockLineage: plan.lockLineage,
            lockSerial: plan.lockSerial, changes: kept, scope: plan.scope)
        return context
    }
}
