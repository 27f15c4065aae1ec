// infra/main.bicep is compiled once for the whole run (seconds; read-only for the tests).
[assembly: AssemblyFixture(typeof(SafetySurveillance.Infrastructure.Tests.Bicep.CompiledMainTemplate))]
