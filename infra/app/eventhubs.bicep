// Event Hubs: the namespace, the hub `safety-events`, the function app's consumer group, and one SEND-ONLY
// shared access rule per trust on the hub.
//
// Why local (SAS) auth stays on: trusts send over AMQP with a SAS token restricted to their publisher,
// `safety-events/publishers/{ods}`. Publisher-scoped tokens only exist as SAS, and SAS needs local auth on the
// namespace (`disableLocalAuth: false`). Everything inside Azure (the function app's trigger and output binding)
// uses Microsoft Entra ID with the managed identity instead, and no rule here grants Listen or Manage.
//
// Publisher policies are not a separate resource: a rule is a hub-level rule, and the restriction to one
// publisher lives in the token (its resource URI is .../safety-events/publishers/{ods}). The rule key itself
// could sign a token for any publisher of the hub, so it stays with the operator (see docs/deployment.md);
// trusts only ever receive tokens. Per-trust rules make revocation per trust: regenerating trust X's keys
// invalidates only trust X's tokens.
@description('Name of the Event Hubs namespace.')
param namespaceName string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags object

@description('Throughput units of the Standard namespace (1 TU: 1 MB/s or 1,000 events/s in, 2 MB/s out).')
@minValue(1)
@maxValue(40)
param capacity int = 1

@description('Name of the hub the trusts send to.')
param eventHubName string = 'safety-events'

@description('Partitions of the hub: the most function instances that can read it in parallel. Fixed after creation on Standard.')
@minValue(1)
@maxValue(32)
param partitionCount int = 4

@description('Hours the hub keeps events (Standard: at most 7 days).')
@minValue(1)
@maxValue(168)
param retentionInHours int = 168

@description('Consumer group the ingest function reads with.')
param consumerGroupName string

@description('ODS codes of the trusts that send; one send-only rule each. Event Hubs allows at most 12 rules per hub.')
@maxLength(12)
param trustOdsCodes odsCode[]

@description('An NHS organisation (ODS) code, e.g. RJ1 or 7A1.')
@minLength(3)
@maxLength(10)
type odsCode = string

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    minimumTlsVersion: '1.2'
    // Needed for the trusts' publisher-scoped SAS tokens (see the note at the top).
    disableLocalAuth: false
    publicNetworkAccess: 'Enabled'
    isAutoInflateEnabled: false
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: eventHubName
  properties: {
    partitionCount: partitionCount
    retentionDescription: {
      cleanupPolicy: 'Delete'
      retentionTimeInHours: retentionInHours
    }
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: consumerGroupName
  properties: {
    userMetadata: 'IngestSafetyEvents (function app)'
  }
}

// Rule names are derived from the ODS code, so a trust keeps its rule (and keys) across deployments.
resource trustSendRules 'Microsoft.EventHub/namespaces/eventhubs/authorizationRules@2024-01-01' = [
  for ods in trustOdsCodes: {
    parent: hub
    name: 'trust-${toLower(ods)}-send'
    properties: {
      rights: [
        'Send'
      ]
    }
  }
]

output namespaceName string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output eventHubName string = hub.name
output consumerGroupName string = consumerGroup.name
output trustSendRuleNames string[] = [for (ods, i) in trustOdsCodes: trustSendRules[i].name]
