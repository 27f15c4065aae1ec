using System.Security.Cryptography;
using System.Text;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Ingestion;

public sealed class DeadLetterPayloadTests
{
    private static PseudonymisationOptions Options(string keyId = "k1", byte fill = 7) =>
        new() { KeyId = keyId, Key = Convert.ToBase64String(Enumerable.Repeat(fill, 32).ToArray()) };

    [Theory]
    [InlineData("{\"nhsNumber\":\"9434765919\"}", "{\"nhsNumber\":\"[redacted]\"}")]
    [InlineData("nhs 943 476 5919 end", "nhs [redacted] end")]
    [InlineData("nhs 943-476-5919", "nhs [redacted]")]
    [InlineData("long 123456789012345", "long [redacted]")]
    [InlineData("short 123456789 stays", "short 123456789 stays")]
    public void A_preview_never_shows_a_ten_digit_run(string payload, string expected)
    {
        Assert.Equal(expected, PayloadRedaction.Preview(Encoding.UTF8.GetBytes(payload)));
    }

    [Fact]
    public void A_preview_of_invalid_UTF8_is_readable_and_cut_to_length()
    {
        byte[] payload = [0xFF, 0xFE, .. Encoding.UTF8.GetBytes(new string('a', 5000))];

        var preview = PayloadRedaction.Preview(payload, maxChars: 100);

        Assert.StartsWith("\uFFFD", preview, StringComparison.Ordinal);
        Assert.Equal(101, preview.Length);
    }

    [Fact]
    public void A_protected_payload_round_trips_and_hides_the_plain_text()
    {
        var protector = new PayloadProtector(Options());
        var payload = Encoding.UTF8.GetBytes("{\"nhsNumber\":\"9434765919\"}");

        var sealedPayload = protector.Protect(payload);

        Assert.Equal(payload, protector.Unprotect(sealedPayload));
        Assert.DoesNotContain("9434765919", Encoding.UTF8.GetString(sealedPayload), StringComparison.Ordinal);
    }

    [Fact]
    public void A_protected_payload_cannot_be_opened_with_another_key_or_after_tampering()
    {
        var sealedPayload = new PayloadProtector(Options()).Protect("x"u8);

        Assert.ThrowsAny<CryptographicException>(() => new PayloadProtector(Options(fill: 8)).Unprotect(sealedPayload));
        Assert.ThrowsAny<CryptographicException>(() => new PayloadProtector(Options(keyId: "k2")).Unprotect(sealedPayload));
        sealedPayload[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => new PayloadProtector(Options()).Unprotect(sealedPayload));
    }
}
