import ArgumentParser
import SinchformEngine

extension Sinchform {
    struct PlanCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Refresh live state and show what apply would change.",
            discussion: "Exit 0 on success; with --detailed-exitcode: 0 no changes, 2 changes, 1 error.")

        @Argument(help: "Directory of manifests.") var directory = "."
        @Option(help: "Save the plan (JSON, no secrets) for `apply PLANFILE` and `show`.") var out: String?
        @OptionGroup var output: FormatOptions
        @Flag(help: "Exit 2 when there are changes, 0 when there are none.") var detailedExitcode = false
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                let plan = try await connection.session().plan(directory, scope: scope.scope)
                Output.write(try output.render(plan))
                if let out {
                    try SavedPlan.write(plan, to: out)
                    Output.error("Saved the plan to \(out); apply it with: sinchform apply \(out)")
                }
                if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
            }
        }
    }
}
