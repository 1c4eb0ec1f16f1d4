import SinchformManifest
import SinchformTestSupport
import Testing

/// Ordering 10,000 resources or changes in place (`ManifestLoader`, `Planner.order`).
@Suite struct PermutationTests {
    /// `permute` swaps along the permutation's cycles: every element lands where the permutation says, for
    /// permutations of every shape (fixed points, one long cycle, many short ones).
    @Test func permutingInPlaceMatchesMapping() {
        var random = SplitMix64(state: 20)
        for count in [0, 1, 2, 3, 7, 64, 500] {
            for _ in 0..<20 {
                let order = Array(0..<count).shuffled(using: &random)
                let values = (0..<count).map { "value \($0)" }
                var permuted = values
                permuted.permute(to: order)
                #expect(permuted == order.map { values[$0] }, "\(order)")
            }
        }
    }
}
