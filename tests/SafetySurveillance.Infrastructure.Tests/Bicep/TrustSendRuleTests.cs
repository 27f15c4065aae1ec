using System.Text.Json.Nodes;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

public sealed class TrustSendRuleTests(CompiledMainTemplate compiled)
{
    private readonly ArmTemplate _template = compiled.Template;

    [Fact]
    public void Each_trust_in_the_parameter_list_gets_its_own_send_only_rule_on_the_hub()
    {
        string[] trusts = ["RJ1", "7A1", "RX1"];

        var rules = ExpandTrustRules(trusts);

        Assert.Equal(
            ["safety-events/trust-rj1-send", "safety-events/trust-7a1-send", "safety-events/trust-rx1-send"],
            rules.Select(r => string.Join('/', r.Name.Split('/').Skip(1))));
        Assert.All(rules, r => Assert.Equal(new[] { "Send" }, r.Rights));
        // All on the namespace the template creates, at hub level (namespace/hub/rule).
        var ns = _template.Single("Microsoft.EventHub/namespaces");
        var nsName = Evaluator(ns, trusts).ResolveToString(ns.Json["name"]);
        Assert.All(rules, r => Assert.Equal([nsName, "safety-events"], r.Name.Split('/')[..2]));
    }

    [Fact]
    public void No_trust_means_no_rule()
    {
        Assert.Empty(ExpandTrustRules([]));
    }

    [Fact]
    public void The_trust_list_is_capped_at_the_12_rules_Event_Hubs_allows_per_hub()
    {
        var main = _template.Root["parameters"]!["trustOdsCodes"]!;
        var module = _template.Module("eventhubs").Properties["template"]!["parameters"]!["trustOdsCodes"]!;

        Assert.Equal(12, (int)main["maxLength"]!);
        Assert.Equal(12, (int)module["maxLength"]!);
    }

    private sealed record Rule(string Name, IReadOnlyList<string> Rights);

    // Expands the rule copy loop the way ARM would, for the given main.bicep parameter value.
    private List<Rule> ExpandTrustRules(string[] trusts)
    {
        var rule = _template.Single("Microsoft.EventHub/namespaces/eventhubs/authorizationRules");
        var count = (long)Evaluator(rule, trusts).Resolve(rule.Json["copy"]!["count"])!;
        return Enumerable.Range(0, (int)count)
            .Select(i => new Rule(
                Evaluator(rule, trusts, i).ResolveToString(rule.Json["name"]),
                rule.Properties["rights"]!.AsArray().Select(x => (string)x!).ToList()))
            .ToList();
    }

    // Parameters of a resource in the eventhubs module: the values main.bicep passes, themselves evaluated
    // against main.bicep's parameters (the given trusts; defaults otherwise).
    private ArmExpression Evaluator(ArmResource resource, string[] trusts, int? copyIndex = null)
    {
        var mainParameters = new Dictionary<string, object?>
        {
            ["environmentName"] = "test",
            ["location"] = "uksouth",
            ["trustOdsCodes"] = trusts.Cast<object?>().ToList(),
        };
        var main = new ArmExpression(_template.Root, name => mainParameters.TryGetValue(name, out var v)
            ? v
            : new ArmExpression(_template.Root, _ => null).Resolve(_template.Root["parameters"]![name]!["defaultValue"]));
        var passed = resource.Deployment!.Properties["parameters"]!.AsObject();
        return new ArmExpression(resource.Template, name => main.Resolve(passed[name]?["value"] ?? resource.Template["parameters"]![name]!["defaultValue"]), copyIndex);
    }
}
