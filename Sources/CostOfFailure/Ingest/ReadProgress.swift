import Synchronization

/// How far a read of event files has gone: bytes read and rows read so far, counted by the
/// readers as they go, for something else (a progress line on standard error) to sample from
/// another thread at any time.
///
/// A reader adds what it read once per chunk it reads (1 MiB by default), never per row or per
/// field: a relaxed atomic add per chunk costs nothing measurable against parsing it. Rows are
/// data rows, loaded or set aside (not the header, not blank lines). The counts are for
/// showing, not for reconciling: they grow while several threads read parts of one file, and a
/// file read in parts that has to be read again whole (see ``EventLoader/append(_:to:)``) takes
/// back what its parts counted before it is read again.
///
/// Meant for one load or scan at a time; give the loader a new one (or none: nothing is
/// counted) for each.
public final class ReadProgress: Sendable {
    /// The bytes the read will take in all, when every file is a regular file whose size is
    /// known; `nil` when one is standard input, a pipe or a FIFO (then no share or time left
    /// can be told).
    public let totalBytes: Int?
    private let bytes = Atomic<Int>(0)
    private let rows = Atomic<Int>(0)

    /// A counter for a read of `totalBytes` bytes (`nil`: unknown).
    public init(totalBytes: Int?) {
        self.totalBytes = totalBytes.map { max(0, $0) }
    }

    /// A counter for reading `sources`, each once: their total is the sum of their sizes when
    /// every one is a regular file.
    public convenience init(reading sources: [EventSource]) {
        var total = 0
        for source in sources {
            guard let size = source.input.knownSize else {
                self.init(totalBytes: nil)
                return
            }
            total += size
        }
        self.init(totalBytes: total)
    }

    /// What has been read so far, taken at one moment.
    public struct Reading: Sendable, Equatable {
        /// Bytes read.
        public var bytes: Int
        /// Data rows read (loaded or set aside).
        public var rows: Int
        /// The whole read's bytes, when known (see ``ReadProgress/totalBytes``).
        public var totalBytes: Int?

        /// Creates a reading.
        public init(bytes: Int, rows: Int, totalBytes: Int?) {
            self.bytes = bytes
            self.rows = rows
            self.totalBytes = totalBytes
        }
    }

    /// The counts now. Bytes and rows are read one after the other while the readers go on, so
    /// they may be a chunk apart; each alone is exact at the end of the read.
    public var reading: Reading {
        Reading(bytes: bytes.load(ordering: .relaxed), rows: rows.load(ordering: .relaxed), totalBytes: totalBytes)
    }

    /// Adds a chunk's bytes and the rows it finished (negative to take back a read thrown away).
    func add(bytes: Int, rows: Int) {
        if bytes != 0 { self.bytes.add(bytes, ordering: .relaxed) }
        if rows != 0 { self.rows.add(rows, ordering: .relaxed) }
    }
}

extension InputSource {
    /// The size of the bytes this source holds, when known before reading: a regular file's,
    /// or bytes in memory (standard input, a pipe or a FIFO: `nil`).
    var knownSize: Int? {
        switch self {
        case .file: return fileSize
        case .bytes(_, let bytes, _): return bytes.count
        }
    }
}
