namespace SafetySurveillance.Functions.Configuration;

/// <summary>
/// Marks an options class that describes a connection in the Azure Functions convention: locally the setting
/// <c>Prefix</c> holds a connection string; in Azure the settings <c>Prefix__*</c> describe an identity-based
/// connection (endpoints, <c>credential=managedidentity</c>, <c>clientId</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ServiceConnectionAttribute : Attribute;
