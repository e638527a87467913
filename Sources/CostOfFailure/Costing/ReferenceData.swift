/// Reference data shipped with the engine, used when a study gives no file of its own: the
/// GDP deflator series and a table of published UK unit costs, each with its provenance.
///
/// Copied from the project's reference folder (see README "Data and licences"). Unit costs
/// licensed for non-commercial use only (CC-BY-NC-SA-4.0: the PSSRU figures) are left out, so
/// that the defaults can go wherever the engine goes; a user who may use them supplies them in
/// their own unit-cost file.
public enum ReferenceData {
    /// The deflator's release, stated by every report that uses it.
    public static let deflatorVintage =
        "HM Treasury GDP deflators at market prices, March 2026 (Quarterly National Accounts), 2024-25 = 100; 2025-26 on chained from OBR forecasts"

    /// HM Treasury GDP deflator by financial year (base 2024-25 = 100): `financial_year, index,
    /// is_forecast`.
    public static let deflatorCSV = #"""
financial_year,index,is_forecast
2000-01,54.3697,false
2001-02,55.4597,false
2002-03,56.6000,false
2003-04,57.9885,false
2004-05,59.7172,false
2005-06,61.3576,false
2006-07,63.2017,false
2007-08,64.4380,false
2008-09,66.8397,false
2009-10,67.7042,false
2010-11,68.8561,false
2011-12,70.3261,false
2012-13,71.5454,false
2013-14,73.0337,false
2014-15,74.0662,false
2015-16,74.5804,false
2016-17,76.0754,false
2017-18,77.0388,false
2018-19,78.7948,false
2019-20,80.8738,false
2020-21,85.1002,false
2021-22,85.3036,false
2022-23,91.2996,false
2023-24,96.1117,false
2024-25,100.0000,false
2025-26,103.2388,true
2026-27,105.3095,true
2027-28,107.3546,true
2028-29,109.3571,true
2029-30,111.3959,true
2030-31,113.6416,true
"""#

    /// Published UK unit costs (NHS National Cost Collection, OGL-UK-3.0; GMCA Unit Cost
    /// Database, CC-BY-4.0, attribution in `source`), each in the prices of its `price_year`.
    public static let unitCostsCSV = #"""
code,service,event,unit,unit_cost,price_year,value_type,agency,source,confidence,licence,note
NCC-ED,A&E,attendance,per attendance,273.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 (all emergency department attendance types) as tabulated in PSSRU Unit Costs of Health and Social Care 2024 table 6.1.1,green,OGL-UK-3.0,HRG range 124 (VB11Z) to 866 (VB02Z)
NCC-NEL-SS,Hospital,non-elective admission short stay,per finished consultant episode,792.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 6.1.1,green,OGL-UK-3.0,per FCE not per spell
NCC-NEL-LS,Hospital,non-elective admission long stay,per finished consultant episode,5134.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 6.1.1,green,OGL-UK-3.0,per FCE not per spell
NCC-AMB-CONVEY,Ambulance,see and convey,per incident,459.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 6.1.1,green,OGL-UK-3.0,
NCC-AMB-TREAT,Ambulance,see and treat,per incident,327.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 6.1.1,green,OGL-UK-3.0,
NCC-AMB-HEAR,Ambulance,hear and treat,per call,66.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 6.1.1,green,OGL-UK-3.0,
NCC-MH-CRISIS,Mental health crisis,crisis team contact,per contact,338.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 2.1.1,green,OGL-UK-3.0,crisis resolution / home treatment
NCC-MH-LIAISON,Mental health crisis,psychiatric liaison contact,per contact,355.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 2.1.1,green,OGL-UK-3.0,
NCC-MH-BED,Mental health inpatient,bed day,per bed day,575.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 2.1.1,amber,OGL-UK-3.0,NHS England flagged mental-health provider spell activity as possibly overstated
NCC-TALK,Talking therapies,care contact,per contact,163.00,2023-24,fiscal,NHS,NHS England National Cost Collection 2023/24 via PSSRU 2024 table 6.1.1,green,OGL-UK-3.0,
GMCA-CR7.0,Police,arrest,per arrest (detained),593.00,2006-07,fiscal,Police,GMCA Unit Cost Database v1.4 CR7.0 (Salford police costs),amber,CC-BY-4.0,single-force estimate
GMCA-CR7.1,Police,arrest no further action,per arrest (NFA or simple caution),285.00,2006-07,fiscal,Police,GMCA Unit Cost Database v1.4 CR7.1,amber,CC-BY-4.0,
GMCA-CR9.0,Police,officer hour,per hour (sergeant and below),38.43,2013-14,fiscal,Police,GMCA Unit Cost Database v1.4 CR9.0 (Home Office analysis),green,CC-BY-4.0,time-based costing e.g. custody hours
GMCA-CR5-VIOL,Courts,adult court event violence,per person per court event,12716.00,2008-09,fiscal,Criminal justice system,GMCA Unit Cost Database v1.4 CR5.x (NAO),green,CC-BY-4.0,
GMCA-CR5-THEFT,Courts,adult court event theft,per person per court event,4012.00,2008-09,fiscal,Criminal justice system,GMCA Unit Cost Database v1.4 CR5.x (NAO),green,CC-BY-4.0,
GMCA-CR5-DAMAGE,Courts,adult court event criminal damage,per person per court event,445.00,2008-09,fiscal,Criminal justice system,GMCA Unit Cost Database v1.4 CR5.x (NAO),green,CC-BY-4.0,
GMCA-CR5-BREACH,Courts,adult court event breach,per person per court event,272.00,2008-09,fiscal,Criminal justice system,GMCA Unit Cost Database v1.4 CR5.x (NAO),green,CC-BY-4.0,
GMCA-CR3.0,Prison,prisoner year,per prisoner per year,33785.00,2013-14,fiscal,Criminal justice system,GMCA Unit Cost Database v1.4 CR3.0 (NOMS cost per prisoner 2013-14),green,CC-BY-4.0,per night is the yearly figure divided by 365
GMCA-CR3.2,Probation,community sentence year,per offender per year,357.00,2008-09,fiscal,Criminal justice system,GMCA Unit Cost Database v1.4 CR3.2 (NAO),green,CC-BY-4.0,
GMCA-CR2.0,Police,domestic violence incident,per incident (all fiscal),2470.00,2008-09,fiscal,Multiple,GMCA Unit Cost Database v1.4 CR2.0 (Walby 2009),amber,CC-BY-4.0,composite: police share 415.00; do not add to event-level police costs for the same incident
GMCA-HO4.0,Supported accommodation,hostel week,per household per week,107.45,2010-11,fiscal,Local authority,GMCA Unit Cost Database v1.4 HO4.0 (Shelter 2012),amber,CC-BY-4.0,per night is the weekly figure divided by 7; prefer local contract rates
GMCA-HO4.1,Temporary accommodation,bed and breakfast week,per household per week,334.95,2010-11,fiscal,Local authority,GMCA Unit Cost Database v1.4 HO4.1 (Shelter 2012),amber,CC-BY-4.0,
GMCA-HO6.0,Housing options,rough sleeper year,per person per year,7900.00,2010-11,fiscal,Local authority,GMCA Unit Cost Database v1.4 HO6.0 (DCLG 2012 evidence review),amber,CC-BY-4.0,local authority spend only
GMCA-HO3.0,Housing options,statutory homelessness application,per application,2501.00,2010-11,fiscal,Local authority,GMCA Unit Cost Database v1.4 HO3.0 (Shelter 2012),amber,CC-BY-4.0,
GMCA-HO1.0,Housing options,eviction,per eviction (complex),6680.00,2010-11,fiscal,Local authority,GMCA Unit Cost Database v1.4 HO1.0 (Shelter 2012),amber,CC-BY-4.0,
GMCA-HE2.2,Drug and alcohol service,structured treatment year,per person per year,2604.00,2012-13,fiscal,NHS,GMCA Unit Cost Database v1.4 HE2.2 (NTA),green,CC-BY-4.0,
GMCA-HE4.0,A&E,attendance (2011-12 basis),per attendance,109.00,2011-12,fiscal,NHS,GMCA Unit Cost Database v1.4 HE4.0 (NHS Reference Costs 2011-12),green,CC-BY-4.0,shows how far costs move between editions; prefer NCC-ED
"""#

    /// The deflator series, parsed.
    public static var deflator: PriceIndex {
        // Sound: the text above is fixed and checked by the tests.
        try! PriceIndexLoader().load(.bytes(name: "reference deflator", Array(deflatorCSV.utf8), chunkSize: 1 << 16), vintage: deflatorVintage)
    }

    /// The unit-cost table, parsed, every entry marked shipped.
    public static var unitCosts: UnitCostTable {
        // Sound: the text above is fixed and checked by the tests.
        var entries = try! UnitCostLoader().load(.bytes(name: "reference unit costs", Array(unitCostsCSV.utf8), chunkSize: 1 << 16)).entries
        for i in entries.indices { entries[i].isShipped = true }
        return UnitCostTable(entries: entries)
    }
}
