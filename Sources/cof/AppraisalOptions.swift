import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// The Green Book appraisal's assumptions, and the bootstrap its probability that NPV > 0 is
/// drawn from: one group of flags giving one ``AppraisalSettings``, so that `cof report`, its
/// HTML and the finance pack (`cof export`, `cof merge`) appraise alike for the same flags.
struct AppraisalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Appraisal: years appraised, year 0 (the observed year) included: 1 is the observed year only.", valueName: "n"))
    var years = 1

    @Option(name: .customLong("discount-rate"), help: ArgumentHelp("Appraisal: one discount rate in per cent a year for every year (default: the Green Book's 3.5% to year 30, 3.0% from year 31; year 0 is never discounted).", valueName: "percent"))
    var discountRate: Percent?

    @Option(help: ArgumentHelp("Appraisal: the share of the previous year's saving each year keeps (80% means year t saves 0.8^t of year 0's, a 20% drop-off a year; default 100%).", valueName: "percent"))
    var persistence: Percent?

    @Option(name: .customLong("recurring-cost"), help: ArgumentHelp("Appraisal: the programme's cost per person per year (£) in each year from year 1; year 0's cost is the one observed (recorded cost and the intervention's own services).", valueName: "pounds"))
    var recurringCost: Pounds?

    @Option(name: .customLong("optimism-bias-costs"), help: ArgumentHelp("Appraisal: optimism bias added to the costs (per cent of every year's cost, year 0's included).", valueName: "percent"))
    var optimismBiasCosts: Percent?

    @Option(name: .customLong("optimism-bias-benefits"), help: ArgumentHelp("Appraisal: optimism bias taken off the benefits (per cent of every year's saving).", valueName: "percent"))
    var optimismBiasBenefits: Percent?

    @Option(name: .customLong("optimism-bias"), help: ArgumentHelp("Appraisal: the same as --optimism-bias-benefits (kept for earlier scripts).", valueName: "percent"))
    var optimismBias: Percent?

    @Option(help: ArgumentHelp("Appraisal without a comparison group: the share of the observed saving assumed to have happened anyway (shown as assumed, not measured). With a comparison group the difference in differences measures it.", valueName: "percent"))
    var deadweight: Percent?

    @Option(help: "Bootstrap resamples for the difference in differences' interval and the appraisal's probability that NPV > 0.")
    var resamples = 1_000

    @Option(help: "Seed of the bootstrap (the same seed and inputs give the same interval).")
    var seed: UInt64 = 1

    func validate() throws {
        if resamples < 100 { throw ValidationError("give at least 100 resamples") }
        if !(1...60).contains(years) { throw ValidationError("give --years from 1 to 60") }
        if let discountRate, !(0...5_000).contains(discountRate.basisPoints) { throw ValidationError("give --discount-rate from 0 to 50") }
        if optimismBias != nil && optimismBiasBenefits != nil {
            throw ValidationError("--optimism-bias is --optimism-bias-benefits: give one of them")
        }
        for (name, value, most) in [("--persistence", persistence, 10_000), ("--optimism-bias-benefits", optimismBiasBenefits, 10_000),
                                    ("--optimism-bias", optimismBias, 10_000), ("--deadweight", deadweight, 10_000),
                                    ("--optimism-bias-costs", optimismBiasCosts, 100_000)] {
            if let value, !(0...most).contains(value.basisPoints) { throw ValidationError("give \(name) from 0 to \(most / 100)%") }
        }
    }

    /// The assumptions these flags give.
    var assumptions: Appraisal.Assumptions {
        Appraisal.Assumptions(years: years,
                              discountRateBasisPoints: discountRate?.basisPoints ?? 350,
                              longTermDiscountRateBasisPoints: discountRate?.basisPoints ?? 300,
                              persistenceBasisPoints: persistence?.basisPoints ?? 10_000,
                              recurringCostPerPersonPence: recurringCost?.pence ?? 0,
                              optimismBiasCostsBasisPoints: optimismBiasCosts?.basisPoints ?? 0,
                              optimismBiasBenefitsBasisPoints: (optimismBiasBenefits ?? optimismBias)?.basisPoints ?? 0,
                              deadweightBasisPoints: deadweight?.basisPoints)
    }

    /// The settings these flags give, with which the report, its HTML and the finance pack appraise.
    var settings: AppraisalSettings {
        AppraisalSettings(assumptions: assumptions, resamples: resamples, seed: seed)
    }
}

extension AppraisalOptions {
    /// A share in per cent (`20`, `20%`, `12.5%`), held in basis points; at most two decimal places.
    struct Percent: ExpressibleByArgument {
        /// The share in basis points (2,000 for 20%).
        var basisPoints: Int

        init?(argument: String) {
            var text = Substring(argument)
            if text.hasSuffix("%") { text = text.dropLast() }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  !parts[0].isEmpty, parts[0].count <= 6, let whole = Int(parts[0]) else { return nil }
            var hundredths = 0
            if parts.count == 2 {
                let decimals = parts[1]
                guard (1...2).contains(decimals.count), let value = Int(decimals) else { return nil }
                hundredths = decimals.count == 1 ? value * 10 : value
            }
            basisPoints = whole * 100 + hundredths
        }
    }

    /// An amount in pounds (`1200`, `£1,200.50`), held in pence; not negative.
    struct Pounds: ExpressibleByArgument {
        /// The amount in pence.
        var pence: Pence

        init?(argument: String) {
            var bytes = Array(argument.utf8)
            guard let value = bytes.withUnsafeMutableBytes({ FieldDecoder.money(UnsafeRawBufferPointer($0)) }), value >= 0 else { return nil }
            pence = value
        }
    }
}
