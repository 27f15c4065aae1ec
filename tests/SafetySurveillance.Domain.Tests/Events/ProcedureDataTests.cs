using System.Text.Json.Nodes;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Events.Procedures;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Events;

public sealed class ProcedureDataTests
{
    [Theory]
    [InlineData("procedureCode")]
    [InlineData("procedureDate")]
    [InlineData("device")]
    [InlineData("mdtSelection")]
    [InlineData("writtenInformationGiven")]
    [InlineData("registryEntryMade")]
    [InlineData("ageBand")]
    [InlineData("sex")]
    [InlineData("nhsNumber")]
    public void Every_procedure_property_is_required(string property)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data().Remove(property);

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal($"data.{property}: is required", problem.ToString());
    }

    [Theory]
    [InlineData("A48")]
    [InlineData("A48.4")]
    [InlineData("Z99.9")]
    public void An_opcs4_procedure_code_is_accepted(string code)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["procedureCode"] = code;

        Assert.True(envelope.Read().IsValid);
    }

    [Theory]
    [InlineData("a48.4")]
    [InlineData("A484")]
    [InlineData("A48.")]
    [InlineData("A48.44")]
    [InlineData("48.4")]
    [InlineData("")]
    public void A_malformed_procedure_code_is_rejected(string code)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["procedureCode"] = code;

        Assert.Single(envelope.Read().Problems, p => p.Path == "data.procedureCode");
    }

    [Theory]
    [InlineData("2026-03-15", true)]
    [InlineData("2026-03-16", false)]
    [InlineData("2024-02-29", true)]
    [InlineData("2000-02-29", true)]
    [InlineData("2000-01-01", true)]
    [InlineData("1999-12-31", false)]
    public void A_procedure_date_must_be_neither_in_the_future_nor_implausibly_old(string date, bool accepted)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["procedureDate"] = date;

        var result = envelope.Read();

        Assert.Equal(accepted, result.IsValid);
    }

    [Fact]
    public void A_date_of_tomorrow_in_utc_is_accepted_in_the_first_hour_after_midnight_utc_for_bst()
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["procedureDate"] = "2026-07-02";
        envelope["time"] = null;

        var lateEvening = SafetyEventReader.Read(envelope.Bytes(), new DateTimeOffset(2026, 7, 1, 23, 30, 0, TimeSpan.Zero));
        var earlyEvening = SafetyEventReader.Read(envelope.Bytes(), new DateTimeOffset(2026, 7, 1, 22, 30, 0, TimeSpan.Zero));

        Assert.True(lateEvening.IsValid);
        Assert.Contains(earlyEvening.Problems, p => p.Path == "data.procedureDate" && p.Reason.Contains("is in the future", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2025-02-29")]
    [InlineData("1900-02-29")]
    [InlineData("2026-04-31")]
    [InlineData("2026-1-10")]
    [InlineData("10/01/2026")]
    [InlineData("2026-01-10T00:00:00Z")]
    [InlineData("")]
    public void An_impossible_or_badly_written_date_is_rejected(string date)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["procedureDate"] = date;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("data.procedureDate", problem.Path);
        Assert.Contains("YYYY-MM-DD", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("05012345678900")]
    [InlineData("5012345678900")]
    [InlineData("012345678905")]
    [InlineData("96385074")]
    [InlineData("+H123ABC1")]
    [InlineData("+A99912345670")]
    public void A_gs1_or_hibcc_udi_di_is_accepted(string udi)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["device"]!["udiDi"] = udi;

        var result = envelope.Read();

        Assert.True(result.IsValid, string.Join("\n", result.ProblemTexts()));
    }

    [Theory]
    [InlineData("05012345678901")]
    [InlineData("0501234567891")]
    [InlineData("123")]
    [InlineData("+h123ABC1")]
    [InlineData("+1123ABC1")]
    [InlineData("=/A9999XYZ100T0944")]
    [InlineData("050123456789000")]
    public void A_udi_di_with_a_wrong_check_digit_or_syntax_is_rejected(string udi)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["device"]!["udiDi"] = udi;

        Assert.Single(envelope.Read().Problems, p => p.Path == "data.device.udiDi");
    }

    [Fact]
    public void Device_members_are_required_and_unknown_ones_rejected()
    {
        var envelope = EventSamples.Procedure();
        var device = envelope.Data()["device"]!.AsObject();
        device.Remove("model");
        device["serialNumber"] = "X1";

        var texts = envelope.Read().ProblemTexts();

        Assert.Contains("data.device.model: is required", texts);
        Assert.Contains("data.device.serialNumber: is not a property of device; unknown properties are rejected", texts);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" Medtronic")]
    [InlineData("Tab\tseparated")]
    [InlineData("Patient 9434765919")]
    public void Device_free_text_must_be_clean_and_must_not_hold_an_nhs_number(string manufacturer)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["device"]!["manufacturer"] = manufacturer;

        Assert.Single(envelope.Read().Problems, p => p.Path == "data.device.manufacturer");
    }

    [Fact]
    public void Device_text_may_be_200_characters_but_not_201()
    {
        var ok = EventSamples.Procedure();
        ok.Data()["device"]!["model"] = new string('m', 200);
        var tooLong = EventSamples.Procedure();
        tooLong.Data()["device"]!["model"] = new string('m', 201);

        Assert.True(ok.Read().IsValid);
        Assert.Equal("data.device.model: is 201 characters long; the limit is 200", Assert.Single(tooLong.Read().Problems).ToString());
    }

    [Theory]
    [InlineData("mdtSelection", "\"yes\"")]
    [InlineData("writtenInformationGiven", "1")]
    [InlineData("registryEntryMade", "null")]
    public void Flags_must_be_json_booleans(string property, string json)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()[property] = JsonNode.Parse(json);

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("data." + property, problem.Path);
        Assert.StartsWith("must be true or false", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_age_band_and_sex_in_the_contract_is_accepted()
    {
        foreach (var band in ProcedurePerformedJson.AgeBands.Names)
        {
            foreach (var sex in ProcedurePerformedJson.Sexes.Names)
            {
                var envelope = EventSamples.Procedure();
                envelope.Data()["ageBand"] = band;
                envelope.Data()["sex"] = sex;
                Assert.True(envelope.Read().IsValid, $"{band} {sex}");
            }
        }
    }

    [Theory]
    [InlineData("ageBand", "80-89")]
    [InlineData("ageBand", "18-29 ")]
    [InlineData("sex", "Female")]
    [InlineData("sex", "F")]
    public void Enumerations_are_exact_and_case_sensitive(string property, string value)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()[property] = value;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("data." + property, problem.Path);
        Assert.Contains("is not one of", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9434765918", "modulus-11")]
    [InlineData("943476591", "10 digits")]
    [InlineData("94347659190", "10 digits")]
    [InlineData("943-476-5919", "10 digits")]
    [InlineData("943  476 5919", "10 digits")]
    [InlineData(" 9434765919", "10 digits")]
    public void A_bad_nhs_number_is_rejected_without_repeating_it(string nhsNumber, string reasonPart)
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["nhsNumber"] = nhsNumber;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("data.nhsNumber", problem.Path);
        Assert.Contains(reasonPart, problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("943", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_nhs_number_sent_as_a_json_number_is_rejected()
    {
        var envelope = EventSamples.Procedure();
        envelope.Data()["nhsNumber"] = 9434765919L;

        var problem = Assert.Single(envelope.Read().Problems);
        Assert.Equal("data.nhsNumber: must be a string of 10 digits, not a number", problem.ToString());
    }

    [Fact]
    public void An_nhs_number_in_the_3_3_4_grouping_is_accepted_as_the_same_number()
    {
        var spaced = EventSamples.Procedure();
        spaced.Data()["nhsNumber"] = "943 476 5919";

        var result = spaced.Read();

        var procedure = Assert.IsType<ValidatedProcedurePerformed>(result.Event);
        Assert.Equal(SafetySurveillance.Domain.Pseudonymisation.NhsNumber.Parse("9434765919"), procedure.NhsNumber);
    }
}
