global using Xunit;

// One Azurite for the whole assembly: every test uses its own container, so sharing is safe and saves two start-ups.
[assembly: AssemblyFixture(typeof(SafetySurveillance.TestInfrastructure.Azurite.AzuriteFixture))]
