/// The value at one rank of a list, found by partitioning (quickselect) rather than sorting:
/// a cohort summary's median and 90th-percentile change and its top tenth of costs take a few
/// ranks of one list per member, so a sort of every member (about a hundred thousand at 10M
/// rows, 10 ms on the single thread that ends a finance pack) did more than they need.
enum OrderStatistic {
    /// The value that would be at index `rank` of `values` sorted ascending, `values` left
    /// reordered (every value before `rank` no greater, every one after no less).
    ///
    /// Expected time linear in the count: the pivot is the median of three values spread over
    /// the range, and values equal to it are set apart in one pass (Dutch national flag), so a
    /// list of many equal values (members with no cost) settles at once.
    static func value<T: Comparable>(atRank rank: Int, of values: inout [T]) -> T {
        precondition(values.indices.contains(rank), "a rank of the list")
        var low = 0, high = values.count  // the range still holding `rank`
        while high - low > 1 {
            let middle = low + (high - low) / 2
            let pivot = median(values[low], values[middle], values[high - 1])
            // Partition [low, high) into < pivot, == pivot, > pivot.
            var less = low, index = low, greater = high
            while index < greater {
                if values[index] < pivot {
                    values.swapAt(index, less)
                    less += 1
                    index += 1
                } else if pivot < values[index] {
                    greater -= 1
                    values.swapAt(index, greater)
                } else {
                    index += 1
                }
            }
            if rank < less {
                high = less
            } else if rank >= greater {
                low = greater
            } else {
                return pivot
            }
        }
        return values[rank]
    }

    /// The middle one of three values.
    private static func median<T: Comparable>(_ a: T, _ b: T, _ c: T) -> T {
        a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b))
    }
}
