using CsCheck;
using SafetySurveillance.Domain.Events.Outcomes;
using SafetySurveillance.Domain.Signals;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Signals;

public sealed class SignalRowPropertiesTests
{
    [Fact]
    public void Any_row_survives_the_flat_table_form_unchanged()
    {
        Gen.Select(SignalGenerators.Contribution.Array[0, 40], SignalGenerators.Contribution.Array[0, 10]).Sample(
            (fromPartitionThree, fromPartitionZero) =>
            {
                SignalRow row = SignalRowWatermarkTests.RowWith(fromPartitionThree);
                row.Apply("0", [.. fromPartitionZero.Select((c, i) => new SequencedContribution(1_000 + i, c))]);

                Dictionary<string, object> properties = SignalRowProperties.ToProperties(row);

                Assert.True(SignalRowProperties.TryFromProperties(properties, out SignalRow back, out string? error), error);
                Assert.Equal(row, back);
                Assert.All(properties.Values, v => Assert.True(v is long or string));
                Assert.InRange(properties.Count, 1, 252);
            },
            iter: 300);
    }

    [Fact]
    public void The_flat_form_uses_readable_names_and_omits_zeros()
    {
        var row = new SignalRow();
        row.Apply("0",
        [
            new(0, new ProcedureContribution(new DateOnly(2026, 3, 4), ProcedureFacts.MdtSelection)),
            new(1, new AdverseEventContribution(AdverseEventFacts.Serious | AdverseEventFacts.DeviceRelated, ["A0101", "E0101"])),
            new(2, new OutcomeContribution(new DateOnly(2026, 3, 4), OutcomeTimepoint.Month12, painNrs: new MeasureObservation(4, -3, true))),
        ]);

        Dictionary<string, object> properties = SignalRowProperties.ToProperties(row);

        Assert.Equal(1L, properties["SchemaVersion"]);
        Assert.Equal(1L, properties["Procedures"]);
        Assert.Equal(1L, properties["MdtSelection"]);
        Assert.Equal(1L, properties["SeriousRelatedAdverseEvents"]);
        Assert.Equal(16L, properties["PainNrs_Month12_SumSq"]);
        Assert.Equal(-3L, properties["PainNrs_Month12_ChangeSum"]);
        Assert.Equal(1L, properties["PainNrs_Month12_Responders"]);
        Assert.Equal("A0101=1;E0101=1", properties["ImdrfCodes"]);
        Assert.Equal("2026-03=1/1", properties["FollowUp12"]);
        Assert.Equal("0=2", properties["Watermarks"]);
        Assert.False(properties.ContainsKey("Deaths"));
        Assert.False(properties.ContainsKey("Odi_Month12_N"));
    }

    [Fact]
    public void A_row_with_every_slot_filled_stays_within_the_table_property_limit()
    {
        var events = new List<SequencedContribution>
        {
            new(0, new ProcedureContribution(new DateOnly(2026, 3, 4), (ProcedureFacts)15)),
            new(1, new AdverseEventContribution((AdverseEventFacts)255, ["A0101"])),
        };
        foreach (OutcomeTimepoint timepoint in Enum.GetValues<OutcomeTimepoint>())
        {
            events.Add(new(events.Count, new OutcomeContribution(
                new DateOnly(2026, 3, 4),
                timepoint,
                painNrs: new MeasureObservation(3, -1, true),
                odi: new MeasureObservation(30, -1, true),
                eq5dIndex: new MeasureObservation(700, -1, true),
                pgic: new MeasureObservation(6, -1, true))));
        }

        var row = new SignalRow();
        row.Apply("0", [.. events]);
        Dictionary<string, object> properties = SignalRowProperties.ToProperties(row);

        // SchemaVersion + 16 counts + 4 measures × 5 timepoints × 7 moments + 5 report counts + 3 packed strings.
        Assert.Equal(1 + 16 + 140 + 5 + 3, properties.Count);
        Assert.True(properties.Count <= 252);
    }

    [Fact]
    public void Table_system_properties_are_ignored_when_reading()
    {
        var properties = new Dictionary<string, object>
        {
            ["PartitionKey"] = "A48.3|2026-03",
            ["RowKey"] = "national",
            ["Timestamp"] = DateTimeOffset.UnixEpoch,
            ["odata.etag"] = "W/\"x\"",
            ["SchemaVersion"] = 1L,
            ["Procedures"] = 5, // an Int32, as a hand-edited entity might hold
        };

        Assert.True(SignalRowProperties.TryFromProperties(properties, out SignalRow row, out _));
        Assert.Equal(5, row.Totals[SignalCount.Procedures]);
    }

    [Fact]
    public void A_newer_schema_version_is_refused_rather_than_silently_dropped()
    {
        var properties = new Dictionary<string, object> { ["SchemaVersion"] = 2L, ["Procedures"] = 5L };
        Assert.False(SignalRowProperties.TryFromProperties(properties, out _, out string? error));
        Assert.Contains("newer", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Procedures", "five")]
    [InlineData("ImdrfCodes", "A0101")]
    [InlineData("ImdrfCodes", "A/01=1")]
    [InlineData("FollowUp12", "2026-Q1=3/1")]
    [InlineData("FollowUp12", "2026-03=3")]
    [InlineData("Watermarks", "0=-4")]
    public void Malformed_values_are_reported_with_the_property_name(string name, object value)
    {
        var properties = new Dictionary<string, object> { ["SchemaVersion"] = 1L, [name] = value };
        Assert.False(SignalRowProperties.TryFromProperties(properties, out _, out string? error));
        Assert.StartsWith(name, error, StringComparison.Ordinal);
    }
}
