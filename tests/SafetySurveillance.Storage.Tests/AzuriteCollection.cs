using SafetySurveillance.TestInfrastructure.Azurite;
using Xunit;

namespace SafetySurveillance.Storage.Tests;

/// <summary>All storage tests share one real Azurite; each test uses its own tables.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
