extension Array {
    /// `Array(unsafeUninitializedCapacity:initializingWith:)` with storage of its own even when
    /// `capacity` is 0. With none, the standard initialiser stores the count (0) into the one
    /// empty-array storage that every empty array shares, a write that ThreadSanitizer reports
    /// as a race with any other thread reading any empty array; a place to spare avoids it.
    /// `body` sets `initialized` as it would for the standard one (the buffer may hold one place
    /// more than `capacity`).
    @inlinable
    package init(unsafeOwnUninitializedCapacity capacity: Int,
                 initializingWith body: (inout UnsafeMutableBufferPointer<Element>, inout Int) throws -> Void) rethrows {
        try self.init(unsafeUninitializedCapacity: Swift.max(capacity, 1), initializingWith: body)
    }
}
