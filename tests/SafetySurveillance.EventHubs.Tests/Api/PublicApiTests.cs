using SafetySurveillance.TestInfrastructure;

namespace SafetySurveillance.EventHubs.Tests.Api;

public sealed class PublicApiTests
{
    [Fact]
    public void The_checked_in_api_listing_matches_the_compiled_public_surface()
    {
        var path = Path.Combine(RepositoryPaths.Root, "src", "SafetySurveillance.EventHubs", "api", "SafetySurveillance.EventHubs.cs");
        var actual = PublicApiListing.Render(typeof(EventData).Assembly);
        if (Environment.GetEnvironmentVariable("UPDATE_API_LISTING") == "1")
        {
            File.WriteAllText(path, actual);
        }

        var expected = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        Assert.True(
            expected == actual,
            $"The public API changed. Review the change, then regenerate {path} with UPDATE_API_LISTING=1.\n{FirstDifference(expected, actual)}");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end>";
            var a = i < actualLines.Length ? actualLines[i] : "<end>";
            if (e != a)
            {
                return $"line {i + 1}:\n  listed:   {e}\n  compiled: {a}";
            }
        }

        return string.Empty;
    }
}
