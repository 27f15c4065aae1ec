using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SafetySurveillance.Functions.Configuration;

namespace SafetySurveillance.Infrastructure.Tests.Bicep;

public sealed partial class SecurityTests(CompiledMainTemplate compiled)
{
    private readonly ArmTemplate _template = compiled.Template;

    [Fact]
    public void Storage_accounts_need_TLS_1_2_and_allow_no_public_blob_access_and_no_shared_keys()
    {
        var accounts = _template.OfType("Microsoft.Storage/storageAccounts").Where(r => r.Json["existing"] is null).ToList();

        Assert.NotEmpty(accounts);
        Assert.All(accounts, account =>
        {
            Assert.Equal("TLS1_2", (string?)account.Properties["minimumTlsVersion"]);
            Assert.False((bool?)account.Properties["allowBlobPublicAccess"]);
            Assert.False((bool?)account.Properties["allowSharedKeyAccess"]);
            Assert.True((bool?)account.Properties["supportsHttpsTrafficOnly"]);
        });
    }

    [Fact]
    public void Every_blob_container_is_private()
    {
        var containers = _template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();

        Assert.NotEmpty(containers);
        Assert.All(containers, c => Assert.Equal("None", (string?)c.Properties["publicAccess"]));
    }

    [Fact]
    public void Event_Hubs_needs_TLS_1_2_and_no_shared_access_rule_can_listen_or_manage()
    {
        var ns = _template.Single("Microsoft.EventHub/namespaces");
        var rules = _template.Resources.Where(r => r.Type.EndsWith("/authorizationRules", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.Equal("1.2", (string?)ns.Properties["minimumTlsVersion"]);
        Assert.Equal("Standard", (string?)ns.Json["sku"]!["name"]);
        // Local auth stays on only for the trusts' publisher-scoped SAS tokens: no namespace-level rule, send only.
        Assert.DoesNotContain(rules, r => r.IsType("Microsoft.EventHub/namespaces/authorizationRules"));
        Assert.All(rules, r => Assert.Equal(new[] { "Send" }, r.Properties["rights"]!.AsArray().Select(x => (string)x!)));
    }

    [Fact]
    public void The_function_app_needs_HTTPS_and_TLS_1_2_and_allows_no_basic_auth_publishing()
    {
        var site = _template.Single("Microsoft.Web/sites");
        var siteConfig = site.Properties["siteConfig"]!;
        var publishing = _template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.True((bool?)site.Properties["httpsOnly"]);
        Assert.Equal("1.2", (string?)siteConfig["minTlsVersion"]);
        Assert.Equal("1.2", (string?)siteConfig["scmMinTlsVersion"]);
        Assert.Equal("Disabled", (string?)siteConfig["ftpsState"]);
        Assert.Equal(2, publishing.Count);
        Assert.All(publishing, p => Assert.False((bool?)p.Properties["allow"]));
    }

    [Fact]
    public void Key_Vault_uses_RBAC_and_soft_delete_and_Application_Insights_takes_no_instrumentation_key_writes()
    {
        var vault = _template.Single("Microsoft.KeyVault/vaults");
        var insights = _template.Single("Microsoft.Insights/components");

        Assert.True((bool?)vault.Properties["enableRbacAuthorization"]);
        Assert.True((bool?)vault.Properties["enableSoftDelete"]);
        Assert.True((bool?)insights.Properties["DisableLocalAuth"]);
    }

    [Fact]
    public void The_function_app_runs_on_Flex_Consumption_as_a_dotnet_isolated_custom_handler_deployed_with_its_identity()
    {
        var plan = _template.Single("Microsoft.Web/serverfarms");
        var site = _template.Single("Microsoft.Web/sites");
        var config = site.Properties["functionAppConfig"]!;
        var module = _template.Module("functionapp");
        var versionDefault = (string?)module.Properties["template"]!["parameters"]!["dotnetVersion"]!["defaultValue"];
        var appFramework = typeof(FunctionAppSettings).Assembly
            .GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
            .Cast<System.Runtime.Versioning.TargetFrameworkAttribute>().Single().FrameworkName;

        Assert.Equal("FC1", (string?)plan.Json["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan.Json["sku"]!["tier"]);
        Assert.True((bool?)plan.Properties["reserved"]);
        Assert.Equal("functionapp,linux", (string?)site.Json["kind"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal($".NETCoreApp,Version=v{versionDefault}", appFramework);
        Assert.Equal("blobContainer", (string?)config["deployment"]!["storage"]!["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        Assert.Equal("UserAssigned", (string?)site.Json["identity"]!["type"]);
        Assert.NotNull(site.Properties["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public void Every_role_assignment_is_a_least_privilege_built_in_role_scoped_to_one_resource()
    {
        var assignments = _template.OfType("Microsoft.Authorization/roleAssignments").ToList();
        var actual = assignments.Select(a =>
        {
            var scope = (string?)a.Json["scope"];
            Assert.False(string.IsNullOrEmpty(scope), $"{a.NameExpression} has no scope: it would apply to the whole resource group.");
            var scopeType = ResourceIdType().Match(scope!);
            Assert.True(scopeType.Success, $"Scope {scope} is not a resource id of one resource.");
            var expression = new ArmExpression(a.Template, name => $"{{param:{name}}}");
            var roleId = expression.ResolveToString(a.Properties["roleDefinitionId"]);
            return (Role: roleId[(roleId.LastIndexOf('/') + 1)..], Scope: scopeType.Groups["type"].Value);
        }).ToHashSet();

        var expected = new HashSet<(string Role, string Scope)>
        {
            (Roles.StorageBlobDataOwner, "Microsoft.Storage/storageAccounts"),
            (Roles.StorageQueueDataContributor, "Microsoft.Storage/storageAccounts"),
            (Roles.StorageTableDataContributor, "Microsoft.Storage/storageAccounts"),
            (Roles.EventHubsDataReceiver, "Microsoft.EventHub/namespaces/eventhubs"),
            (Roles.EventHubsDataSender, "Microsoft.EventHub/namespaces/eventhubs"),
            (Roles.KeyVaultSecretsUser, "Microsoft.KeyVault/vaults"),
            (Roles.MonitoringMetricsPublisher, "Microsoft.Insights/components"),
            // The operator who deploys: may rotate secrets in this vault only.
            (Roles.KeyVaultSecretsOfficer, "Microsoft.KeyVault/vaults"),
        };
        Assert.Equal(expected.Order(), actual.Order());
        Assert.Equal(expected.Count, assignments.Count);
    }

    [Fact]
    public void The_app_identity_holds_no_owner_contributor_or_data_owner_role_on_Event_Hubs_or_Key_Vault()
    {
        var broad = new[] { Roles.Owner, Roles.Contributor, Roles.EventHubsDataOwner, Roles.KeyVaultAdministrator };
        var roleIds = _template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(a => new ArmExpression(a.Template, name => $"{{param:{name}}}").ResolveToString(a.Properties["roleDefinitionId"]))
            .ToList();

        Assert.DoesNotContain(roleIds, id => broad.Any(id.EndsWith));
    }

    [Fact]
    public void Key_Vault_audit_events_and_Event_Hubs_logs_go_to_the_workspace()
    {
        var settings = _template.OfType("Microsoft.Insights/diagnosticSettings")
            .ToDictionary(d => ResourceIdType().Match((string)d.Json["scope"]!).Groups["type"].Value, d => d);

        var vault = settings["Microsoft.KeyVault/vaults"];
        var eventHubs = settings["Microsoft.EventHub/namespaces"];
        Assert.Contains(vault.Properties["logs"]!.AsArray(), l => (string?)l!["categoryGroup"] is "audit" or "allLogs" && (bool)l["enabled"]!);
        Assert.Contains(eventHubs.Properties["logs"]!.AsArray(), l => (string?)l!["categoryGroup"] == "allLogs" && (bool)l["enabled"]!);
        Assert.All(settings.Values, d => Assert.NotNull(d.Properties["workspaceId"]));
    }

    [Fact]
    public void No_secret_is_a_plain_app_setting()
    {
        var settings = AppSettings.FromTemplate(_template);
        var secretKeys = AppSettings.ExpectedAzureKeys().Where(k => k.IsSecret).Select(k => k.Key).ToList();

        Assert.NotEmpty(secretKeys);
        Assert.All(secretKeys, key =>
        {
            var setting = Assert.Single(settings, s => string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase));
            var parameter = KeyVaultReference().Match(setting.Value);
            Assert.True(parameter.Success, $"{key} is '{setting.Value}', not a Key Vault reference.");
            AssertIsKeyVaultSecretUri(parameter.Groups["param"].Value);
        });

        // Nothing else carries a key or a key-bearing connection string either.
        Assert.All(settings, s => Assert.DoesNotMatch(KeyMaterial(), s.RawExpression));
    }

    private void AssertIsKeyVaultSecretUri(string functionAppParameter)
    {
        // main.bicep passes the parameter from the keyvault module's output ...
        var passed = (string)_template.Module("functionapp").Properties["parameters"]![functionAppParameter]!["value"]!;
        var output = ModuleOutput().Match(passed);
        Assert.True(output.Success && passed.Contains("keyvault", StringComparison.OrdinalIgnoreCase), passed);

        // ... and that output is the URI of a secret in the vault.
        var keyVault = _template.Module("keyvault").Properties["template"]!;
        var value = (string)keyVault["outputs"]![output.Groups["output"].Value]!["value"]!;
        Assert.Contains("Microsoft.KeyVault/vaults/secrets", value, StringComparison.Ordinal);
        Assert.EndsWith(".secretUri]", value, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\[(resourceId|extensionResourceId)\('(?<type>[A-Za-z.]+/[A-Za-z/]+)'")]
    private static partial Regex ResourceIdType();

    [GeneratedRegex(@"^@Microsoft\.KeyVault\(SecretUri=\{param:(?<param>\w+)\}\)$")]
    private static partial Regex KeyVaultReference();

    [GeneratedRegex(@"outputs\.(?<output>\w+)\.value")]
    private static partial Regex ModuleOutput();

    [GeneratedRegex(@"(?i)listKeys|listConnectionStrings|AccountKey=|SharedAccessKey=|InstrumentationKey=[0-9a-f]")]
    private static partial Regex KeyMaterial();
}

/// <summary>Built-in role definition ids (the same in every tenant).</summary>
internal static class Roles
{
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string EventHubsDataReceiver = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde";
    public const string EventHubsDataSender = "2b629674-e913-4c01-ae53-ef4638d8f975";
    public const string EventHubsDataOwner = "f526a384-b230-433a-b45c-95f59c4a2dec";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    public const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    public const string KeyVaultAdministrator = "00482a5a-887f-4fb3-b363-3b7fe8e74483";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
}
