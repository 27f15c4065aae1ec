using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.Domain.Events;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Tests.Events;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Pseudonymisation;

public sealed class PseudonymiserTests
{
    /// <summary>32 bytes 0x00..0x1f, base64.</summary>
    private const string TestKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static Pseudonymiser Create(string key = TestKey, string keyId = "2026-01") =>
        new(new PseudonymisationOptions { Key = key, KeyId = keyId });

    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")]
    [InlineData("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    public void The_hmac_sha256_primitive_matches_rfc_4231(string keyHex, string dataHex, string expectedHex)
    {
        var key = Convert.FromHexString(keyHex);
        var data = Convert.FromHexString(dataHex);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(HMACSHA256.HashData(key, data)));
        Assert.Equal(expectedHex, Convert.ToHexStringLower(Rfc2104HmacSha256(key, data)));
    }

    [Fact]
    public void The_hmac_sha256_primitive_matches_rfc_4231_for_a_key_longer_than_a_block()
    {
        var key = Enumerable.Repeat((byte)0xaa, 131).ToArray();
        var data = Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First");

        Assert.Equal("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", Convert.ToHexStringLower(Rfc2104HmacSha256(key, data)));
        Assert.Equal("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", Convert.ToHexStringLower(HMACSHA256.HashData(key, data)));
    }

    [Fact]
    public void A_pseudonym_is_the_hmac_of_the_ten_ascii_digits_under_the_configured_key()
    {
        var pseudonym = Create().Pseudonymise(NhsNumber.Parse("943 476 5919"));

        // Independent oracle: RFC 2104 built by hand from SHA-256, and the value Python's hmac module gives
        // for key bytes 0..31 and message b"9434765919".
        var expected = Convert.ToHexStringLower(Rfc2104HmacSha256(Convert.FromBase64String(TestKey), Encoding.ASCII.GetBytes("9434765919")));
        Assert.Equal(expected, pseudonym.Value);
        Assert.Equal("dd5c602eeb31d60c7c0d662c897231dda00e13cdf945b14cad185a4a7125826c", pseudonym.Value);
        Assert.Equal("2026-01", pseudonym.KeyId);
    }

    [Fact]
    public void The_same_number_and_key_always_give_the_same_pseudonym()
    {
        var first = Create().Pseudonymise(NhsNumber.Parse("9434765919"));
        var second = Create().Pseudonymise(NhsNumber.Parse("943 476 5919"));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_numbers_or_different_keys_give_different_pseudonyms()
    {
        var otherKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var a = Create().Pseudonymise(NhsNumber.Parse("9434765919"));
        var b = Create().Pseudonymise(NhsNumber.Parse("9434765870"));
        var c = Create(otherKey, "2026-02").Pseudonymise(NhsNumber.Parse("9434765919"));

        Assert.NotEqual(a.Value, b.Value);
        Assert.NotEqual(a.Value, c.Value);
        Assert.Equal("2026-02", c.KeyId);
    }

    [Fact]
    public void A_pseudonym_is_64_lower_case_hex_characters_and_never_contains_the_number()
    {
        var pseudonym = Create().Pseudonymise(NhsNumber.Parse("9434765919"));

        Assert.Matches("^[0-9a-f]{64}$", pseudonym.Value);
        Assert.DoesNotContain("9434765919", pseudonym.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "2026-01", "Pseudonymisation:Key is required (base64, at least 32 bytes).")]
    [InlineData("not base64!", "2026-01", "Pseudonymisation:Key is not valid base64.")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", "2026-01", "Pseudonymisation:Key decodes to 31 bytes; at least 32 are required.")]
    [InlineData(TestKey, "", "Pseudonymisation:KeyId is required.")]
    [InlineData(TestKey, "key/1", "Pseudonymisation:KeyId must be 1–64 letters, digits, '.', '_' or '-'.")]
    public void Unusable_options_are_refused_with_the_reason(string key, string keyId, string expected)
    {
        var options = new PseudonymisationOptions { Key = key, KeyId = keyId };

        Assert.Equal(expected, Assert.Single(options.Problems()));
        var exception = Assert.Throws<ArgumentException>(() => new Pseudonymiser(options));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_annotations_validation_refuses_an_empty_key_as_a_host_would_at_start_up()
    {
        var options = new PseudonymisationOptions();
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(PseudonymisationOptions.Key)));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(PseudonymisationOptions.KeyId)));
    }

    [Fact]
    public void Data_annotations_validation_refuses_a_short_key()
    {
        var options = new PseudonymisationOptions { KeyId = "k1", Key = Convert.ToBase64String(new byte[16]) };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains("at least 32", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_options_never_print_the_key()
    {
        var options = new PseudonymisationOptions { Key = TestKey, KeyId = "k1" };

        Assert.DoesNotContain(TestKey, options.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void Pseudonymising_a_validated_procedure_replaces_the_number_and_keeps_everything_else()
    {
        var validated = Assert.IsType<ValidatedProcedurePerformed>(EventSamples.Procedure().Read().Event);
        var pseudonymiser = Create();

        var result = Assert.IsType<PseudonymisedProcedurePerformed>(pseudonymiser.Pseudonymise(validated));

        Assert.Same(validated.Envelope, result.Envelope);
        Assert.Same(validated.Data, result.Data);
        Assert.Equal(pseudonymiser.Pseudonymise(validated.NhsNumber), result.Patient);
        Assert.DoesNotContain("9434765919", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Outcome_and_adverse_events_pass_through_to_their_pseudonymised_kinds()
    {
        var pseudonymiser = Create();

        Assert.IsType<PseudonymisedOutcomeReported>(pseudonymiser.Pseudonymise(EventSamples.Outcome().Read().Event!));
        Assert.IsType<PseudonymisedAdverseEventReported>(pseudonymiser.Pseudonymise(EventSamples.AdverseEvent().Read().Event!));
    }

    /// <summary>HMAC as RFC 2104 defines it, from SHA-256 alone: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)).</summary>
    private static byte[] Rfc2104HmacSha256(byte[] key, byte[] message)
    {
        const int blockSize = 64;
        if (key.Length > blockSize)
        {
            key = SHA256.HashData(key);
        }

        var padded = new byte[blockSize];
        key.CopyTo(padded, 0);
        var inner = padded.Select(b => (byte)(b ^ 0x36)).Concat(message).ToArray();
        var innerHash = SHA256.HashData(inner);
        var outer = padded.Select(b => (byte)(b ^ 0x5c)).Concat(innerHash).ToArray();
        return SHA256.HashData(outer);
    }
}
