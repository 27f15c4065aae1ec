// One Azurite for the whole assembly; every test uses its own queue names and host id.
[assembly: Xunit.AssemblyFixture(typeof(SafetySurveillance.TestInfrastructure.Azurite.AzuriteFixture))]
