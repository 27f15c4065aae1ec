namespace SafetySurveillance.Functions.Configuration;

/// <summary>
/// Marks an options property whose value is a secret. In Azure such a setting must be a Key Vault reference
/// (<c>@Microsoft.KeyVault(SecretUri=...)</c>), never a plain value; the infrastructure tests check this.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SecretSettingAttribute : Attribute;
