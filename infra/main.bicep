// SafetySurveillance in Azure: Event Hubs, Storage, the function app on Flex Consumption (custom handler),
// a user-assigned identity with least-privilege roles, Key Vault, Application Insights + Log Analytics.
// Deploy with `azd up` (see docs/deployment.md). Only raw resource declarations: compiles offline.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used for the resource group and a unique suffix of every name.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person or pipeline running the deployment (azd sets it); gets Key Vault Secrets Officer on the vault. Empty for none.')
param principalId string = ''

@description('Kind of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('ODS codes of the trusts that send events; each gets its own send-only rule on the hub (at most 12).')
@maxLength(12)
param trustOdsCodes string[] = []

@description('Partitions of the hub `safety-events` (parallelism of ingestion; fixed after creation on Standard).')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 4

@description('Throughput units of the Event Hubs namespace.')
@minValue(1)
@maxValue(40)
param eventHubsCapacity int = 1

@description('Consumer group the ingest function reads with.')
param eventHubConsumerGroup string = 'functions-ingest'

@secure()
@description('HMAC key for patient pseudonyms: base64 of at least 32 random bytes. Keep it: a new key changes every pseudonym.')
param pseudonymisationKey string

@description('Short name of the pseudonymisation key (change it together with the key).')
param pseudonymisationKeyId string = 'k1'

@description('SMTP relay host for alert mail.')
param smtpHost string

@description('SMTP relay port.')
param smtpPort int = 587

@description('SMTP user name; empty for a relay without authentication.')
param smtpUserName string = ''

@secure()
@description('SMTP password; empty for a relay without authentication.')
param smtpPassword string = ''

@description('Sender address of alert mail.')
param smtpFrom string

@secure()
@description('HMAC key that signs alert webhooks (at least 32 characters).')
param webhookSigningKey string

@description('Audience (application id URI) of the API\'s Entra app registration, e.g. api://safety-surveillance.')
param authAudience string

@description('Token authority; empty for this tenant\'s Entra ID v2 endpoint.')
param authAuthority string = ''

@description('National reviewers\' e-mail addresses, separated by ;.')
param nationalReviewers string

@description('Purge protection on the Key Vault (recommended: the pseudonymisation key must not be lost).')
param keyVaultPurgeProtection bool = true

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'safety-surveillance'
}
var functionAppName = 'func-${resourceToken}'
// Names are fixed before deployment (not read from module outputs) so What-If can predict the role assignments.
var names = {
  identity: 'id-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  eventHubsNamespace: 'evhns-${resourceToken}'
  eventHub: 'safety-events'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
}
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    // Keep in step with the names in src/SafetySurveillance.Storage.
    containerNames: [
      'dead-letters'
    ]
    tableNames: [
      'Signals'
      'EventLedger'
      'DeadLetters'
      'Alerts'
      'CusumCharts'
      'AlertDeliveries'
      'Trusts'
    ]
    queueNames: [
      'signals-touched'
      'governance-alerts'
    ]
  }
}

module eventHubs 'app/eventhubs.bicep' = {
  name: 'eventhubs'
  scope: rg
  params: {
    namespaceName: names.eventHubsNamespace
    eventHubName: names.eventHub
    location: location
    tags: tags
    capacity: eventHubsCapacity
    partitionCount: eventHubPartitionCount
    consumerGroupName: eventHubConsumerGroup
    trustOdsCodes: trustOdsCodes
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    pseudonymisationKey: pseudonymisationKey
    smtpPassword: smtpPassword
    webhookSigningKey: webhookSigningKey
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  dependsOn: [
    storage
    eventHubs
    keyVault
    monitoring
  ]
  params: {
    appPrincipalId: identity.outputs.principalId
    appIdentityName: names.identity
    storageAccountName: names.storage
    eventHubsNamespaceName: names.eventHubsNamespace
    eventHubName: names.eventHub
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    operatorPrincipalId: principalId
    operatorPrincipalType: principalType
  }
}

module diagnostics 'app/diagnostics.bicep' = {
  name: 'diagnostics'
  scope: rg
  dependsOn: [
    keyVault
    eventHubs
  ]
  params: {
    workspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    keyVaultName: names.keyVault
    eventHubsNamespaceName: names.eventHubsNamespace
  }
}

module functionApp 'app/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  // The roles must exist before the app starts: its storage, Event Hubs and Key Vault access all use them.
  dependsOn: [
    rbac
  ]
  params: {
    name: functionAppName
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    eventHubsFullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
    eventHubName: eventHubs.outputs.eventHubName
    consumerGroupName: eventHubs.outputs.consumerGroupName
    pseudonymisationKeySecretUri: keyVault.outputs.pseudonymisationKeySecretUri
    pseudonymisationKeyId: pseudonymisationKeyId
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpUserName: smtpUserName
    smtpPasswordSecretUri: keyVault.outputs.smtpRelaySecretUri
    smtpFrom: smtpFrom
    webhookSigningKeySecretUri: keyVault.outputs.webhookSigningKeySecretUri
    authAuthority: empty(authAuthority) ? '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0' : authAuthority
    authAudience: authAudience
    nationalReviewers: nationalReviewers
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_ENDPOINT string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output EVENT_HUBS_NAMESPACE string = eventHubs.outputs.namespaceName
output EVENT_HUBS_FULLY_QUALIFIED_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace
output EVENT_HUB_NAME string = eventHubs.outputs.eventHubName
output TRUST_SEND_RULE_NAMES string[] = eventHubs.outputs.trustSendRuleNames
