using SafetySurveillance.EventHubs.Emulator.Configuration;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Protocol;

public sealed class ConfigurationTests
{
    [Fact]
    public void The_official_default_configuration_declares_eh1_with_two_partitions_and_cg1()
    {
        var configuration = EmulatorConfiguration.Default;

        Assert.Equal("emulatorNs1", configuration.Namespace.Name);
        var hub = Assert.Single(configuration.Namespace.Entities);
        Assert.Equal("eh1", hub.Name);
        Assert.Equal(2, hub.PartitionCount);
        Assert.Equal("cg1", Assert.Single(hub.ConsumerGroups!).Name);
    }

    [Fact]
    public void A_file_in_the_official_schema_is_read()
    {
        var configuration = EmulatorConfiguration.Parse("""
            {"UserConfig":{"NamespaceConfig":[{"Type":"EventHub","Name":"emulatorNs1",
              "Entities":[{"Name":"safety-events","PartitionCount":32,"ConsumerGroups":[{"Name":"functions"},{"Name":"audit"}]}]}],
             "LoggingConfig":{"Type":"File,Console"}}}
            """);

        var hub = Assert.Single(configuration.Namespace.Entities);
        Assert.Equal(32, hub.PartitionCount);
        Assert.Equal(["functions", "audit"], hub.ConsumerGroups!.Select(c => c.Name));
    }

    [Theory]
    [InlineData("""{"Name":"eh","PartitionCount":33}""", "PartitionCount 33")]
    [InlineData("""{"Name":"eh","PartitionCount":0}""", "PartitionCount 0")]
    [InlineData("""{"Name":"eh","PartitionCount":1,"ConsumerGroups":[{"Name":"$Default"}]}""", "$Default")]
    [InlineData("""{"Name":"-bad","PartitionCount":1}""", "not a valid name")]
    public void Quotas_and_schema_rules_are_enforced(string entity, string expectedMessage)
    {
        var json = """{"UserConfig":{"NamespaceConfig":[{"Type":"EventHub","Name":"emulatorNs1","Entities":[ENTITY]}],"LoggingConfig":{"Type":"File"}}}"""
            .Replace("ENTITY", entity, StringComparison.Ordinal);

        var exception = Assert.Throws<EmulatorConfigurationException>(() => EmulatorConfiguration.Parse(json));

        Assert.Contains(expectedMessage, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_ten_hubs_or_twenty_consumer_groups_are_refused()
    {
        Assert.Throws<EmulatorConfigurationException>(() =>
            EmulatorConfiguration.ForHubs(Enumerable.Range(0, 11).Select(i => ($"hub{i}", 1))));
        Assert.Throws<EmulatorConfigurationException>(() =>
            EmulatorConfiguration.ForHubs([("hub", 1)], [.. Enumerable.Range(0, 21).Select(i => $"cg{i}")]));
    }
}
