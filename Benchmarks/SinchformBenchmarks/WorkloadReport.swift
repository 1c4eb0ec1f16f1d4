import Foundation

/// The workload's Markdown report: one row per phase and cell with its targets, then how each measure grows with N.
struct WorkloadReport {
    var cells: [WorkloadCell]
    var parallelism: Int
    var concurrency: Int
    var baselineConcurrency: Int
    var templatesPerSender: Int
    var load: String

    func markdown() -> String {
        var lines: [String] = []
        lines.append(
            "Client: \(concurrency) requests in flight per host; apply parallelism \(parallelism); per-resource "
                + "baseline \(baselineConcurrency) GETs at a time; \(templatesPerSender) KakaoTalk templates per sender."
        )
        lines.append("")
        lines.append(
            "| N | latency | phase | wall s | lower bound s | wall ÷ LB | CPU s | CPU µs / res | requests | req ÷ N | "
                + "per-resource req | × fewer req | per-resource s | × faster | peak MB | MB / 1k | targets |")
        lines.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for cell in cells {
            lines += rows(cell)
        }
        lines.append("")
        lines.append(contentsOf: mixes())
        lines.append("")
        lines.append(contentsOf: growth())
        lines.append("")
        lines.append("Load average (1, 5, 15 min) per cell, before → after: ")
        for cell in cells {
            lines.append("- N=\(cell.mix.total) at \(cell.latency) ms: \(cell.loadBefore) → \(cell.loadAfter)")
        }
        return lines.joined(separator: "\n")
    }

    private func rows(_ cell: WorkloadCell) -> [String] {
        let n = Double(cell.mix.total)
        let latency = Double(cell.latency) / 1000
        var rows: [String] = []
        let baseline = cell.phase("per-resource refresh")
        for report in cell.phases {
            var lowerBound: Double?
            var targets: [String] = []
            var baselineRequests = "", fewer = "", baselineSeconds = "", faster = ""
            let requestsPerResource = Double(report.requests) / n
            switch report.phase {
            case "plan", "drift":
                let bound = Double(cell.mix.pages) / Double(concurrency) * latency
                lowerBound = bound
                let ok = report.seconds <= 1.2 * bound + 0.5
                targets.append("\(report.done) \(report.phase == "drift" ? "drifted" : "changes")")
                targets.append("time ≤ 1.2×LB+0.5 s \(ok ? "✅" : "❌")")
                if cell.mix.total >= 10_000 {
                    let perResource = report.cpuSeconds / n * 1e6
                    targets.append("CPU ≤ 50 µs/res \(perResource <= 50 ? "✅" : "❌")")
                }
                if let baseline, report.requests > 0 {
                    let ratio = Double(baseline.requests) / Double(report.requests)
                    baselineRequests = "\(baseline.requests)"
                    fewer = String(format: "%.1f", ratio)
                    // The per-resource refresher does the same loading and diff; only the reads differ.
                    let total = baseline.seconds + report.diffSeconds
                    baselineSeconds = String(format: "%.2f", total)
                    faster = String(format: "%.1f", total / max(report.seconds, 0.001))
                    if cell.mix.total >= 1000 { targets.append("≥ 10× fewer req \(ratio >= 10 ? "✅" : "❌")") }
                }
            case "per-resource refresh":
                lowerBound = n / Double(baselineConcurrency) * latency
            default:
                // Apply: each step is at least one request; `parallelism` run at once, so whole rounds of them
                // (10 steps at parallelism 8 take two rounds: no run can beat 10 ÷ 2 latencies).
                let steps = Double(max(1, report.done + report.failed))
                let rounds = (steps / Double(parallelism)).rounded(.up) * latency
                lowerBound = rounds
                let throughput = steps / max(report.seconds, 0.000_001)
                if cell.latency > 0 {
                    // (parallelism ÷ latency) ÷ 1.5, or what whole rounds allow when the steps are few.
                    let target = steps / rounds / 1.5
                    targets.append(
                        String(format: "%.0f steps/s ≥ %.0f ", throughput, target) + (throughput >= target ? "✅" : "❌"))
                } else {
                    targets.append(String(format: "%.0f steps/s", throughput))
                }
                if report.failed > 0 || report.skipped > 0 {
                    targets.append("\(report.failed) failed, \(report.skipped) skipped ❌")
                }
            }
            if cell.mix.total >= 10_000 {
                targets.append("< 150 MB \(report.peakMegabytes < 150 ? "✅" : "❌")")
            }
            let bound = lowerBound ?? 0
            let ratio = bound > 0 ? String(format: "%.2f", report.seconds / bound) : "–"
            rows.append(
                "| \(cell.mix.total) | \(cell.latency) ms | \(report.phase) | \(String(format: "%.2f", report.seconds)) | "
                    + "\(String(format: "%.2f", bound)) | \(ratio) | \(String(format: "%.2f", report.cpuSeconds)) | "
                    + "\(String(format: "%.0f", report.cpuSeconds / n * 1e6)) | \(report.requests) | "
                    + "\(String(format: "%.3f", requestsPerResource)) | \(baselineRequests) | \(fewer) | "
                    + "\(baselineSeconds) | \(faster) | \(String(format: "%.0f", report.peakMegabytes)) | "
                    + "\(String(format: "%.1f", report.peakMegabytes / n * 1000)) | "
                    + targets.joined(separator: "; ") + " |")
        }
        return rows
    }

