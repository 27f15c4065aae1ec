using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.AdverseEvents;
using SafetySurveillance.Domain.Events.AdverseEvents.Imdrf;
using SafetySurveillance.Domain.Events.CloudEvents;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Events.Procedures;
using SafetySurveillance.Domain.Tests.Events;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Validation;

/// <summary>
/// Property tests: hostile input never makes the reader throw or fail internally (the reader turns an
/// unforeseen exception into a "could not be read" problem, so these tests assert that problem never
/// appears), and generated valid events are always accepted.
/// </summary>
public sealed class ReaderFuzzTests
{
    private const long Iterations = 4_000;

    private static readonly byte[][] ValidBodies = EventSamples.AllKinds().Select(e => e.Bytes()).ToArray();

    private static readonly Gen<byte[]> Mutated =
        Gen.Int[0, ValidBodies.Length - 1].SelectMany(i => Mutation(ValidBodies[i]));

    [Fact]
    public void Random_bytes_never_escape_as_exceptions()
    {
        Gen.Byte.Array[0, 400].Sample(bytes => AssertHandled(bytes), iter: Iterations);
    }

    [Fact]
    public void Random_printable_text_never_escapes_as_exceptions()
    {
        Gen.Char['\0', '\u00ff'].Array[0, 300].Select(chars => Encoding.UTF8.GetBytes(chars)).Sample(bytes => AssertHandled(bytes), iter: Iterations);
    }

    [Fact]
    public void Byte_level_mutations_of_valid_events_never_escape_as_exceptions()
    {
        Mutated.Sample(bytes => AssertHandled(bytes), iter: Iterations * 3);
    }

