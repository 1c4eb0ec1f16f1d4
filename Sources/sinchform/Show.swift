import ArgumentParser
import SinchformEngine

extension Sinchform {
    /// Renders a saved plan; offline, so it needs neither credentials nor the network.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a saved plan (written by plan --out). Exit 0, or 1 when the file is not a readable plan.",
            discussion: "Works offline: no credentials, no network.")

        @Argument(help: "A plan file written by `sinchform plan --out FILE`.")
        var planFile: String

        @OptionGroup var output: FormatOptions

        func run() async throws {
            try await CommandSupport.run {
                let plan = try SavedPlan.read(planFile, requiringDigest: false)
                let renderer = PlanRenderer(color: CommandSupport.color && output.format == .text)
                Output.write(try renderer.render(plan, format: output.format))
            }
        }
    }
}
