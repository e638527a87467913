import CostOfFailure

extension DisclosureControl {
    /// How wide a withheld cell's feasible interval must be, for a rule of threshold `T` (the
    /// protection the interval audit checks, written once for the engine's own check):
    /// - a sensitive count `v`: from `max(0, v − T)` or lower to `max(2T, v + T)` or higher;
    /// - a sensitive money figure `v`: a quarter of `|v|` either side;
    /// - a complementary count: at least `2T` wide; a complementary money figure: at least half
    ///   of `|v|` wide;
    /// - a money figure of zero: not a single point.
    struct Protection {
        /// The interval's lower end must be at most this (`nil`: no requirement).
        var lowest: Double?
        /// Its upper end must be at least this.
        var highest: Double?
        /// Its width must be at least this.
        var width: Double

        init(value: Int64, isMoney: Bool, sensitive: Bool, threshold: Int64) {
            let v = Double(value), t = Double(threshold)
            let share = Double(DisclosureControl.moneyProtectionPercent) / 100
            switch (isMoney, sensitive) {
            case (true, _) where value == 0:
                (lowest, highest, width) = (nil, nil, 1)
            case (true, true):
                (lowest, highest, width) = (v - share * abs(v), v + share * abs(v), 0)
            case (true, false):
                (lowest, highest, width) = (nil, nil, 2 * share * abs(v))
            case (false, true):
                (lowest, highest, width) = (max(0, v - t), max(2 * t, v + t), 0)
            case (false, false):
                (lowest, highest, width) = (nil, nil, 2 * t)
            }
        }

        /// How much more room `interval` needs (0: enough). Half a unit of slack absorbs the
        /// solver's floating point.
        func shortfall(_ interval: (min: Double?, max: Double?)) -> Double {
            let low = interval.min ?? -.infinity, high = interval.max ?? .infinity
            var short = 0.0
            if let lowest, low > lowest + 0.5 { short = max(short, low - lowest) }
            if let highest, high < highest - 0.5 { short = max(short, highest - high) }
            if high - low < width - 0.5 { short = max(short, width - (high - low)) }
            return short
        }
    }
}

extension DisclosureControl.State {
    /// Step 5: the engine audits its own choice before anything is published. For every withheld
    /// cell tied by a sum, GLPK finds the least and the greatest value it can take given every
    /// published figure (a rounded count as its range, a published 0 as exactly 0), every sum and
    /// non-negativity; where that interval is narrower than ``DisclosureControl/Protection``
    /// asks, one more cell near it is withheld, and the audit runs again, until none is short.
    mutating func withholdUntilProtected(relations: [[DisclosureControl.Cell]]) {
        let relations = relations.filter { $0.count > 1 }
        guard !relations.isEmpty else { return }
        var cells: [DisclosureControl.Cell] = []
        var index: [DisclosureControl.Cell: Int] = [:]
        for relation in relations {
            for cell in relation where index[cell] == nil {
                index[cell] = cells.count
                cells.append(cell)
            }
        }
        var memberships = [[Int]](repeating: [], count: cells.count)
        var isTotal = [Bool](repeating: false, count: cells.count)
        for (number, relation) in relations.enumerated() {
            isTotal[index[relation[0]]!] = true
            for cell in relation { memberships[index[cell]!].append(number) }
        }
        let equalities = relations.map { relation in
            [(variable: index[relation[0]]!, coefficient: 1.0)] + relation.dropFirst().map { (variable: index[$0]!, coefficient: -1.0) }
        }
        // Each round withholds at least one more cell, so this ends within cells.count rounds.
        for _ in 0...cells.count {
            let program = LinearProgram(bounds: cells.map(bounds(of:)), equalities: equalities)
            var short: [(cell: Int, by: Double)] = []
            for (number, cell) in cells.enumerated() where states[cell.t][cell.c][cell.r] == .suppressed {
                guard let interval = program.range(of: number) else { continue }
                let protection = DisclosureControl.Protection(value: value(cell.t, cell.c, cell.r), isMoney: isMoney(cell.t, cell.c),
                                                              sensitive: sensitive[cell.t][cell.c][cell.r], threshold: rule.threshold)
                let shortfall = protection.shortfall(interval)
                if shortfall > 0 { short.append((number, shortfall)) }
            }
            guard !short.isEmpty else { return }
            var withheldAny = false
            for (number, by) in short {
                guard let pick = nearestOpenCell(to: number, deficit: by, cells: cells, relations: relations,
                                                 memberships: memberships, isTotal: isTotal) else { continue }
                guard states[pick.t][pick.c][pick.r] == .value else { continue }
                withhold(pick.t, pick.c, pick.r, sensitive: false)
                withheldAny = true
            }
            if !withheldAny { return }
        }
    }

    /// What the auditor knows of `cell`: a published figure exactly, a published rounded count as
    /// its range (a published 0 exactly, since counts of 1 to T are withheld), a withheld cell
    /// only that it is not negative (unless its value is).
    private func bounds(of cell: DisclosureControl.Cell) -> LinearProgram.Bounds {
        let v = value(cell.t, cell.c, cell.r)
        guard states[cell.t][cell.c][cell.r] == .value else {
            return LinearProgram.Bounds(lower: v < 0 ? nil : 0, upper: nil)
        }
        if bases[cell.t][cell.c]?.role == .count && rule.rounding.base > 1 && !isMoney(cell.t, cell.c) {
            let shown = rule.rounding.rounded(v), half = rule.rounding.base / 2
            if shown == 0 { return LinearProgram.Bounds(lower: 0, upper: 0) }
            return LinearProgram.Bounds(lower: Double(max(0, shown - half)), upper: Double(shown + half))
        }
        return LinearProgram.Bounds(lower: Double(v), upper: Double(v))
    }

    /// The published cell to withhold for cell `number`, which is short of protection by
    /// `deficit`: among the published non-zero cells of the sums it is in (failing those, of
    /// the sums their withheld cells are in, and so on), parts before totals, the smallest that
    /// covers the deficit, else the largest.
    private func nearestOpenCell(to number: Int, deficit: Double, cells: [DisclosureControl.Cell], relations: [[DisclosureControl.Cell]],
                                 memberships: [[Int]], isTotal: [Bool]) -> DisclosureControl.Cell? {
        var seenCells: Set<Int> = [number], seenRelations = Set<Int>()
        var frontier = [number]
        var index: [DisclosureControl.Cell: Int] = [:]
        for (i, cell) in cells.enumerated() { index[cell] = i }
        while !frontier.isEmpty {
            var open: [Int] = [], next: [Int] = []
            for current in frontier {
                for relation in memberships[current] where seenRelations.insert(relation).inserted {
                    for cell in relations[relation] {
                        let i = index[cell]!
                        guard seenCells.insert(i).inserted else { continue }
                        if states[cell.t][cell.c][cell.r] == .value {
                            if value(cell.t, cell.c, cell.r) != 0 { open.append(i) }
                        } else {
                            next.append(i)
                        }
                    }
                }
            }
            if !open.isEmpty {
                let parts = open.filter { !isTotal[$0] }
                let pool = parts.isEmpty ? open : parts
                func size(_ i: Int) -> Double { Double(value(cells[i].t, cells[i].c, cells[i].r).magnitude) }
                let pick = pool.filter { size($0) >= deficit }.min { size($0) < size($1) } ?? pool.max { size($0) < size($1) }
                return pick.map { cells[$0] }
            }
            frontier = next
        }
        return nil
    }
}
