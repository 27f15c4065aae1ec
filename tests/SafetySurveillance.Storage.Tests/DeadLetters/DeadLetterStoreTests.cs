using System.Text;
using Azure.Data.Tables;
using SafetySurveillance.Domain.Ingestion;
using SafetySurveillance.Domain.Pseudonymisation;
using SafetySurveillance.Domain.Validation;
using SafetySurveillance.Storage.DeadLetters;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Storage.Tests.DeadLetters;

[Collection(AzuriteCollection.Name)]
public sealed class DeadLetterStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly PayloadProtector Protector = new(new PseudonymisationOptions { KeyId = "test", Key = Convert.ToBase64String(new byte[32]) });

    private async Task<(DeadLetterStore Store, TableClient Table)> NewStoreAsync()
    {
        var table = azurite.CreateTableServiceClient().GetTableClient(UniqueName.Table("Dead"));
        await table.CreateAsync(Ct);
        var container = azurite.CreateBlobServiceClient().GetBlobContainerClient(UniqueName.Container("dead"));
        await container.CreateAsync(cancellationToken: Ct);
        return (new DeadLetterStore(table, container, Protector), table);
    }

    private static DeadLetter Letter(string? trust, long sequence, string payload) => new(
        trust, 2, sequence, new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), "id-" + sequence, "uk.nhs.neuromodulation.outcome-reported.v1",
        [new ValidationProblem("data.painNrs", "11 is outside 0–10"), new ValidationProblem("time", "is in the future")],
        Encoding.UTF8.GetBytes(payload));

    [Fact]
    public async Task A_rejected_event_is_kept_with_its_reasons_and_its_exact_payload()
    {
        var (store, table) = await NewStoreAsync();
        var payload = "{\"data\":{\"painNrs\":11,\"nhsNumber\":\"9434765919\"}}";

        await store.AddAsync([Letter("RX1", 41, payload)], Ct);

        var row = Assert.Single(await table.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct));
        Assert.Equal("RX1", row.PartitionKey);
        Assert.Equal("data.painNrs: 11 is outside 0–10; time: is in the future", row.GetString("Reason"));
        Assert.Equal(2, row.GetInt32("ProblemCount"));
        Assert.DoesNotContain("9434765919", row.GetString("PayloadPreview"), StringComparison.Ordinal);
        Assert.Equal(payload, Encoding.UTF8.GetString(await store.ReadPayloadAsync(row.PartitionKey, row.RowKey, Ct)));
    }

    [Fact]
    public async Task Storing_the_same_delivery_again_keeps_one_row()
    {
        var (store, table) = await NewStoreAsync();

        await store.AddAsync([Letter("RX1", 41, "x"), Letter(null, 42, "y")], Ct);
        await store.AddAsync([Letter("RX1", 41, "x"), Letter(null, 42, "y")], Ct);

        var rows = await table.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.PartitionKey == DeadLetterStore.UnknownTrust);
    }
}
