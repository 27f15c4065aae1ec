using SafetySurveillance.Domain.Rules;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Domain.Statistics;
using SafetySurveillance.Storage.Alerts;
using SafetySurveillance.TestInfrastructure;
using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Storage.Tests.Alerts;

[Collection(AzuriteCollection.Name)]
public sealed class CusumChartStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CusumChartStore NewStore() => new(azurite.CreateTableServiceClient().GetTableClient(UniqueName.Table("Charts")));

    [Fact]
    public async Task A_chart_never_stored_reads_as_the_initial_chart_without_an_etag()
    {
        var chart = await NewStore().GetAsync("A48.4", "serious-related-cusum", SignalScope.Trust("RX1"), Ct);

        Assert.Equal(CusumChartState.Initial, chart.State);
        Assert.Equal(default, chart.ETag);
    }

    [Fact]
    public async Task A_chart_reset_after_a_signal_reads_back_as_stored()
    {
        var store = NewStore();
        var reset = new CusumChartState(new CusumState(0.0, 57, 1, 49), SignalPeriod.Month(2026, 2));
        var other = new CusumChartState(new CusumState(1.25, 12, 0, null), null);

        await store.SaveAsync("A48.4", "serious-related-cusum", SignalScope.Trust("RX1"), reset, default, Ct);
        await store.SaveAsync("A48.4", "serious-related-cusum", SignalScope.Trust("RY2"), other, default, Ct);

        var read = await store.GetAsync("A48.4", "serious-related-cusum", SignalScope.Trust("RX1"), Ct);
        Assert.Equal(reset, read.State);
        var all = await store.GetAllAsync("A48.4", Ct);
        Assert.Equal(2, all.Count);
        Assert.Equal(other, all[("serious-related-cusum", SignalScope.Trust("RY2"))].State);
        Assert.Empty(await store.GetAllAsync("A48.5", Ct));
    }

    [Fact]
    public async Task A_chart_write_with_a_stale_etag_or_a_second_create_is_refused()
    {
        var store = NewStore();
        var trust = SignalScope.Trust("RX1");
        var first = await store.SaveAsync("A48.4", "serious-related-cusum", trust, CusumChartState.Initial, default, Ct);
        var advanced = new CusumChartState(new CusumState(0.8, 10, 0, null), SignalPeriod.Month(2026, 1));
        await store.SaveAsync("A48.4", "serious-related-cusum", trust, advanced, first.ETag, Ct);

        await Assert.ThrowsAsync<AlertConflictException>(() => store.SaveAsync("A48.4", "serious-related-cusum", trust, CusumChartState.Initial, first.ETag, Ct));
        await Assert.ThrowsAsync<AlertConflictException>(() => store.SaveAsync("A48.4", "serious-related-cusum", trust, CusumChartState.Initial, default, Ct));

        Assert.Equal(advanced, (await store.GetAsync("A48.4", "serious-related-cusum", trust, Ct)).State);
    }
}
