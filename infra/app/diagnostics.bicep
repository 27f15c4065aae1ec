// Resource logs to the Log Analytics workspace: Key Vault audit events (who read which secret, e.g. the
// pseudonymisation key) and the Event Hubs namespace's logs (operations, authorization failures of senders).
@description('Resource id of the Log Analytics workspace.')
param workspaceId string

@description('Key Vault name.')
param keyVaultName string

@description('Event Hubs namespace name.')
param eventHubsNamespaceName string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsNamespaceName
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

resource namespaceDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}
