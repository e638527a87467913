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
        // How many sums a cell is the total of: the headline's cost is the total of three.
        var timesTotal = [Int](repeating: 0, count: cells.count)
        for (number, relation) in relations.enumerated() {
            timesTotal[index[relation[0]]!] += 1
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
            // One cell a round, for the first cell short of protection: the audit then runs
            // again, since one more withheld cell often protects several.
            var withheldAny = false
            for (number, by) in short {
                guard let pick = openCell(for: number, deficit: by, cells: cells, relations: relations, memberships: memberships,
                                          timesTotal: timesTotal, program: program) else { continue }
                withhold(pick.t, pick.c, pick.r, sensitive: false)
                withheldAny = true
                break
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
    /// `deficit`: among the published cells reachable from it through sums and withheld cells (a
    /// zero only when there is nothing else), the one that is the total of the fewest sums (a service before a category, a
    /// category before the cohort's headline), then the nearest, then the smallest that covers
    /// the deficit, else the largest.
    private func openCell(for number: Int, deficit: Double, cells: [DisclosureControl.Cell], relations: [[DisclosureControl.Cell]],
                          memberships: [[Int]], timesTotal: [Int], program: LinearProgram) -> DisclosureControl.Cell? {
        var index: [DisclosureControl.Cell: Int] = [:]
        for (i, cell) in cells.enumerated() { index[cell] = i }
        var seenCells: Set<Int> = [number], seenRelations = Set<Int>()
        var frontier = [number], distance = 0
        var candidates: [(cell: Int, distance: Int)] = []
        while !frontier.isEmpty {
            distance += 1
            var next: [Int] = []
            for current in frontier {
                for relation in memberships[current] where seenRelations.insert(relation).inserted {
                    for cell in relations[relation] {
                        let i = index[cell]!
                        guard seenCells.insert(i).inserted else { continue }
                        if states[cell.t][cell.c][cell.r] == .value {
                            candidates.append((i, distance))
                        } else {
                            next.append(i)
                        }
                    }
                }
            }
            frontier = next
        }
        func size(_ i: Int) -> Double { Double(value(cells[i].t, cells[i].c, cells[i].r).magnitude) }
        // Smallest that covers the deficit first (fewest figures lost), then the largest.
        func fit(_ i: Int) -> (Int, Double) { size(i) >= deficit ? (0, size(i)) : (1, -size(i)) }
        // A zero gives no room: one is withheld only when nothing else is left (a published zero
        // total pins its withheld parts to zero).
        let ranked = candidates.sorted { a, b in
            if (size(a.cell) == 0) != (size(b.cell) == 0) { return size(b.cell) == 0 }
            if timesTotal[a.cell] != timesTotal[b.cell] { return timesTotal[a.cell] < timesTotal[b.cell] }
            if a.distance != b.distance { return a.distance < b.distance }
            return fit(a.cell) < fit(b.cell)
        }
        // Each of the first few is tried in the programme (its bounds opened, then put back):
        // the first that gives the short cell all the room it needs is taken, else the one that
        // gives it the most. A cell near it by the sums need not widen it at all.
        let target = cells[number]
        let protection = DisclosureControl.Protection(value: value(target.t, target.c, target.r), isMoney: isMoney(target.t, target.c),
                                                      sensitive: sensitive[target.t][target.c][target.r], threshold: rule.threshold)
        var best: (cell: Int, shortfall: Double)?
        for candidate in ranked.prefix(16) {
            let cell = cells[candidate.cell]
            program.setBounds(of: candidate.cell, to: LinearProgram.Bounds(lower: value(cell.t, cell.c, cell.r) < 0 ? nil : 0, upper: nil))
            let interval = program.range(of: number)
            program.setBounds(of: candidate.cell, to: bounds(of: cell))
            guard let interval else { continue }
            let shortfall = protection.shortfall(interval)
            if shortfall == 0 { return cell }
            if shortfall < (best?.shortfall ?? deficit) { best = (candidate.cell, shortfall) }
        }
        return (best?.cell ?? ranked.first?.cell).map { cells[$0] }
    }
}

