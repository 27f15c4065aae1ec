using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using CsCheck;
using NJsonSchema;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.AdverseEvents.Imdrf;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;
using SafetySurveillance.Domain.Tests.Validation;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Events;

/// <summary>
/// The committed JSON Schemas and the C# reader must not drift: same names, required sets, enumerations,
/// patterns and ranges; and a corpus of samples gets the same verdict from NJsonSchema and the reader,
/// except for the rules JSON Schema cannot express (docs/event-contract.md lists them).
/// </summary>
public sealed class SchemaDriftTests
{
    public enum Verdict
    {
        BothAccept,
        BothReject,

        /// <summary>A rule JSON Schema cannot express (clock, check digits, cross-field dates): only the reader rejects.</summary>
        OnlyReaderRejects,
    }

    public static TheoryData<string> Types => new(SafetyEventTypes.All);

    [Theory]
    [MemberData(nameof(Types))]
    public async Task The_envelope_schema_matches_the_reader(string type)
    {
        var schema = await Load(type);

        Assert.Equal(["data", "id", "source", "specversion", "type"], schema.RequiredProperties.Order(StringComparer.Ordinal));
        Assert.Equal([type], schema.Properties["type"].Enumeration.Cast<string>());
        Assert.Equal([CloudEventRules.SpecVersion], schema.Properties["specversion"].Enumeration.Cast<string>());
        Assert.Equal(OdsCode.SourcePattern, schema.Properties["source"].Pattern);
        Assert.Equal(CloudEventRules.IdPattern, schema.Properties["id"].Pattern);
        Assert.False(schema.AllowAdditionalProperties);
        Assert.Equal(["^(?!data$)[a-z0-9]+$"], schema.PatternProperties.Keys);
        Assert.False(schema.Properties["data"].AllowAdditionalProperties);
    }

    [Fact]
    public async Task The_procedure_schema_matches_the_reader()
    {
        var data = (await Load(SafetyEventTypes.ProcedurePerformedV1)).Properties["data"];

        AssertSameSet(ProcedurePerformedJson.Properties, data.Properties.Keys);
        AssertSameSet(ProcedurePerformedJson.Properties, data.RequiredProperties);
        Assert.Equal(ProcedurePerformedJson.ProcedureCodePattern, data.Properties[ProcedurePerformedJson.ProcedureCode].Pattern);
        Assert.Equal(ProcedurePerformedJson.AgeBands.Names, data.Properties[ProcedurePerformedJson.AgeBand].Enumeration.Cast<string>());
        Assert.Equal(ProcedurePerformedJson.Sexes.Names, data.Properties[ProcedurePerformedJson.Sex].Enumeration.Cast<string>());
        var device = data.Properties[ProcedurePerformedJson.Device];
        AssertSameSet(ProcedurePerformedJson.DeviceProperties, device.Properties.Keys);
        AssertSameSet(ProcedurePerformedJson.DeviceProperties, device.RequiredProperties);
        Assert.Equal(UdiDi.Pattern, device.Properties[ProcedurePerformedJson.DeviceUdiDi].Pattern);
        Assert.Equal(ProcedurePerformedJson.MaxTextLength, device.Properties[ProcedurePerformedJson.DeviceManufacturer].MaxLength);
        foreach (var flag in new[] { ProcedurePerformedJson.MdtSelection, ProcedurePerformedJson.WrittenInformationGiven, ProcedurePerformedJson.RegistryEntryMade })
        {
            Assert.Equal(JsonObjectType.Boolean, data.Properties[flag].Type);
        }
    }

    [Fact]
    public async Task The_outcome_schema_matches_the_reader()
    {
        var data = (await Load(SafetyEventTypes.OutcomeReportedV1)).Properties["data"];

        AssertSameSet(OutcomeReportedJson.Properties, data.Properties.Keys);
        AssertSameSet(OutcomeReportedJson.Required, data.RequiredProperties);
        Assert.Equal(OutcomeReportedJson.Timepoints.Names, data.Properties[OutcomeReportedJson.Timepoint].Enumeration.Cast<string>());
        AssertRange(data, OutcomeReportedJson.PainNrs, OutcomeReportedJson.PainNrsMin, OutcomeReportedJson.PainNrsMax, JsonObjectType.Integer);
        AssertRange(data, OutcomeReportedJson.Odi, OutcomeReportedJson.OdiMin, OutcomeReportedJson.OdiMax, JsonObjectType.Integer);
        AssertRange(data, OutcomeReportedJson.Pgic, OutcomeReportedJson.PgicMin, OutcomeReportedJson.PgicMax, JsonObjectType.Integer);
        AssertRange(data, OutcomeReportedJson.Eq5d5lIndex, OutcomeReportedJson.Eq5d5lIndexMin, OutcomeReportedJson.Eq5d5lIndexMax, JsonObjectType.Number);
        // multipleOf 0.001 is deliberately absent: binary floating-point validators reject valid values.
        Assert.Null(data.Properties[OutcomeReportedJson.Eq5d5lIndex].MultipleOf);
    }

