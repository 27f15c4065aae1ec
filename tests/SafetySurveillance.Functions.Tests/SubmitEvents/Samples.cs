using System.Text.Json.Nodes;

namespace SafetySurveillance.Functions.Tests.SubmitEvents;

/// <summary>Valid CloudEvents of each type for a trust, as JSON a test can change.</summary>
internal static class Samples
{
    public static JsonObject Outcome(string ods, string id) => Envelope(ods, "uk.nhs.neuromodulation.outcome-reported.v1", id, new JsonObject
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

    public static JsonObject Procedure(string ods, string id) => Envelope(ods, "uk.nhs.neuromodulation.procedure-performed.v1", id, new JsonObject
    {
        ["procedureCode"] = "A48.4",
        ["procedureDate"] = "2026-01-10",
        ["device"] = new JsonObject { ["manufacturer"] = "Mainstay Medical", ["model"] = "ReActiv8-B", ["udiDi"] = "05012345678900" },
        ["mdtSelection"] = true,
        ["writtenInformationGiven"] = true,
        ["registryEntryMade"] = false,
        ["ageBand"] = "50-59",
        ["sex"] = "female",
        ["nhsNumber"] = "9434765919",
    });

    public static JsonObject Envelope(string ods, string type, string id, JsonObject data) => new()
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["source"] = "/trusts/" + ods,
        ["type"] = type,
        ["time"] = "2026-03-15T09:30:00Z",
        ["datacontenttype"] = "application/json",
        ["data"] = data,
    };

    public static string Batch(params JsonNode[] events) => new JsonArray([.. events.Select(e => e.DeepClone())]).ToJsonString();
}
