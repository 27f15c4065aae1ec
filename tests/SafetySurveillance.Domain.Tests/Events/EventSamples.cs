using System.Text;
using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.CloudEvents;

namespace SafetySurveillance.Domain.Tests.Events;

/// <summary>Builders for valid events of each type, as JSON nodes that a test can change before reading.</summary>
internal static class EventSamples
{
    /// <summary>The clock every test reads against.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    public const string ValidNhsNumber = "9434765919";
    public const string OtherValidNhsNumber = "9434765870";

    public static JsonObject Procedure() => Envelope(SafetyEventTypes.ProcedurePerformedV1, "proc-0001", new JsonObject
    {
        ["procedureCode"] = "A48.4",
        ["procedureDate"] = "2026-01-10",
        ["device"] = new JsonObject
        {
            ["manufacturer"] = "Mainstay Medical",
            ["model"] = "ReActiv8-B",
            ["udiDi"] = "05012345678900",
        },
        ["mdtSelection"] = true,
        ["writtenInformationGiven"] = true,
        ["registryEntryMade"] = false,
        ["ageBand"] = "50-59",
        ["sex"] = "female",
        ["nhsNumber"] = ValidNhsNumber,
    });

    public static JsonObject Outcome() => Envelope(SafetyEventTypes.OutcomeReportedV1, "outc-0001", new JsonObject
    {
        ["procedureId"] = "proc-0001",
        ["procedureDate"] = "2025-09-01",
        ["timepoint"] = "6-months",
        ["assessmentDate"] = "2026-03-01",
        ["painNrs"] = 4,
        ["odi"] = 32,
        ["eq5d5lIndex"] = 0.712,
        ["pgic"] = 6,
    });

    public static JsonObject AdverseEvent() => Envelope(SafetyEventTypes.AdverseEventReportedV1, "ae-0001", new JsonObject
    {
        ["procedureId"] = "proc-0001",
        ["procedureDate"] = "2025-09-01",
        ["onsetDate"] = "2025-10-20",
        ["deviceProblemCodes"] = new JsonArray("A010402"),
        ["clinicalSignCodes"] = new JsonArray("E2109"),
        ["healthImpactCodes"] = new JsonArray("F1905"),
        ["seriousnessCriteria"] = new JsonArray("hospitalisation", "intervention"),
        ["deviceRelatedness"] = "probable",
        ["procedureRelatedness"] = "possible",
        ["action"] = "revision",
        ["outcome"] = "recovered",
        ["anticipated"] = true,
    });

    public static IEnumerable<JsonObject> AllKinds() => [Procedure(), Outcome(), AdverseEvent()];

    public static JsonObject Envelope(string type, string id, JsonObject data) => new()
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["source"] = "/trusts/RJ1",
        ["type"] = type,
        ["time"] = "2026-03-15T09:30:00Z",
        ["datacontenttype"] = "application/json",
        ["data"] = data,
    };

    public static JsonObject Data(this JsonObject envelope) => envelope["data"]!.AsObject();

    public static byte[] Bytes(this JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    public static SafetyEventReadResult Read(this JsonNode node) => SafetyEventReader.Read(node.Bytes(), Now);

    public static SafetyEventReadResult Read(string json) => SafetyEventReader.Read(Bytes(json), Now);

    public static SafetyEventReadResult Read(byte[] bytes) => SafetyEventReader.Read(bytes, Now);

    /// <summary>The same event in the AMQP binary binding with the given prefix.</summary>
    public static AmqpCloudEventMessage ToAmqpBinary(this JsonObject envelope, string prefix = "cloudEvents_")
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        string? contentType = null;
        foreach (var (name, value) in envelope)
        {
            if (name == "data")
            {
                continue;
            }

            if (name == "datacontenttype")
            {
                contentType = value?.GetValue<string>();
                continue;
            }

            properties[prefix + name] = value switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v when v.TryGetValue<bool>(out var b) => b,
                JsonValue v when v.TryGetValue<int>(out var i) => i,
                _ => value.ToJsonString(),
            };
        }

        return new AmqpCloudEventMessage(contentType, properties, envelope.Data().Bytes());
    }

    /// <summary>Problems as "path: reason" strings, for readable assertions.</summary>
    public static string[] ProblemTexts(this SafetyEventReadResult result) => result.Problems.Select(p => p.ToString()).ToArray();

    public static string[] ProblemPaths(this SafetyEventReadResult result) => result.Problems.Select(p => p.Path).ToArray();
}