    [Fact]
    public async Task The_adverse_event_schema_matches_the_reader_and_the_shipped_imdrf_release()
    {
        var data = (await Load(SafetyEventTypes.AdverseEventReportedV1)).Properties["data"];

        AssertSameSet(AdverseEventReportedJson.Properties, data.Properties.Keys);
        AssertSameSet(AdverseEventReportedJson.Properties, data.RequiredProperties);
        foreach (var (property, annex) in AdverseEventReportedJson.CodeArrays)
        {
            var array = data.Properties[property];
            Assert.Equal(ImdrfCodeList.SelectableCodes(annex), array.Item!.Enumeration.Cast<string>());
            Assert.Equal(1, array.MinItems);
            Assert.Equal(AdverseEventReportedJson.MaxCodes, array.MaxItems);
            Assert.True(array.UniqueItems);
            Assert.Contains("release " + ImdrfCodeList.Release, array.Description, StringComparison.Ordinal);
        }

        Assert.Equal(AdverseEventReportedJson.Criteria.Names, data.Properties[AdverseEventReportedJson.SeriousnessCriteria].Item!.Enumeration.Cast<string>());
        Assert.Equal(AdverseEventReportedJson.Relatedness.Names, data.Properties[AdverseEventReportedJson.DeviceRelatedness].Enumeration.Cast<string>());
        Assert.Equal(AdverseEventReportedJson.Relatedness.Names, data.Properties[AdverseEventReportedJson.ProcedureRelatedness].Enumeration.Cast<string>());
        Assert.Equal(AdverseEventReportedJson.Actions.Names, data.Properties[AdverseEventReportedJson.Action].Enumeration.Cast<string>());
        Assert.Equal(AdverseEventReportedJson.Outcomes.Names, data.Properties[AdverseEventReportedJson.Outcome].Enumeration.Cast<string>());
    }

