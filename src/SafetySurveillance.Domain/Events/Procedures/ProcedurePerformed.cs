using SafetySurveillance.Domain.Validation;

namespace SafetySurveillance.Domain.Events.Procedures;

/// <summary>Age at the procedure, in the bands the registry reports.</summary>
public enum AgeBand
{
    Under18,
    From18To29,
    From30To39,
    From40To49,
    From50To59,
    From60To69,
    From70To79,
    From80,
}

/// <summary>Person stated gender as in the NHS Data Dictionary (1 male, 2 female, 9 indeterminate, X not known).</summary>
public enum Sex
{
    Male,
    Female,
    Indeterminate,
    NotKnown,
}

/// <summary>The implanted device.</summary>
public sealed record DeviceDetails(string Manufacturer, string Model, string UdiDi);

/// <summary>
/// A neuromodulation procedure (data of <c>uk.nhs.neuromodulation.procedure-performed.v1</c>) without its
/// patient identifier: the validated event carries the NHS number beside it, the pseudonymised event a
/// pseudonym.
/// </summary>
public sealed record ProcedurePerformed(
    string ProcedureCode,
    DateOnly ProcedureDate,
    DeviceDetails Device,
    bool MdtSelection,
    bool WrittenInformationGiven,
    bool RegistryEntryMade,
    AgeBand AgeBand,
    Sex Sex);

/// <summary>The JSON names of procedure-performed.v1 data, shared by the reader, the schema and the drift test.</summary>
public static class ProcedurePerformedJson
{
    public const string ProcedureCode = "procedureCode";
    public const string ProcedureDate = "procedureDate";
    public const string Device = "device";
    public const string MdtSelection = "mdtSelection";
    public const string WrittenInformationGiven = "writtenInformationGiven";
    public const string RegistryEntryMade = "registryEntryMade";
    public const string AgeBand = "ageBand";
    public const string Sex = "sex";
    public const string NhsNumber = "nhsNumber";

    public const string DeviceManufacturer = "manufacturer";
    public const string DeviceModel = "model";
    public const string DeviceUdiDi = "udiDi";

    /// <summary>OPCS-4 procedure code: a letter, two digits, and optionally a dot and one digit (A48 or A48.4).</summary>
    public const string ProcedureCodePattern = "^[A-Z][0-9]{2}(\\.[0-9])?$";

    public const int MaxTextLength = 200;

    /// <summary>Every data property; all are required.</summary>
    public static IReadOnlyList<string> Properties { get; } =
        [ProcedureCode, ProcedureDate, Device, MdtSelection, WrittenInformationGiven, RegistryEntryMade, AgeBand, Sex, NhsNumber];

    public static IReadOnlyList<string> DeviceProperties { get; } = [DeviceManufacturer, DeviceModel, DeviceUdiDi];

    public static EnumMap<Procedures.AgeBand> AgeBands { get; } = new(
        (Procedures.AgeBand.Under18, "0-17"),
        (Procedures.AgeBand.From18To29, "18-29"),
        (Procedures.AgeBand.From30To39, "30-39"),
        (Procedures.AgeBand.From40To49, "40-49"),
        (Procedures.AgeBand.From50To59, "50-59"),
        (Procedures.AgeBand.From60To69, "60-69"),
        (Procedures.AgeBand.From70To79, "70-79"),
        (Procedures.AgeBand.From80, "80+"));

    public static EnumMap<Procedures.Sex> Sexes { get; } = new(
        (Procedures.Sex.Male, "male"),
        (Procedures.Sex.Female, "female"),
        (Procedures.Sex.Indeterminate, "indeterminate"),
        (Procedures.Sex.NotKnown, "not-known"));
}