    private func mixes() -> [String] {
        var seen = Set<Int>()
        var lines = [
            "| N | webhooks | WhatsApp templates | WhatsApp senders | RCS senders | KakaoTalk senders | "
                + "KakaoTalk templates | list pages (LB) | plan requests by route |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for cell in cells where seen.insert(cell.mix.total).inserted {
            let mix = cell.mix
            let routes = (cell.phase("plan")?.routes ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key.replacingOccurrences(of: "v1/projects/{projectId}/", with: "")) \($0.value)" }
                .joined(separator: "; ")
            lines.append(
                "| \(mix.total) | \(mix.webhooks) | \(mix.whatsappTemplates) | \(mix.whatsappSenders) | "
                    + "\(mix.rcsSenders) | \(mix.kakaotalkSenders) | \(mix.kakaotalkTemplates) | \(mix.pages) | "
                    + "\(routes) |")
        }
        return lines
    }

    /// Each measure at N divided by the same measure at the previous N of the matrix, per latency and phase.
    private func growth() -> [String] {
        let sizes = Array(Set(cells.map(\.mix.total))).sorted()
        guard sizes.count > 1 else { return [] }
        var lines = [
            "Growth with N (value at N ÷ value at the previous N; N grows by the factor in the header):",
            "",
            "| latency | phase | "
                + zip(sizes, sizes.dropFirst()).map { "\($0)→\($1) ×\($1 / max($0, 1))" }
                .joined(separator: " | ") + " |",
            "|---:|---|" + String(repeating: "---|", count: sizes.count - 1),
        ]
        let latencies = Array(Set(cells.map(\.latency))).sorted()
        let phases = cells.first?.phases.map(\.phase) ?? []
        for latency in latencies {
            for phase in phases {
                var parts: [String] = []
                for (small, large) in zip(sizes, sizes.dropFirst()) {
                    guard
                        let a = cells.first(where: { $0.mix.total == small && $0.latency == latency })?.phase(phase),
                        let b = cells.first(where: { $0.mix.total == large && $0.latency == latency })?.phase(phase)
                    else {
                        parts.append("–")
                        continue
                    }
                    parts.append(
                        String(
                            format: "time ×%.1f, req ×%.1f, MB ×%.1f", b.seconds / max(a.seconds, 0.000_001),
                            Double(b.requests) / Double(max(a.requests, 1)), b.peakMegabytes / max(a.peakMegabytes, 1)))
                }
                lines.append("| \(latency) ms | \(phase) | " + parts.joined(separator: " | ") + " |")
            }
        }
        return lines
    }
}
