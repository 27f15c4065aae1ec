using System.Collections;
using System.IO.Compression;
using SafetySurveillance.TestInfrastructure.Azurite;

namespace SafetySurveillance.Infrastructure.Tests.Publishing;

/// <summary>The tests that need the published package (built once for all of them) and a storage emulator to run it against.</summary>
[CollectionDefinition(Name)]
public sealed class PublishedPackageCollection : ICollectionFixture<PublishedPackage>, ICollectionFixture<AzuriteFixture>
{
    public const string Name = "published function app package";
}

/// <summary>Runs scripts/publish-functionapp.sh once and unpacks the zip it produces.</summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("functionapp-publish-");

    public string ZipPath => Path.Combine(_work.FullName, "out", "SafetySurveillance.Functions.zip");

    public string Extracted => Path.Combine(_work.FullName, "extracted");

    public IReadOnlyList<string> Entries { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        // The publish is a child build: MSBuild variables of a surrounding build or test run must not leak into it.
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => (string)e.Key)
            .Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, _ => (string?)null);
        var result = await ProcessRunner.RunAsync(
            "bash", [Repository.PublishScript, ZipPath], Repository.Root, TestContext.Current.CancellationToken, environment);
        if (result.ExitCode != 0 || !File.Exists(ZipPath))
        {
            throw new InvalidOperationException($"publish-functionapp.sh failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        }

        using var zip = ZipFile.OpenRead(ZipPath);
        Entries = zip.Entries.Select(e => e.FullName).ToList();
        zip.ExtractToDirectory(Extracted);
    }

    public ValueTask DisposeAsync()
    {
        _work.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
