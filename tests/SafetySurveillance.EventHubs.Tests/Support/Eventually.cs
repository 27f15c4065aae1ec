namespace SafetySurveillance.EventHubs.Tests.Support;

/// <summary>Waits for a condition that another thread or process makes true; fails the test if it never does.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, CancellationToken cancellationToken, TimeSpan? within = null, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not become true in time. " + describe?.Invoke());
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, CancellationToken cancellationToken, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not become true in time.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
