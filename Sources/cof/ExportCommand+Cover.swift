import CostOfFailure
import CostOfFailureReports

extension ExportCommand {
    /// The workbook's cover (see ``WorkbookCover``) under this command's flags and inputs.
    func workbookCover(tables: [ResultTable], provenance: Provenance, comparisonGroup: Bool) throws -> XLSXRenderer.Cover {
        let inputs = try self.study.inputs(try self.study.source.projectFile())
        let origin: WorkbookCover.ComparisonGroupOrigin? = comparisonGroup ? inputs.comparisonGroup.map { .file($0) } ?? .matched : nil
        return WorkbookCover(rule: disclosure.rule, suppressedMarker: disclosure.suppressionMarker, rawIDs: disclosure.rawIDs,
                             comparisonGroup: origin, project: self.study.source.project,
                             provenance: provenance, isFinancePack: requestedTable == .finance)
            .cover(tables: tables)
    }
}