    [Fact]
    public void Replacing_any_value_with_any_json_value_is_handled_with_a_path()
    {
        var gen =
            from kind in Gen.Int[0, 2]
            from pick in Gen.Int[0, 1000]
            from replacement in AnyJson(3)
            select (kind, pick, replacement);

        gen.Sample(
            (kind, pick, replacement) =>
            {
                var envelope = EventSamples.AllKinds().ElementAt(kind);
                var slots = Slots(envelope).ToList();
                var (parent, key) = slots[pick % slots.Count];
                Set(parent, key, JsonNode.Parse(replacement));
                var result = AssertHandled(envelope.Bytes());
                Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Path)));
            },
            iter: Iterations * 2);
    }

    [Fact]
    public void Amqp_messages_with_random_properties_never_escape_as_exceptions()
    {
        var value = Gen.OneOf<object?>(
            Gen.String.Select(s => (object?)s),
            Gen.Int.Select(i => (object?)i),
            Gen.Long.Select(l => (object?)l),
            Gen.Bool.Select(b => (object?)b),
            Gen.Double.Select(d => (object?)d),
            Gen.DateTime.Select(d => (object?)d),
            Gen.Byte.Array[0, 8].Select(b => (object?)b),
            Gen.Const<object?>(() => null),
            Gen.Const<object?>(new Uri("urn:x")));
        var key = Gen.OneOf(
            Gen.OneOf("cloudEvents_", "cloudEvents:", "cloudevents_", "").SelectMany(p =>
                Gen.OneOf("id", "source", "type", "specversion", "time", "subject", "dataschema", "datacontenttype", "data", "x", "Bad", "").Select(n => p + n)),
            Gen.String[0, 12]);
        var gen =
            from pairs in Gen.Select(key, value).Array[0, 10]
            from contentType in Gen.OneOf<string?>(null, "application/json", "application/cloudevents+json", "text/plain", ";;", "application/cloudevents+json; charset=utf-16", "a/b; c")
            from body in Gen.OneOf(Mutated, Gen.Byte.Array[0, 64], Gen.Const(ValidBodies[0]))
            select new AmqpCloudEventMessage(
                contentType,
                pairs.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, object? (p) => p.Item2, StringComparer.Ordinal),
                body);

        gen.Sample(
            message =>
            {
                var result = SafetyEventReader.Read(message, EventSamples.Now);
                Assert.DoesNotContain(result.Problems, p => p.Reason.StartsWith("could not be read", StringComparison.Ordinal));
                Assert.Equal(result.IsValid, result.Problems.Count == 0);
            },
            iter: Iterations * 2);
    }

    [Fact]
    public void Binary_mode_versions_of_mutated_data_are_handled()
    {
        var properties = EventSamples.Procedure().ToAmqpBinary().ApplicationProperties;
        Mutated.Sample(
            body =>
            {
                var result = SafetyEventReader.Read(new AmqpCloudEventMessage("application/json", properties, body), EventSamples.Now);
                Assert.DoesNotContain(result.Problems, p => p.Reason.StartsWith("could not be read", StringComparison.Ordinal));
            },
            iter: Iterations);
    }

    [Fact]
    public void Generated_valid_events_of_every_kind_are_accepted()
    {
        ValidEvent.Sample(
            envelope =>
            {
                var result = envelope.Read();
                Assert.True(result.IsValid, envelope.ToJsonString() + "\n" + string.Join("\n", result.ProblemTexts()));
            },
            iter: Iterations * 2,
            print: e => e.ToJsonString());
    }

    [Fact]
    public void Generated_valid_events_are_also_accepted_in_amqp_binary_mode()
    {
        ValidEvent.Sample(
            envelope =>
            {
                var result = SafetyEventReader.Read(envelope.ToAmqpBinary(), EventSamples.Now);
                Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
            },
            iter: Iterations,
            print: e => e.ToJsonString());
    }

    [Fact]
    public void Problems_never_repeat_an_nhs_number_placed_anywhere()
    {
        var gen =
            from kind in Gen.Int[0, 2]
            from pick in Gen.Int[0, 1000]
            from number in ValidNhsNumber
            from spaced in Gen.Bool
            select (kind, pick, number, spaced);

        gen.Sample(
            (kind, pick, number, spaced) =>
            {
                var envelope = EventSamples.AllKinds().ElementAt(kind);
                var slots = Slots(envelope).ToList();
                var (parent, key) = slots[pick % slots.Count];
                var text = spaced ? $"{number[..3]} {number[3..6]} {number[6..]}" : number;
                Set(parent, key, JsonValue.Create(text));
                var result = envelope.Read();
                Assert.All(result.Problems, p => Assert.DoesNotContain(number[..7], p.ToString().Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
            },
            iter: Iterations);
    }

    private static SafetyEventReadResult AssertHandled(byte[] bytes)
    {
        var result = SafetyEventReader.Read(bytes, EventSamples.Now);
        Assert.DoesNotContain(result.Problems, p => p.Reason.StartsWith("could not be read", StringComparison.Ordinal));
        Assert.Equal(result.IsValid, result.Problems.Count == 0);
        Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason)));
        return result;
    }

    private static Gen<byte[]> Mutation(byte[] original) => Gen.OneOf(
        // Flip one byte to any value.
        from at in Gen.Int[0, original.Length - 1]
        from b in Gen.Byte
        select Replace(original, at, 1, [b]),
        // Delete a range.
        from at in Gen.Int[0, original.Length - 1]
        from length in Gen.Int[1, 20]
        select Replace(original, at, Math.Min(length, original.Length - at), []),
        // Insert random bytes.
        from at in Gen.Int[0, original.Length]
        from inserted in Gen.Byte.Array[1, 8]
        select Replace(original, at, 0, inserted),
        // Insert a JSON-significant character.
        from at in Gen.Int[0, original.Length]
        from c in Gen.OneOf("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "1e999", "-", "null", "\u00e9", "\uFEFF")
        select Replace(original, at, 0, Encoding.UTF8.GetBytes(c)),
        // Duplicate a segment (often creates duplicate names).
        from at in Gen.Int[0, original.Length - 1]
        from length in Gen.Int[1, 60]
        select Replace(original, at, 0, original.AsSpan(at, Math.Min(length, original.Length - at)).ToArray()),
        // Truncate.
        from length in Gen.Int[0, original.Length - 1]
        select original[..length]);

    private static byte[] Replace(byte[] original, int at, int remove, byte[] insert) =>
        [.. original.AsSpan(0, at), .. insert, .. original.AsSpan(at + remove)];

    private static Gen<string> AnyJson(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.String[0, 12].Select(s => System.Text.Json.JsonSerializer.Serialize(s)),
            Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            Gen.OneOf("true", "false", "null", "1e400", "-0", "0.0001", "99999999999999999999999", "\"\"", "\"9434765919\"", "\"2025-02-29\"", "\"A24\"", "[]", "{}"));
        if (depth == 0)
        {
            return scalar;
        }

        return Gen.Frequency(
            (6, (IGen<string>)scalar),
            (1, AnyJson(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Gen.String[0, 6], AnyJson(depth - 1)).Array[0, 3]
                .Select(members => "{" + string.Join(",", members.Select(m => System.Text.Json.JsonSerializer.Serialize(m.Item1) + ":" + m.Item2).Distinct()) + "}")));
    }

    /// <summary>Every place in an event where a value can be replaced: each member and array element, at every depth.</summary>
    private static IEnumerable<(JsonNode Parent, object Key)> Slots(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    yield return (obj, name);
                    if (child is not null)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, i);
                    if (array[i] is { } child)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
        }
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject obj)
        {
            obj[(string)key] = value;
        }
        else
        {
            parent.AsArray()[(int)key] = value;
        }
    }

    private static readonly Gen<string> ValidNhsNumber =
        Gen.Int[0, 9].Array[9].Select(d =>
        {
            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                sum += d[i] * (10 - i);
            }

            var check = 11 - (sum % 11);
            return (Digits: d, Check: check == 11 ? 0 : check);
        })
        .Where(x => x.Check != 10)
        .Select(x => string.Concat(x.Digits) + x.Check);

    private static readonly Gen<string> PastDate =
        Gen.Int[0, (new DateOnly(2026, 3, 15).DayNumber - new DateOnly(2000, 1, 1).DayNumber)]
            .Select(days => DateOnly.FromDayNumber(new DateOnly(2000, 1, 1).DayNumber + days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    private static readonly Gen<string> EventId = Gen.Char["!~"].Where(c => c is not ('/' or '\\' or '#' or '?')).Array[1, 40].Select(c => new string(c));

    private static readonly Gen<string> Gs1 =
        Gen.OneOf(7, 11, 12, 13).SelectMany(n => Gen.Int[0, 9].Array[n]).Select(d =>
        {
            var sum = 0;
            var weight = 3;
            for (var i = d.Length - 1; i >= 0; i--)
            {
                sum += d[i] * weight;
                weight = 4 - weight;
            }

            return string.Concat(d) + ((10 - (sum % 10)) % 10);
        });

    private static Gen<string> Codes(ImdrfAnnex annex) => Gen.OneOf(ImdrfCodeList.SelectableCodes(annex).ToArray());

    private static readonly Gen<JsonObject> ValidProcedure =
        from id in EventId
        from ods in Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"].Array[3, 5]
        from opcs in Gen.Select(Gen.Char['A', 'Z'], Gen.Int[0, 99], Gen.Int[-1, 9])
        from date in PastDate
        from manufacturer in Gen.String[1, 30].Select(s => new string(s.Where(c => !char.IsControl(c) && !char.IsSurrogate(c) && !char.IsWhiteSpace(c)).ToArray())).Where(s => s.Length > 0)
        from udi in Gs1
        from flags in Gen.Bool.Array[3]
        from age in Gen.OneOf(ProcedurePerformedJson.AgeBands.Names.ToArray())
        from sex in Gen.OneOf(ProcedurePerformedJson.Sexes.Names.ToArray())
        from nhs in ValidNhsNumber
        from spaced in Gen.Bool
        select WithSource(EventSamples.Envelope(SafetyEventTypes.ProcedurePerformedV1, id, new JsonObject
        {
            ["procedureCode"] = $"{opcs.Item1}{opcs.Item2:00}" + (opcs.Item3 >= 0 ? $".{opcs.Item3}" : string.Empty),
            ["procedureDate"] = date,
            ["device"] = new JsonObject { ["manufacturer"] = manufacturer, ["model"] = "M-" + id.Length, ["udiDi"] = udi },
            ["mdtSelection"] = flags[0],
            ["writtenInformationGiven"] = flags[1],
            ["registryEntryMade"] = flags[2],
            ["ageBand"] = age,
            ["sex"] = sex,
            ["nhsNumber"] = spaced ? $"{nhs[..3]} {nhs[3..6]} {nhs[6..]}" : nhs,
        }), new string(ods));

    private static readonly Gen<JsonObject> ValidOutcome =
        from id in EventId
        from procedureDay in Gen.Int[0, 5000]
        from timepoint in Gen.OneOf(OutcomeReportedJson.Timepoints.Names.ToArray())
        from offset in Gen.Int[0, 400]
        from scores in Gen.Select(Gen.Int[0, 10], Gen.Int[0, 100], Gen.Int[-594, 1000], Gen.Int[1, 7])
        from present in Gen.Bool.Array[4].Where(p => p.Any(x => x))
        select Outcome(id, procedureDay, timepoint, offset, scores, present);

    private static readonly Gen<JsonObject> ValidAdverse =
        from id in EventId
        from procedureDay in Gen.Int[0, 5000]
        from onsetOffset in Gen.Int[0, 300]
        from a in Codes(ImdrfAnnex.A).ArrayUnique[1, 4]
        from e in Codes(ImdrfAnnex.E).ArrayUnique[1, 4]
        from f in Codes(ImdrfAnnex.F).ArrayUnique[1, 4]
        from criteria in Gen.OneOf(AdverseEventReportedJson.Criteria.Names.ToArray()).ArrayUnique[0, 5]
        from related in Gen.OneOf(AdverseEventReportedJson.Relatedness.Names.ToArray()).Array[2]
        from action in Gen.OneOf(AdverseEventReportedJson.Actions.Names.ToArray())
        from outcome in Gen.OneOf(AdverseEventReportedJson.Outcomes.Names.ToArray())
        from anticipated in Gen.Bool
        select EventSamples.Envelope(SafetyEventTypes.AdverseEventReportedV1, id, new JsonObject
        {
            ["procedureId"] = "proc-" + procedureDay,
            ["procedureDate"] = Day(procedureDay),
            ["onsetDate"] = Day(Math.Min(procedureDay + onsetOffset, 5000)),
            ["deviceProblemCodes"] = Array(a),
            ["clinicalSignCodes"] = Array(e),
            ["healthImpactCodes"] = Array(f),
            ["seriousnessCriteria"] = Array(criteria),
            ["deviceRelatedness"] = related[0],
            ["procedureRelatedness"] = related[1],
            ["action"] = action,
            ["outcome"] = outcome,
            ["anticipated"] = anticipated,
        });

    /// <summary>Valid events of all three kinds; dates run from 2012-06-23 to the test clock's today.</summary>
    internal static readonly Gen<JsonObject> ValidEvent = Gen.OneOf(ValidProcedure, ValidOutcome, ValidAdverse);

    private static JsonObject WithSource(JsonObject envelope, string ods)
    {
        envelope["source"] = "/trusts/" + ods;
        return envelope;
    }

    private static JsonArray Array(string[] items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    /// <summary>Day 5000 is the test clock's today (2026-03-15).</summary>
    private static string Day(int dayIndex) =>
        DateOnly.FromDayNumber(new DateOnly(2026, 3, 15).DayNumber - 5000 + dayIndex).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Outcome(string id, int procedureDay, string timepoint, int offset, (int Pain, int Odi, int Eq5d, int Pgic) scores, bool[] present)
    {
        var baseline = timepoint == "baseline";
        var assessmentDay = baseline ? Math.Max(procedureDay - offset, 0) : Math.Min(procedureDay + offset, 5000);
        var data = new JsonObject
        {
            ["procedureId"] = "proc-" + procedureDay,
            ["procedureDate"] = Day(procedureDay),
            ["timepoint"] = timepoint,
            ["assessmentDate"] = Day(assessmentDay),
        };
        if (present[0])
        {
            data["painNrs"] = scores.Pain;
        }

        if (present[1])
        {
            data["odi"] = scores.Odi;
        }

        if (present[2] || (baseline && !present[0] && !present[1]))
        {
            data["eq5d5lIndex"] = scores.Eq5d / 1000m;
        }

        if (present[3] && !baseline)
        {
            data["pgic"] = scores.Pgic;
        }

        return EventSamples.Envelope(SafetyEventTypes.OutcomeReportedV1, id, data);
    }
}
