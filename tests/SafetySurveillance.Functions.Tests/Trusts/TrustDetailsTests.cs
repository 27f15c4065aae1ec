using SafetySurveillance.Storage.Trusts;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Trusts;

public sealed class TrustDetailsTests
{
    [Fact]
    public void Valid_details_have_no_problems() =>
        Assert.Empty(new TrustDetails("RJ122", "A Trust", ["a@b.nhs.uk"], new Uri("https://hooks.example.test/x")).Problems());

    [Theory]
    [InlineData("rj1")]
    [InlineData("RJ")]
    [InlineData("RJ1/2")]
    [InlineData("RJ1#")]
    public void Malformed_ods_codes_are_refused_so_row_keys_are_always_safe(string ods) =>
        Assert.Contains(new TrustDetails(ods, "A Trust", []).Problems(), p => p.StartsWith("OdsCode", StringComparison.Ordinal));

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("a@b.nhs.uk;c@d.nhs.uk")]
    [InlineData("")]
    public void Contacts_must_each_be_one_address(string contact) =>
        Assert.Contains(new TrustDetails("RJ1", "A Trust", [contact]).Problems(), p => p.StartsWith("GovernanceContacts", StringComparison.Ordinal));

    [Theory]
    [InlineData("http://hooks.example.test/x", false)]
    [InlineData("http://127.0.0.1:8080/x", true)]
    [InlineData("https://hooks.example.test/x", true)]
    [InlineData("ftp://hooks.example.test/x", false)]
    public void Webhooks_must_be_https_except_on_loopback(string url, bool valid) =>
        Assert.Equal(valid, new TrustDetails("RJ1", "A Trust", [], new Uri(url)).Problems().Count == 0);

    [Fact]
    public void A_name_with_control_characters_is_refused() =>
        Assert.NotEmpty(new TrustDetails("RJ1", "A\nTrust", []).Problems());
}
