using Azure.Data.Tables;
using SafetySurveillance.Functions.Tests.SubmitEvents;
using SafetySurveillance.Storage.Trusts;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Trusts;

[Collection(GatewayCollection.Name)]
public sealed class TrustDirectoryTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TableClient Table => fixture.Azurite.CreateTableServiceClient().GetTableClient(TrustDirectory.TableName);

    private static TrustDetails Details(string ods) =>
        new(ods, "Leeds Teaching Hospitals NHS Trust", ["governance@leeds.nhs.test", "safety@leeds.nhs.test"], new Uri("https://alerts.leeds.nhs.test/hook"));

    [Fact]
    public async Task A_registered_trust_is_stored_under_partition_trust_with_its_details_and_only_a_hash_of_its_key()
    {
        var ods = GatewayFixture.NewOdsCode();

        var registration = await fixture.Trusts.RegisterAsync(Details(ods), cancellationToken: Ct);

        Assert.True(registration.Registered);
        var key = registration.IssuedKey!.Key;
        var row = (await Table.GetEntityAsync<TableEntity>(TrustDirectory.PartitionKey, ods, cancellationToken: Ct)).Value;
        Assert.Equal("Leeds Teaching Hospitals NHS Trust", row.GetString("Name"));
        Assert.Equal("governance@leeds.nhs.test;safety@leeds.nhs.test", row.GetString("GovernanceContacts"));
        Assert.Equal("https://alerts.leeds.nhs.test/hook", row.GetString("WebhookUrl"));
        Assert.DoesNotContain(row.Select(p => p.Value), v => v is string s && s.Contains(key[TrustKeyHasher.KeyPrefix.Length..][..16], StringComparison.Ordinal));
        Assert.StartsWith("v1." + fixture.Hasher.SecretId + ".", row.GetString("KeyHash"), StringComparison.Ordinal);
        Assert.Equal(TrustKeyVerdict.Current, await fixture.Trusts.VerifyKeyAsync(ods, key, Ct));
    }

    [Fact]
    public async Task The_same_key_given_to_two_trusts_is_stored_under_different_salted_hashes()
    {
        var key = TrustKeyHasher.NewKey();
        var (a, b) = (GatewayFixture.NewOdsCode(), GatewayFixture.NewOdsCode());

        await fixture.Trusts.RegisterAsync(Details(a), key, Ct);
        await fixture.Trusts.RegisterAsync(Details(b), key, Ct);

        var hashA = (await Table.GetEntityAsync<TableEntity>(TrustDirectory.PartitionKey, a, cancellationToken: Ct)).Value.GetString("KeyHash");
        var hashB = (await Table.GetEntityAsync<TableEntity>(TrustDirectory.PartitionKey, b, cancellationToken: Ct)).Value.GetString("KeyHash");
        Assert.NotEqual(hashA, hashB);
    }

    [Fact]
    public async Task A_key_hash_copied_onto_another_trusts_row_does_not_let_that_trust_in()
    {
        var (a, b) = (GatewayFixture.NewOdsCode(), GatewayFixture.NewOdsCode());
        var keyA = (await fixture.Trusts.RegisterAsync(Details(a), cancellationToken: Ct)).IssuedKey!.Key;
        await fixture.Trusts.RegisterAsync(Details(b), cancellationToken: Ct);
        var rowA = (await Table.GetEntityAsync<TableEntity>(TrustDirectory.PartitionKey, a, cancellationToken: Ct)).Value;

        var rowB = new TableEntity(TrustDirectory.PartitionKey, b) { ["KeyHash"] = rowA.GetString("KeyHash") };
        await Table.UpdateEntityAsync(rowB, Azure.ETag.All, TableUpdateMode.Merge, Ct);

        Assert.Equal(TrustKeyVerdict.Rejected, await fixture.Trusts.VerifyKeyAsync(b, keyA, Ct));
    }

    [Fact]
    public async Task Registering_a_trust_again_changes_nothing_and_issues_no_key()
    {
        var ods = GatewayFixture.NewOdsCode();
        var first = await fixture.Trusts.RegisterAsync(Details(ods), cancellationToken: Ct);

        var again = await fixture.Trusts.RegisterAsync(Details(ods) with { Name = "Another name" }, cancellationToken: Ct);

        Assert.False(again.Registered);
        Assert.Null(again.IssuedKey);
        var record = await fixture.Trusts.GetAsync(ods, Ct);
        Assert.Equal("Leeds Teaching Hospitals NHS Trust", record!.Details.Name);
        Assert.Equal(TrustKeyVerdict.Current, await fixture.Trusts.VerifyKeyAsync(ods, first.IssuedKey!.Key, Ct));
    }

    [Fact]
    public async Task A_rotated_key_stays_valid_until_it_is_replaced_twice()
    {
        var ods = GatewayFixture.NewOdsCode();
        var k1 = (await fixture.Trusts.RegisterAsync(Details(ods), cancellationToken: Ct)).IssuedKey!.Key;

        var k2 = (await fixture.Trusts.RotateKeyAsync(ods, cancellationToken: Ct))!.Key;
        Assert.Equal(TrustKeyVerdict.Previous, await fixture.Trusts.VerifyKeyAsync(ods, k1, Ct));
        Assert.Equal(TrustKeyVerdict.Current, await fixture.Trusts.VerifyKeyAsync(ods, k2, Ct));

        var k3 = (await fixture.Trusts.RotateKeyAsync(ods, cancellationToken: Ct))!.Key;
        Assert.Equal(TrustKeyVerdict.Rejected, await fixture.Trusts.VerifyKeyAsync(ods, k1, Ct));
        Assert.Equal(TrustKeyVerdict.Previous, await fixture.Trusts.VerifyKeyAsync(ods, k2, Ct));
        Assert.Equal(TrustKeyVerdict.Current, await fixture.Trusts.VerifyKeyAsync(ods, k3, Ct));

        var record = await fixture.Trusts.GetAsync(ods, Ct);
        Assert.Equal(TrustKeyHasher.Fingerprint(k3), record!.CurrentKey.Fingerprint);
        Assert.Equal(TrustKeyHasher.Fingerprint(k2), record.PreviousKey!.Fingerprint);
    }

    [Fact]
    public async Task Concurrent_rotations_each_issue_a_key_and_the_last_two_stay_valid()
    {
        var ods = GatewayFixture.NewOdsCode();
        await fixture.Trusts.RegisterAsync(Details(ods), cancellationToken: Ct);

        var issued = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.Trusts.RotateKeyAsync(ods, cancellationToken: Ct)));

        var verdicts = new List<TrustKeyVerdict>();
        foreach (var key in issued)
        {
            verdicts.Add(await fixture.Trusts.VerifyKeyAsync(ods, key!.Key, Ct));
        }

        Assert.Equal(1, verdicts.Count(v => v == TrustKeyVerdict.Current));
        Assert.Equal(1, verdicts.Count(v => v == TrustKeyVerdict.Previous));
        Assert.Equal(2, verdicts.Count(v => v == TrustKeyVerdict.Rejected));
    }

    [Fact]
    public async Task Updating_details_keeps_the_keys()
    {
        var ods = GatewayFixture.NewOdsCode();
        var key = (await fixture.Trusts.RegisterAsync(Details(ods), cancellationToken: Ct)).IssuedKey!.Key;

        Assert.True(await fixture.Trusts.UpdateDetailsAsync(new TrustDetails(ods, "Renamed Trust", ["new@trust.nhs.test"]), Ct));

        var record = await fixture.Trusts.GetAsync(ods, Ct);
        Assert.Equal("Renamed Trust", record!.Details.Name);
        Assert.Equal(["new@trust.nhs.test"], record.Details.GovernanceContacts);
        Assert.Null(record.Details.WebhookUrl);
        Assert.Equal(TrustKeyVerdict.Current, await fixture.Trusts.VerifyKeyAsync(ods, key, Ct));
        Assert.False(await fixture.Trusts.UpdateDetailsAsync(new TrustDetails(GatewayFixture.NewOdsCode(), "Nobody", []), Ct));
    }

    [Fact]
    public async Task Ensure_registered_is_idempotent_and_moves_the_trust_to_the_given_key()
    {
        var service = fixture.Azurite.CreateTableServiceClient();
        var ods = GatewayFixture.NewOdsCode();
        var k1 = TrustKeyHasher.FormatKey(Enumerable.Repeat((byte)7, 32).ToArray());
        var k2 = TrustKeyHasher.NewKey();

        var first = await TrustRegistration.EnsureRegisteredAsync(service, fixture.Hasher, Details(ods), k1, cancellationToken: Ct);
        var same = await TrustRegistration.EnsureRegisteredAsync(service, fixture.Hasher, Details(ods), k1, cancellationToken: Ct);
        Assert.Equal(first.CurrentKey, same.CurrentKey);
        Assert.Null(same.PreviousKey);

        await TrustRegistration.EnsureRegisteredAsync(service, fixture.Hasher, Details(ods), k2, cancellationToken: Ct);
        Assert.Equal(TrustKeyVerdict.Current, await fixture.Trusts.VerifyKeyAsync(ods, k2, Ct));
        Assert.Equal(TrustKeyVerdict.Previous, await fixture.Trusts.VerifyKeyAsync(ods, k1, Ct));
    }

    [Fact]
    public async Task Keys_are_rejected_for_unknown_trusts_malformed_ods_codes_and_malformed_keys()
    {
        var ods = GatewayFixture.NewOdsCode();
        var key = (await fixture.Trusts.RegisterAsync(Details(ods), cancellationToken: Ct)).IssuedKey!.Key;

        Assert.Equal(TrustKeyVerdict.Rejected, await fixture.Trusts.VerifyKeyAsync(GatewayFixture.NewOdsCode(), key, Ct));
        Assert.Equal(TrustKeyVerdict.Rejected, await fixture.Trusts.VerifyKeyAsync(ods.ToLowerInvariant(), key, Ct));
        Assert.Equal(TrustKeyVerdict.Rejected, await fixture.Trusts.VerifyKeyAsync(ods, key + "x", Ct));
        Assert.Equal(TrustKeyVerdict.Rejected, await fixture.Trusts.VerifyKeyAsync(ods, key.ToUpperInvariant(), Ct));
        Assert.Equal(TrustKeyVerdict.Rejected, await fixture.Trusts.VerifyKeyAsync(ods, null, Ct));
        Assert.Equal(TrustKeyVerdict.Rejected, await fixture.Trusts.VerifyKeyAsync(ods, "", Ct));
    }

    [Fact]
    public async Task Trusts_are_listed_with_their_details()
    {
        var ods = GatewayFixture.NewOdsCode();
        await fixture.Trusts.RegisterAsync(Details(ods), cancellationToken: Ct);

        var listed = await fixture.Trusts.ListAsync(Ct).ToListAsync(Ct);

        Assert.Contains(listed, t => t.Details.OdsCode == ods && t.Details.WebhookUrl == new Uri("https://alerts.leeds.nhs.test/hook"));
    }
}
