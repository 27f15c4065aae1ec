// The function app on Flex Consumption (FC1), run as a custom handler: the `dotnet-isolated` runtime provides
// .NET on the instance and host.json's `customHandler` starts `dotnet SafetySurveillance.Functions.dll`.
// Every setting name matches local.settings.sample.json; secrets are Key Vault references resolved with the
// user-assigned identity; every connection is identity-based (no keys, no connection strings).
@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Resource tags of the plan.')
param tags object

@description('azd service name (tag azd-service-name) that azure.yaml deploys to.')
param serviceName string = 'api'

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Blob endpoint of the storage account.')
param blobEndpoint string

@description('Queue endpoint of the storage account.')
param queueEndpoint string

@description('Table endpoint of the storage account.')
param tableEndpoint string

@description('Container holding the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string (not a credential: local auth is off on the component).')
param applicationInsightsConnectionString string

@description('Event Hubs namespace host name.')
param eventHubsFullyQualifiedNamespace string

@description('Hub name.')
param eventHubName string

@description('Consumer group of the ingest function.')
param consumerGroupName string

@description('Key Vault secret URI of the pseudonymisation key.')
param pseudonymisationKeySecretUri string

@description('Short name of the pseudonymisation key (stored beside pseudonyms, for rotation).')
param pseudonymisationKeyId string

@description('SMTP relay host.')
param smtpHost string

@description('SMTP relay port.')
param smtpPort int

@description('SMTP user name; empty for no authentication.')
param smtpUserName string

@description('Key Vault secret URI of the SMTP password.')
param smtpPasswordSecretUri string

@description('Sender address of alert mail.')
param smtpFrom string

@description('Key Vault secret URI of the webhook signing key.')
param webhookSigningKeySecretUri string

@description('Token authority for reviewers and governance leads.')
param authAuthority string

@description('Token audience.')
param authAudience string

@description('National reviewers\' addresses, separated by ;.')
param nationalReviewers string

@description('Webhook that receives every alert (absolute https URL); empty for none.')
param nationalWebhookUrl string = ''

@description('Name of the token claim that carries a governance lead\'s trust (ODS code).')
param authTrustClaim string = 'trust'

@description('NCRONTAB schedule (six fields, seconds first) of the EvaluateAllSignals timer.')
param evaluateAllSignalsSchedule string = '0 */5 * * * *'

@description('.NET version of the dotnet-isolated Flex runtime; must match the app\'s target framework.')
param dotnetVersion string = '10.0'

@description('Most instances Flex may scale to (Flex accepts 40-1000). Beyond the hub\'s partition count, extra instances only serve HTTP.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        // Functions host storage, identity-based.
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        // Telemetry with Entra auth (local auth is off on the component).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // Event Hubs: the trigger and output binding connection, hub and consumer group (%...% in function.json).
        { name: 'EventHubConnection__fullyQualifiedNamespace', value: eventHubsFullyQualifiedNamespace }
        { name: 'EventHubConnection__credential', value: 'managedidentity' }
        { name: 'EventHubConnection__clientId', value: identityClientId }
        { name: 'EventHubName', value: eventHubName }
        { name: 'EventHubConsumerGroup', value: consumerGroupName }
        // The app's own tables, queues and blobs.
        { name: 'Storage__tableServiceUri', value: tableEndpoint }
        { name: 'Storage__queueServiceUri', value: queueEndpoint }
        { name: 'Storage__blobServiceUri', value: blobEndpoint }
        { name: 'Storage__credential', value: 'managedidentity' }
        { name: 'Storage__clientId', value: identityClientId }
        // Pseudonymisation.
        { name: 'Pseudonymisation__Key', value: '@Microsoft.KeyVault(SecretUri=${pseudonymisationKeySecretUri})' }
        { name: 'Pseudonymisation__KeyId', value: pseudonymisationKeyId }
        // Alert delivery.
        { name: 'Smtp__Host', value: smtpHost }
        { name: 'Smtp__Port', value: string(smtpPort) }
        { name: 'Smtp__UserName', value: smtpUserName }
        { name: 'Smtp__Password', value: '@Microsoft.KeyVault(SecretUri=${smtpPasswordSecretUri})' }
        { name: 'Smtp__From', value: smtpFrom }
        { name: 'Webhooks__SigningKey', value: '@Microsoft.KeyVault(SecretUri=${webhookSigningKeySecretUri})' }
        { name: 'Webhooks__NationalUrl', value: nationalWebhookUrl }
        // Signal evaluation: the rules file shipped beside the app, and the timer that re-evaluates every partition.
        { name: 'SignalRules__Path', value: 'signal-rules.json' }
        { name: 'EvaluateAllSignalsSchedule', value: evaluateAllSignalsSchedule }
        // Links in alerts point at the dashboard the app itself serves (the default host name of a site without a
        // unique-hostname scope is {name}.azurewebsites.net).
        { name: 'Dashboard__BaseUrl', value: 'https://${name}.azurewebsites.net/api/dashboard/' }
        // People: bearer tokens and who the national reviewers are.
        { name: 'Auth__Authority', value: authAuthority }
        { name: 'Auth__Audience', value: authAudience }
        { name: 'Auth__TrustClaim', value: authTrustClaim }
        { name: 'Governance__NationalReviewers', value: nationalReviewers }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }
}

// Allow no basic-auth publishing (FTP or SCM with a password): deployments use Entra ID.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
