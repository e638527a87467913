extension StudyInputs {
    /// What the per-person analyses read besides the events: the unit costs and price base, the
    /// interventions (recorded costs in the price base's prices) and the services.
    public struct CohortTables: Sendable {
        /// The unit costs, in the price base's prices.
        public var unitCosts: UnitCostTable
        /// The price base (`nil`: prices as given).
        public var priceBase: PriceBase?
        /// The interventions file's rows, recorded costs restated.
        public var interventions: InterventionTable
        /// Service categories, agencies and exposure.
        public var services: ServiceCatalog
    }

    /// Reads the unit costs and price base, the interventions and the services, in that order,
    /// and restates the recorded costs: the one way the streaming pass and a merge of partials
    /// read them.
    public func cohortTables() throws(Failure) -> CohortTables {
        try cohortTables(reader: CSVReader(maxFieldBytes: maxFieldBytes, showValues: policy.showValues))
    }

    /// The same with `reader`.
    func cohortTables(reader: CSVReader) throws(Failure) -> CohortTables {
        let (unitCosts, priceBase) = try prices(reader: reader)
        let interventions: InterventionTable
        var services = ServiceCatalog.empty
        do throws(IngestError) {
            interventions = try interventionLoader(reader: reader).load(self.interventions)
            services = try loadServices(reader: reader)
        } catch {
            throw .ingest(error)
        }
        return CohortTables(unitCosts: unitCosts, priceBase: priceBase, interventions: try Self.restating(interventions, in: priceBase),
                            services: services)
    }
}
