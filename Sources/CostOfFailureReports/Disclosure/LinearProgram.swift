private import CGLPK

/// A linear programme over real variables with bounds and equalities, solved by GLPK's simplex
/// method: what disclosure control asks "how small, and how large, can this cell be?" with.
///
/// The only code that touches GLPK's C API. The problem lives behind a pointer this class owns
/// (freed in `deinit`); GLPK's terminal output is switched off. Not for sharing between threads.
final class LinearProgram {
    /// One variable's bounds: `nil` for no bound on that side.
    struct Bounds {
        var lower: Double?
        var upper: Double?
    }

    private let problem: OpaquePointer
    private let variables: Int
    private var options = glp_smcp()

    /// A programme over `bounds.count` variables where each of `equalities` — pairs of a
    /// variable and its coefficient — sums to zero.
    init(bounds: [Bounds], equalities: [[(variable: Int, coefficient: Double)]]) {
        _ = glp_term_out(GLP_OFF)
        problem = glp_create_prob()
        variables = bounds.count
        glp_init_smcp(&options)
        options.msg_lev = GLP_MSG_OFF
        if !bounds.isEmpty { _ = glp_add_cols(problem, Int32(bounds.count)) }
        for (index, bound) in bounds.enumerated() { setBounds(of: index, to: bound) }
        let rows = equalities.filter { !$0.isEmpty }
        if !rows.isEmpty { _ = glp_add_rows(problem, Int32(rows.count)) }
        for (index, row) in rows.enumerated() {
            let number = Int32(index + 1)
            glp_set_row_bnds(problem, number, GLP_FX, 0, 0)
            // GLPK's arrays count from 1: element 0 is unused.
            var columns: [Int32] = [0] + row.map { Int32($0.variable + 1) }
            var values: [Double] = [0] + row.map(\.coefficient)
            glp_set_mat_row(problem, number, Int32(row.count), &columns, &values)
        }
    }

    deinit {
        glp_delete_prob(problem)
    }

    /// Sets `variable`'s bounds (a fixed value when they meet or cross).
    func setBounds(of variable: Int, to bound: Bounds) {
        let column = Int32(variable + 1)
        switch (bound.lower, bound.upper) {
        case let (lower?, upper?) where lower >= upper: glp_set_col_bnds(problem, column, GLP_FX, lower, lower)
        case let (lower?, upper?): glp_set_col_bnds(problem, column, GLP_DB, lower, upper)
        case let (lower?, nil): glp_set_col_bnds(problem, column, GLP_LO, lower, 0)
        case let (nil, upper?): glp_set_col_bnds(problem, column, GLP_UP, 0, upper)
        case (nil, nil): glp_set_col_bnds(problem, column, GLP_FR, 0, 0)
        }
    }

    /// The least and the greatest value `variable` can take (`nil` on a side without bound), or
    /// `nil` when the programme has no solution or GLPK cannot solve it.
    func range(of variable: Int) -> (min: Double?, max: Double?)? {
        guard let low = optimum(of: variable, direction: GLP_MIN), let high = optimum(of: variable, direction: GLP_MAX) else { return nil }
        return (low.value, high.value)
    }

    /// The optimum of `variable` in `direction`: a value, or `nil` for an unbounded one.
    private func optimum(of variable: Int, direction: Int32) -> (value: Double?, Void)? {
        for column in 1...max(1, Int32(variables)) where variables > 0 {
            glp_set_obj_coef(problem, column, column == Int32(variable + 1) ? 1 : 0)
        }
        glp_set_obj_dir(problem, direction)
        // The basis of the previous solve is kept: each solve starts from it (warm start).
        guard glp_simplex(problem, &options) == 0 else {
            glp_std_basis(problem)
            guard glp_simplex(problem, &options) == 0 else { return nil }
            return status()
        }
        return status()
    }

    private func status() -> (value: Double?, Void)? {
        switch glp_get_status(problem) {
        case GLP_OPT: return (glp_get_obj_val(problem), ())
        case GLP_UNBND: return (nil, ())
        default: return nil
        }
    }
}