    public static TheoryData<string, Verdict> Corpus()
    {
        var data = new TheoryData<string, Verdict>();

        void Add(string name, Func<JsonObject> build, Action<JsonObject> change, Verdict verdict)
        {
            var envelope = build();
            change(envelope);
            data.Add(name + "|" + envelope.ToJsonString(), verdict);
        }

        Func<JsonObject> p = EventSamples.Procedure, o = EventSamples.Outcome, a = EventSamples.AdverseEvent;
        Add("valid procedure", p, _ => { }, Verdict.BothAccept);
        Add("valid outcome", o, _ => { }, Verdict.BothAccept);
        Add("valid adverse event", a, _ => { }, Verdict.BothAccept);
        Add("absolute dataschema", p, e => e["dataschema"] = "urn:uk-nhs-neuromodulation:schema:procedure-performed.v1", Verdict.BothAccept);
        Add("extensions", p, e => { e["partitionkey"] = "RJ1"; e["sequence"] = 3; e["replay"] = true; }, Verdict.BothAccept);
        Add("null optional attributes", p, e => { e["time"] = null; e["subject"] = null; }, Verdict.BothAccept);
        Add("spaced nhs number", p, e => e.Data()["nhsNumber"] = "943 476 5919", Verdict.BothAccept);
        Add("site ods code", p, e => e["source"] = "/trusts/RJ122", Verdict.BothAccept);
        Add("hibcc udi", p, e => e.Data()["device"]!["udiDi"] = "+H123ABC1", Verdict.BothAccept);
        Add("baseline without pgic", o, e => { e.Data()["timepoint"] = "baseline"; e.Data()["assessmentDate"] = "2025-08-01"; e.Data().Remove("pgic"); }, Verdict.BothAccept);
        Add("one score only", o, e => { e.Data().Remove("odi"); e.Data().Remove("eq5d5lIndex"); e.Data().Remove("pgic"); }, Verdict.BothAccept);
        Add("eq5d lower bound", o, e => e.Data()["eq5d5lIndex"] = -0.594m, Verdict.BothAccept);
        Add("no seriousness", a, e => e.Data()["seriousnessCriteria"] = new JsonArray(), Verdict.BothAccept);

        Add("missing id", p, e => e.Remove("id"), Verdict.BothReject);
        Add("missing source", p, e => e.Remove("source"), Verdict.BothReject);
        Add("missing data", p, e => e.Remove("data"), Verdict.BothReject);
        Add("specversion 0.3", p, e => e["specversion"] = "0.3", Verdict.BothReject);
        Add("lower-case ods", p, e => e["source"] = "/trusts/rj1", Verdict.BothReject);
        Add("malformed source", p, e => e["source"] = "/hospitals/RJ1", Verdict.BothReject);
        Add("id with slash", p, e => e["id"] = "a/b", Verdict.BothReject);
        Add("type v2", p, e => e["type"] = "uk.nhs.neuromodulation.procedure-performed.v2", Verdict.BothReject);
        Add("data_base64", p, e => e["data_base64"] = "e30=", Verdict.BothReject);
        Add("upper-case extension", p, e => e["partitionKey"] = "x", Verdict.BothReject);
        Add("object extension", p, e => e["myext"] = new JsonObject(), Verdict.BothReject);
        Add("relative dataschema", p, e => e["dataschema"] = "/schemas/procedure.json", Verdict.BothReject);
        Add("time offset +24:00", p, e => e["time"] = "2026-03-15T09:30:00+24:00", Verdict.BothReject);
        Add("time hour 24", p, e => e["time"] = "2026-03-15T24:00:00Z", Verdict.BothReject);
        Add("time with offset and fraction", p, e => e["time"] = "2026-03-15t10:30:00.123456789+01:00", Verdict.BothAccept);
        Add("month 13", p, e => e.Data()["procedureDate"] = "2026-13-01", Verdict.BothReject);
        Add("29 February in a common year", p, e => e.Data()["procedureDate"] = "2025-02-29", Verdict.BothReject);
        Add("29 February in a leap year", p, e => e.Data()["procedureDate"] = "2024-02-29", Verdict.BothAccept);
        Add("time without zone", p, e => e["time"] = "2026-03-15T09:30:00", Verdict.BothReject);
        Add("unknown data property", p, e => e.Data()["colour"] = "blue", Verdict.BothReject);
        Add("missing nhs number", p, e => e.Data().Remove("nhsNumber"), Verdict.BothReject);
        Add("nhs number with hyphens", p, e => e.Data()["nhsNumber"] = "943-476-5919", Verdict.BothReject);
        Add("nhs number as number", p, e => e.Data()["nhsNumber"] = 9434765919L, Verdict.BothReject);
        Add("bad procedure code", p, e => e.Data()["procedureCode"] = "a48.4", Verdict.BothReject);
        Add("udi bad syntax", p, e => e.Data()["device"]!["udiDi"] = "ABC", Verdict.BothReject);
        Add("unknown age band", p, e => e.Data()["ageBand"] = "90+", Verdict.BothReject);
        Add("flag as string", p, e => e.Data()["mdtSelection"] = "true", Verdict.BothReject);
        Add("date with time", p, e => e.Data()["procedureDate"] = "2026-01-10T00:00:00Z", Verdict.BothReject);
        Add("pain 11", o, e => e.Data()["painNrs"] = 11, Verdict.BothReject);
        Add("pain -1", o, e => e.Data()["painNrs"] = -1, Verdict.BothReject);
        Add("pain 4.5", o, e => e.Data()["painNrs"] = 4.5, Verdict.BothReject);
        Add("odi 101", o, e => e.Data()["odi"] = 101, Verdict.BothReject);
        Add("pgic 8", o, e => e.Data()["pgic"] = 8, Verdict.BothReject);
        Add("eq5d below range", o, e => e.Data()["eq5d5lIndex"] = -0.595m, Verdict.BothReject);
        Add("eq5d above range", o, e => e.Data()["eq5d5lIndex"] = 1.001m, Verdict.BothReject);
        Add("pgic at baseline", o, e => { e.Data()["timepoint"] = "baseline"; e.Data()["assessmentDate"] = "2025-08-01"; }, Verdict.BothReject);
        Add("no scores", o, e => { foreach (var s in OutcomeReportedJson.Scores) { e.Data().Remove(s); } }, Verdict.BothReject);
        Add("unknown timepoint", o, e => e.Data()["timepoint"] = "36-months", Verdict.BothReject);
        Add("unknown imdrf code", a, e => e.Data()["deviceProblemCodes"] = new JsonArray("A999999"), Verdict.BothReject);
        Add("annex e code as device problem", a, e => e.Data()["deviceProblemCodes"] = new JsonArray("E2109"), Verdict.BothReject);
        Add("not selectable code", a, e => e.Data()["clinicalSignCodes"] = new JsonArray("E19"), Verdict.BothReject);
        Add("retired code", a, e => e.Data()["deviceProblemCodes"] = new JsonArray("A071205"), Verdict.BothReject);
        Add("duplicate codes", a, e => e.Data()["healthImpactCodes"] = new JsonArray("F25", "F25"), Verdict.BothReject);
        Add("empty codes", a, e => e.Data()["healthImpactCodes"] = new JsonArray(), Verdict.BothReject);
        Add("unknown criterion", a, e => e.Data()["seriousnessCriteria"] = new JsonArray("fatal"), Verdict.BothReject);
        Add("unknown action", a, e => e.Data()["action"] = "removal", Verdict.BothReject);
        Add("anticipated as string", a, e => e.Data()["anticipated"] = "yes", Verdict.BothReject);

        Add("procedure date in the future", p, e => e.Data()["procedureDate"] = "2026-03-16", Verdict.OnlyReaderRejects);
        Add("time in the future", p, e => e["time"] = "2026-03-16T00:00:00Z", Verdict.OnlyReaderRejects);
        Add("nhs check digit", p, e => e.Data()["nhsNumber"] = "9434765918", Verdict.OnlyReaderRejects);
        Add("gs1 check digit", p, e => e.Data()["device"]!["udiDi"] = "05012345678901", Verdict.OnlyReaderRejects);
        Add("nhs number in subject", p, e => e["subject"] = "patient 9434765919", Verdict.OnlyReaderRejects);
        Add("assessment before procedure", o, e => e.Data()["assessmentDate"] = "2025-08-01", Verdict.OnlyReaderRejects);
        Add("onset before procedure", a, e => e.Data()["onsetDate"] = "2025-08-01", Verdict.OnlyReaderRejects);
        Add("eq5d four decimals", o, e => e.Data()["eq5d5lIndex"] = 0.7125m, Verdict.OnlyReaderRejects);
        Add("date before 2000", p, e => e.Data()["procedureDate"] = "1999-12-31", Verdict.OnlyReaderRejects);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task The_schema_and_the_reader_agree_on_the_corpus(string sample, Verdict expected)
    {
        var json = sample[(sample.IndexOf('|', StringComparison.Ordinal) + 1)..];
        var type = JsonNode.Parse(json)!["type"]!.GetValue<string>();
        var schema = await Load(SafetyEventTypes.All.Contains(type) ? type : SafetyEventTypes.ProcedurePerformedV1);

        var schemaErrors = schema.Validate(json);
        var result = EventSamples.Read(json);

        var schemaAccepts = schemaErrors.Count == 0;
        var detail = $"schema: {string.Join("; ", schemaErrors.Select(e => e.ToString()))}\nreader: {string.Join("; ", result.ProblemTexts())}";
        switch (expected)
        {
            case Verdict.BothAccept:
                Assert.True(schemaAccepts && result.IsValid, detail);
                break;
            case Verdict.BothReject:
                Assert.True(!schemaAccepts && !result.IsValid, detail);
                break;
            case Verdict.OnlyReaderRejects:
                Assert.True(schemaAccepts && !result.IsValid, detail);
                break;
        }
    }

    [Fact]
    public async Task Every_generated_valid_event_is_valid_under_its_schema()
    {
        var schemas = new Dictionary<string, JsonSchema>();
        foreach (var type in SafetyEventTypes.All)
        {
            schemas[type] = await Load(type);
        }

        ReaderFuzzTests.ValidEvent.Sample(
            envelope =>
            {
                var errors = schemas[envelope["type"]!.GetValue<string>()].Validate(envelope.ToJsonString());
                Assert.True(errors.Count == 0, string.Join("; ", errors));
            },
            iter: 500,
            print: e => e.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task The_published_example_of_each_type_passes_the_schema_and_the_reader(string type)
    {
        var schema = await Load(type);
        var json = await File.ReadAllTextAsync(Path.Combine(SchemasFolder(), "examples", type + ".example.json"), TestContext.Current.CancellationToken);

        var errors = schema.Validate(json);
        var result = SafetyEventReader.Read(System.Text.Encoding.UTF8.GetBytes(json), new DateTimeOffset(2026, 7, 15, 0, 0, 0, TimeSpan.Zero));

        Assert.True(errors.Count == 0, string.Join("; ", errors));
        Assert.True(result.IsValid, string.Join("; ", result.ProblemTexts()));
        Assert.Equal(type, result.Event.Envelope.Type);
    }

    private static void AssertSameSet(IEnumerable<string> expected, IEnumerable<string> actual) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));

    private static void AssertRange(JsonSchema data, string property, decimal min, decimal max, JsonObjectType type)
    {
        var schema = data.Properties[property];
        Assert.Equal(type, schema.Type);
        Assert.Equal(min, schema.Minimum);
        Assert.Equal(max, schema.Maximum);
    }

    internal static Task<JsonSchema> Load(string type) =>
        JsonSchema.FromFileAsync(Path.Combine(SchemasFolder(), type + ".schema.json"), TestContext.Current.CancellationToken);

    private static string SchemasFolder([CallerFilePath] string thisFile = "")
    {
        for (var directory = Path.GetDirectoryName(thisFile); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var candidate = Path.Combine(directory, "schemas");
            if (File.Exists(Path.Combine(directory, "SafetySurveillance.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The repository's schemas/ folder was not found above " + thisFile);
    }
}
