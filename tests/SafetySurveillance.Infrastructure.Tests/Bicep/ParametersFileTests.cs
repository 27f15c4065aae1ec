using System.Text.Json.Nodes;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

public sealed class ParametersFileTests(CompiledMainTemplate compiled)
{
    private readonly JsonObject _declared = compiled.Template.Root["parameters"]!.AsObject();

    private readonly JsonObject _file =
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Infra, "main.parameters.json")))!["parameters"]!.AsObject();

    [Fact]
    public void Every_required_parameter_of_main_bicep_has_a_value_in_main_parameters_json()
    {
        var required = _declared.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key).ToList();

        Assert.Contains("pseudonymisationKey", required);
        Assert.All(required, name => Assert.True(_file.ContainsKey(name), $"main.parameters.json lacks '{name}'."));
    }

    [Fact]
    public void Every_value_in_main_parameters_json_is_a_declared_parameter()
    {
        Assert.All(_file, p => Assert.True(_declared.ContainsKey(p.Key), $"main.bicep declares no parameter '{p.Key}'."));
    }

    [Fact]
    public void Secure_parameters_come_from_the_azd_environment_not_from_the_file()
    {
        var secure = _declared.Where(p => (string?)p.Value!["type"] == "securestring").Select(p => p.Key).ToList();

        Assert.Equal(3, secure.Count);
        Assert.All(secure, name =>
        {
            var value = (string?)_file[name]?["value"];
            Assert.Matches(@"^\$\{[A-Z_]+\}$", value);
        });
    }
}
