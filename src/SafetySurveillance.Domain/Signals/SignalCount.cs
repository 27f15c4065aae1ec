namespace SafetySurveillance.Domain.Signals;

/// <summary>
/// The scalar counters of a signal row. The names are also the row's table property names, so never
/// rename or renumber a member; add new ones at the end.
/// </summary>
public enum SignalCount
{
    /// <summary>Procedures performed.</summary>
    Procedures = 0,

    /// <summary>
    /// Procedures that were the patient's first of this procedure code anywhere (flagged at ingestion from the
    /// pseudonym ledger). National rows therefore count distinct patients exactly; see docs/statistics.md.
    /// </summary>
    FirstProcedures = 1,

    /// <summary>Procedures with patient selection by a multidisciplinary team (NICE IPG739 1.2).</summary>
    MdtSelection = 2,

    /// <summary>Procedures where the patient was given written information (NICE IPG739 1.2).</summary>
    WrittenInformation = 3,

    /// <summary>Procedures entered on the National Neuromodulation Registry (NICE IPG739 1.2).</summary>
    RegistryEntry = 4,

    /// <summary>Adverse events reported.</summary>
    AdverseEvents = 5,

    /// <summary>Adverse events meeting any seriousness criterion.</summary>
    SeriousAdverseEvents = 6,

    /// <summary>Adverse events possibly, probably or causally related to the device.</summary>
    DeviceRelatedAdverseEvents = 7,

    /// <summary>Adverse events possibly, probably or causally related to the procedure.</summary>
    ProcedureRelatedAdverseEvents = 8,

    /// <summary>Serious adverse events related to the device or the procedure (the ReActiv8-B 3.9 % measure).</summary>
    SeriousRelatedAdverseEvents = 9,

    /// <summary>
    /// Patients with at least one serious device- or procedure-related event: events flagged at ingestion as the
    /// patient's first such event, so this is a proportion numerator that cannot exceed the patients.
    /// </summary>
    PatientsWithSeriousRelatedEvent = 10,

    /// <summary>Adverse events with a fatal outcome.</summary>
    Deaths = 11,

    /// <summary>Adverse events that led to a revision.</summary>
    Revisions = 12,

    /// <summary>Adverse events that led to an explant.</summary>
    Explants = 13,

    /// <summary>Adverse events the reporter marked as not anticipated.</summary>
    UnanticipatedAdverseEvents = 14,

    /// <summary>Unanticipated serious device-related events: a sentinel rule fires on any.</summary>
    UnanticipatedSeriousDeviceRelated = 15,
}
