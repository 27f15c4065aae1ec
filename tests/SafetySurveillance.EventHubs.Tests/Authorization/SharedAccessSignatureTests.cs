using SafetySurveillance.EventHubs.Tests.CrossClient;

namespace SafetySurveillance.EventHubs.Tests.Authorization;

public sealed class SharedAccessSignatureTests
{
    [Fact]
    public async Task A_signature_is_byte_for_byte_what_the_official_js_sdk_makes()
    {
        const string audience = "sb://127.0.0.1:5672/eh1/Partitions/0";
        var official = await Node.RunAsync("sas-token.js", ["RootManageSharedAccessKey", "secret-key+/=", audience], TestContext.Current.CancellationToken);
        var expiry = SharedAccessSignature.GetExpiry(official);
        Assert.NotNull(expiry);

        var ours = SharedAccessSignature.Create(audience, "RootManageSharedAccessKey", "secret-key+/=", expiry.Value);

        Assert.Equal(official, ours);
    }

    [Fact]
    public void Fields_are_read_in_any_order_and_url_decoded()
    {
        var fields = SharedAccessSignature.ReadFields("SharedAccessSignature sig=a%2Bb%3D&se=1700000000&skn=send&sr=sb%3A%2F%2Fns%2Fhub");

        Assert.Equal("a+b=", fields["sig"]);
        Assert.Equal("sb://ns/hub", fields["sr"]);
        Assert.Equal("send", fields["skn"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), SharedAccessSignature.GetExpiry("SharedAccessSignature sig=a%2Bb%3D&se=1700000000&skn=send&sr=x"));
    }

    [Fact]
    public void A_signature_without_expiry_has_none()
    {
        Assert.Null(SharedAccessSignature.GetExpiry("SharedAccessSignature sr=x&sig=y"));
    }

    [Fact]
    public void Different_keys_give_different_signatures()
    {
        var expiry = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        Assert.NotEqual(
            SharedAccessSignature.Create("sb://ns/hub", "send", "key-one", expiry),
            SharedAccessSignature.Create("sb://ns/hub", "send", "key-two", expiry));
    }
}
