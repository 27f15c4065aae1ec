using System.Text.Json.Nodes;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

/// <summary>One resource of a compiled template, with the (nested) template that declares it.</summary>
internal sealed record ArmResource(JsonObject Json, JsonObject Template, ArmResource? Deployment)
{
    public string Type => (string)Json["type"]!;

    public string NameExpression => (string)Json["name"]!;

    public JsonObject Properties => Json["properties"]?.AsObject() ?? [];

    /// <summary>The module (nested deployment) name, e.g. "storage", or null at the top level.</summary>
    public string? ModuleName => Deployment is null ? null : Deployment.NameExpression;

    public bool IsType(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A compiled ARM template (Bicep output), with the nested module templates walked.</summary>
internal sealed class ArmTemplate(JsonObject root)
{
    public JsonObject Root { get; } = root;

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("Empty ARM template."));

    /// <summary>Every resource, including those inside module deployments, depth first.</summary>
    public IEnumerable<ArmResource> Resources => Walk(Root, null);

    public IEnumerable<ArmResource> OfType(string type) => Resources.Where(r => r.IsType(type));

    public ArmResource Single(string type) => OfType(type).Single();

    /// <summary>The module deployment with the given name (e.g. "functionapp").</summary>
    public ArmResource Module(string name) =>
        OfType("Microsoft.Resources/deployments").Single(d => d.NameExpression == name);

    private static IEnumerable<ArmResource> Walk(JsonObject template, ArmResource? deployment)
    {
        // languageVersion 2.0 (symbolic names) keeps resources in an object, 1.0 in an array.
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject map => map.Select(p => p.Value!.AsObject()),
            _ => [],
        };
        foreach (var json in resources)
        {
            var resource = new ArmResource(json, template, deployment);
            yield return resource;
            if (resource.IsType("Microsoft.Resources/deployments") && resource.Properties["template"] is JsonObject inner)
            {
                foreach (var nested in Walk(inner, resource))
                {
                    yield return nested;
                }
            }
        }
    }
}
