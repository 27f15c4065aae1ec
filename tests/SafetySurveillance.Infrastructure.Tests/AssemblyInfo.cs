// Compiled once and published once for the whole run: both are slow (seconds), and read-only for the tests.
[assembly: AssemblyFixture(typeof(SafetySurveillance.Infrastructure.Tests.Bicep.CompiledMainTemplate))]
[assembly: AssemblyFixture(typeof(SafetySurveillance.Infrastructure.Tests.Publishing.PublishedPackage))]
