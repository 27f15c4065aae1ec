namespace SafetySurveillance.EventHubs.Tests.Connection;

public sealed class EventHubsConnectionStringPropertiesTests
{
    [Fact]
    public void The_official_emulator_string_means_plain_amqp_on_port_5672()
    {
        var properties = EventHubsConnectionStringProperties.Parse(
            "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;");

        Assert.True(properties.UseDevelopmentEmulator);
        Assert.Equal("localhost", properties.FullyQualifiedNamespace);
        Assert.Equal(5672, properties.Port);
        Assert.Equal("RootManageSharedAccessKey", properties.SharedAccessKeyName);
        Assert.Equal("SAS_KEY_VALUE", properties.SharedAccessKey);
        Assert.Null(properties.EventHubName);
    }

    [Fact]
    public void A_port_in_the_endpoint_wins_over_the_default()
    {
        var properties = EventHubsConnectionStringProperties.Parse(
            "Endpoint=sb://localhost:6672/;SharedAccessKeyName=n;SharedAccessKey=k;UseDevelopmentEmulator=true;EntityPath=eh1");

        Assert.Equal(6672, properties.Port);
        Assert.Equal("eh1", properties.EventHubName);
        Assert.Equal(new Uri("sb://localhost:6672/"), properties.Endpoint);
    }

    [Fact]
    public void A_cloud_string_uses_tls_port_5671()
    {
        var properties = EventHubsConnectionStringProperties.Parse(
            "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc=;EntityPath=safety-events");

        Assert.False(properties.UseDevelopmentEmulator);
        Assert.Equal(5671, properties.Port);
        Assert.Equal("contoso.servicebus.windows.net", properties.FullyQualifiedNamespace);
        Assert.Equal("abc=", properties.SharedAccessKey);
    }

    [Fact]
    public void Keys_are_matched_case_insensitively_and_values_keep_equals_signs()
    {
        var properties = EventHubsConnectionStringProperties.Parse(
            "endpoint=sb://ns.example/;sharedaccesskeyname=n;SHAREDACCESSKEY=a==;entitypath=hub;usedevelopmentemulator=True");

        Assert.Equal("a==", properties.SharedAccessKey);
        Assert.Equal("hub", properties.EventHubName);
        Assert.True(properties.UseDevelopmentEmulator);
    }

    [Fact]
    public void A_shared_access_signature_may_replace_the_key_pair()
    {
        var properties = EventHubsConnectionStringProperties.Parse(
            "Endpoint=sb://ns.example/;SharedAccessSignature=SharedAccessSignature sr=x&sig=y%3D&se=1&skn=n");

        Assert.Equal("SharedAccessSignature sr=x&sig=y%3D&se=1&skn=n", properties.SharedAccessSignature);
        Assert.Null(properties.SharedAccessKey);
    }

    [Theory]
    [InlineData("SharedAccessKeyName=n;SharedAccessKey=k")]
    [InlineData("Endpoint=sb://ns.example/;SharedAccessKeyName=n")]
    [InlineData("Endpoint=sb://ns.example/;SharedAccessKey=k")]
    [InlineData("Endpoint=sb://ns.example/")]
    [InlineData("Endpoint=sb://ns.example/;SharedAccessKeyName=n;SharedAccessKey=k;SharedAccessSignature=SharedAccessSignature sr=x")]
    [InlineData("Endpoint=sb://ns.example/;SharedAccessKeyName=n;SharedAccessKey=k;UseDevelopmentEmulator=yes")]
    [InlineData("Endpoint=sb://ns.example/;garbage")]
    public void Malformed_or_contradictory_strings_are_refused(string connectionString)
    {
        Assert.Throws<FormatException>(() => EventHubsConnectionStringProperties.Parse(connectionString));
    }

    [Fact]
    public void An_explicit_hub_name_must_agree_with_the_entity_path()
    {
        var properties = EventHubsConnectionStringProperties.Parse("Endpoint=sb://ns.example/;SharedAccessKeyName=n;SharedAccessKey=k;EntityPath=hub");

        Assert.Equal("hub", properties.ResolveEventHubName(null));
        Assert.Equal("hub", properties.ResolveEventHubName("HUB"));
        Assert.Throws<ArgumentException>(() => properties.ResolveEventHubName("other"));
    }

    [Fact]
    public void A_hub_name_is_required_from_somewhere()
    {
        var properties = EventHubsConnectionStringProperties.Parse("Endpoint=sb://ns.example/;SharedAccessKeyName=n;SharedAccessKey=k");

        Assert.Equal("given", properties.ResolveEventHubName("given"));
        Assert.Throws<ArgumentException>(() => properties.ResolveEventHubName(null));
    }
}
