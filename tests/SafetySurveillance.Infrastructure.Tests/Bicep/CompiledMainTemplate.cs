namespace SafetySurveillance.Infrastructure.Tests.Bicep;

/// <summary>infra/main.bicep compiled once for all tests (assembly fixture).</summary>
public sealed class CompiledMainTemplate : IAsyncLifetime
{
    internal ArmTemplate Template { get; private set; } = null!;

    internal BicepBuildResult Build { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Build = await BicepCli.BuildAsync(Path.Combine(Repository.Infra, "main.bicep"), TestContext.Current.CancellationToken);
        if (Build.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/main.bicep does not compile:\n{Build.RawOutput}");
        }

        Template = ArmTemplate.Parse(Build.ArmJson);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
