using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Registration;
using SafetySurveillance.Storage.Trusts;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Registration;

public sealed class TrustRegistrarTests : IClassFixture<AzuriteFixture>
{
    private readonly AzuriteFixture _azurite;

    public TrustRegistrarTests(AzuriteFixture azurite) => _azurite = azurite;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TrustKeyHasher Hasher =
        TrustRegistrar.HasherFromSettings(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json"));

    [Fact]
    public async Task Every_simulated_trust_is_registered_with_a_governance_address_and_registering_again_keeps_its_key()
    {
        var trusts = new SafetyEventGenerator(TimeProvider.System).Generate(new SimulationOptions { TrustCount = 5, EventCount = 50, InjectedTrustIndex = 2 }).Trusts;
        var directory = new TrustDirectory(_azurite.CreateTableServiceClient().GetTableClient(TrustDirectory.TableName), Hasher, TimeProvider.System);

        var added = await TrustRegistrar.RegisterAsync(trusts, _azurite.ConnectionString, Hasher, webhook: null, Ct);
        var first = await directory.GetAsync(trusts[0].OdsCode, Ct);
        var webhook = new Uri("http://127.0.0.1:9/hook");
        var addedAgain = await TrustRegistrar.RegisterAsync(trusts, _azurite.ConnectionString, Hasher, webhook, Ct);
        var second = await directory.GetAsync(trusts[0].OdsCode, Ct);

        Assert.Equal(5, added);
        Assert.Equal(0, addedAgain);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(trusts[0].Name, second.Details.Name);
        Assert.Equal([TrustRegistrar.GovernanceAddress(trusts[0].OdsCode)], second.Details.GovernanceContacts);
        Assert.Equal(webhook, second.Details.WebhookUrl);
        Assert.Null(first.Details.WebhookUrl);
        Assert.Equal(first.CurrentKey, second.CurrentKey);
    }

    [Fact]
    public void A_governance_address_is_on_the_reserved_test_domain_and_valid_for_the_directory()
    {
        var details = new TrustDetails("RTH", "Oxford University Hospitals NHS Foundation Trust", [TrustRegistrar.GovernanceAddress("RTH")]);

        Assert.Equal("governance.rth@trusts.nhs.test", details.GovernanceContacts[0]);
        Assert.Empty(details.Problems());
    }
}
