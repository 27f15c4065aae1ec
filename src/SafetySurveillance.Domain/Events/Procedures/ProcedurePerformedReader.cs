using System.Text.Json;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Validation;
using J = SafetySurveillance.Domain.Events.Procedures.ProcedurePerformedJson;

namespace SafetySurveillance.Domain.Events.Procedures;

/// <summary>Reads and validates the data of a procedure-performed.v1 event.</summary>
internal static class ProcedurePerformedReader
{
    private static readonly MemberSet Members = new(J.Properties);
    private static readonly MemberSet DeviceMembers = new(J.DeviceProperties);

    public static (ProcedurePerformed Procedure, NhsNumber NhsNumber)? Read(JsonElement data, string path, ReadContext context)
    {
        var before = context.Problems.Count;
        string? code = null;
        DateOnly? date = null;
        DeviceDetails? device = null;
        bool? mdt = null, information = null, registry = null;
        AgeBand? ageBand = null;
        Sex? sex = null;
        NhsNumber? nhsNumber = null;
        var seen = new DataMembers(path, context, Members, "procedure-performed.v1");

        foreach (var member in data.EnumerateObject())
        {
            var name = member.Name;
            if (!seen.TryVisit(name, out var at))
            {
                continue;
            }

            var value = member.Value;
            switch (name)
            {
                case J.ProcedureCode:
                    code = JsonFields.Text(value, at, context, 8);
                    if (code is not null && !IsOpcs4(code))
                    {
                        context.Add(at, $"{Echo.Quoted(code)} is not an OPCS-4 code such as 'A48' or 'A48.4' (a capital letter, two digits, optionally a dot and a digit)");
                        code = null;
                    }

                    break;
                case J.ProcedureDate:
                    date = JsonFields.PastDate(value, at, context);
                    break;
                case J.Device:
                    device = ReadDevice(value, at, context);
                    break;
                case J.MdtSelection:
                    mdt = JsonFields.Boolean(value, at, context);
                    break;
                case J.WrittenInformationGiven:
                    information = JsonFields.Boolean(value, at, context);
                    break;
                case J.RegistryEntryMade:
                    registry = JsonFields.Boolean(value, at, context);
                    break;
                case J.AgeBand:
                    ageBand = JsonFields.Enum(value, at, context, J.AgeBands);
                    break;
                case J.Sex:
                    sex = JsonFields.Enum(value, at, context, J.Sexes);
                    break;
                case J.NhsNumber:
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        context.Add(at, $"must be a string of 10 digits, not {JsonFields.Describe(value.ValueKind)}");
                    }
                    else if (!NhsNumber.TryParse(value.GetString(), out nhsNumber, out var reason))
                    {
                        context.Add(at, reason!);
                    }

                    break;
            }
        }

        seen.RequireAll(J.Properties);
        if (context.Problems.Count != before)
        {
            return null;
        }

        return (new ProcedurePerformed(code!, date!.Value, device!, mdt!.Value, information!.Value, registry!.Value, ageBand!.Value, sex!.Value), nhsNumber!);
    }

    private static DeviceDetails? ReadDevice(JsonElement value, string path, ReadContext context)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            context.Add(path, $"must be an object with {J.DeviceManufacturer}, {J.DeviceModel} and {J.DeviceUdiDi}, not {JsonFields.Describe(value.ValueKind)}");
            return null;
        }

        var before = context.Problems.Count;
        string? manufacturer = null, model = null, udi = null;
        var seen = new DataMembers(path, context, DeviceMembers, "device");
        foreach (var member in value.EnumerateObject())
        {
            var name = member.Name;
            if (!seen.TryVisit(name, out var at))
            {
                continue;
            }

            switch (name)
            {
                case J.DeviceManufacturer:
                    manufacturer = FreeText(member.Value, at, context);
                    break;
                case J.DeviceModel:
                    model = FreeText(member.Value, at, context);
                    break;
                case J.DeviceUdiDi:
                    udi = JsonFields.Text(member.Value, at, context, 25);
                    if (udi is not null && !UdiDi.IsValid(udi))
                    {
                        context.Add(at, $"{Echo.Quoted(udi)} is not a UDI-DI: expected a GS1 GTIN (8, 12, 13 or 14 digits with a valid check digit) or an HIBCC identifier such as '+H123ABC1'");
                        udi = null;
                    }

                    break;
            }
        }

        seen.RequireAll(J.DeviceProperties);
        return context.Problems.Count == before ? new DeviceDetails(manufacturer!, model!, udi!) : null;
    }

    private static string? FreeText(JsonElement value, string path, ReadContext context)
    {
        var text = JsonFields.Text(value, path, context, J.MaxTextLength);
        if (text is not null && NhsNumber.LooksLikeOneInside(text))
        {
            context.Add(path, NhsNumber.NotHereReason);
            return null;
        }

        return text;
    }

    private static bool IsOpcs4(string code) =>
        (code.Length == 3 || (code.Length == 5 && code[3] == '.' && char.IsAsciiDigit(code[4])))
        && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2]);
}
