// Key Vault in RBAC mode holding the app's secrets. The function app reads them through Key Vault references
// in its app settings, with its user-assigned identity (Key Vault Secrets User, see rbac.bicep).
@description('Name of the vault.')
param name string

@description('Azure region.')
param location string

@description('Resource tags.')
param tags object

@description('Purge protection: a deleted vault (and the pseudonymisation key in it) can be recovered for 90 days and not purged.')
param enablePurgeProtection bool = true

@secure()
@description('HMAC key for patient-identifier pseudonyms (base64, at least 32 bytes). Changing it changes every pseudonym.')
param pseudonymisationKey string

@secure()
@description('SMTP relay password; empty for a relay without authentication.')
param smtpPassword string

@secure()
@description('HMAC key that signs outgoing alert webhooks.')
param webhookSigningKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource pseudonymisationKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'pseudonymisation-key'
  properties: {
    value: pseudonymisationKey
    contentType: 'base64 HMAC key'
  }
}

// A relay without authentication has no password; the secret then holds a marker the app never uses
// (Smtp__UserName is empty, so Smtp__Password is ignored), and every setting still resolves.
resource smtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'smtp-password'
  properties: {
    value: empty(smtpPassword) ? 'unused-no-smtp-authentication' : smtpPassword
    contentType: 'SMTP relay password'
  }
}

resource webhookSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'webhook-signing-key'
  properties: {
    value: webhookSigningKey
    contentType: 'HMAC key'
  }
}

output name string = vault.name
output pseudonymisationKeySecretUri string = pseudonymisationKeySecret.properties.secretUri
output smtpRelaySecretUri string = smtpPasswordSecret.properties.secretUri
output webhookSigningKeySecretUri string = webhookSigningKeySecret.properties.secretUri
