/// The events of the hand-worked spells and time-at-risk study (its windows, prices and
/// expected figures are worked out in `CostOfFailureTests/TimeAtRiskTests.swift`), shared with
/// the `cof` tests that run the same study through the binary.
public enum SpellEvents {
    /// The header row, with the `end_date` column.
    public static let header = "person_id,service,event,date,quantity,cost,end_date"
    /// The data rows.
    public static let lines: [Substring] = """
        P1,Hostel,night,2023-06-07,,,2023-06-13
        P1,Hostel,night,2023-03-30,,,2023-04-02
        P1,Hostel,night,2023-08-30,,,2023-09-03
        P1,Prison,custody,2023-04-01,,,2023-04-11
        P1,Prison,custody,2023-04-06,,,2023-04-16
        P2,A&E,attendance,2023-05-15,,,
        P2,Deaths,death,2023-07-01,,,
        P2,A&E,attendance,2023-07-15,,,
        P2,Prison,custody,2023-07-20,,,2023-07-25
        P3,A&E,attendance,2023-06-05,,,
        P3,A&E,attendance,2022-01-01,,,
        X,Prison,custody,2023-04-01,,,2023-04-05
        """.split(separator: "\n")
}
