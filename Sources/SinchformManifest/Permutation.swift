extension Array {
    /// Puts the element at `order[i]` at position `i`, for a permutation `order` of the indices. Elements are swapped
    /// along each cycle of the permutation, so none is copied (a copy of a manifest resource or a planned change
    /// retains each of its members, for each of 10,000).
    public mutating func permute(to order: [Int]) {
        precondition(order.count == count, "a permutation of every index")
        var placed = [Bool](repeating: false, count: count)
        // The buffer's swapAt moves the two values; the array's copies one of them and releases it again.
        withUnsafeMutableBufferPointer { elements in
            for start in elements.indices where !placed[start] {
                var position = start
                placed[position] = true
                while order[position] != start {
                    elements.swapAt(position, order[position])
                    position = order[position]
                    placed[position] = true
                }
            }
        }
    }
}
