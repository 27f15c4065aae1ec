using Azure;
using Azure.Core;

namespace SafetySurveillance.EventHubs.Authorization;

/// <summary>Supplies the token that authorises one audience (an entity URI) on the <c>$cbs</c> node.</summary>
internal abstract class CbsTokenProvider
{
    /// <summary>The scope requested from Entra ID for Event Hubs.</summary>
    public const string EventHubsScope = "https://eventhubs.azure.net/.default";

    public abstract ValueTask<CbsToken> GetTokenAsync(string audience, CancellationToken cancellationToken);

    public static CbsTokenProvider FromSharedAccessKey(AzureNamedKeyCredential credential, TimeSpan validity, TimeProvider timeProvider)
        => new SharedAccessKeyTokenProvider(credential, validity, timeProvider);

    public static CbsTokenProvider FromSharedAccessSignature(AzureSasCredential credential, TimeProvider timeProvider)
        => new SharedAccessSignatureTokenProvider(credential, timeProvider);

    public static CbsTokenProvider FromTokenCredential(TokenCredential credential)
        => new TokenCredentialTokenProvider(credential);

    private sealed class SharedAccessKeyTokenProvider(AzureNamedKeyCredential credential, TimeSpan validity, TimeProvider timeProvider) : CbsTokenProvider
    {
        public override ValueTask<CbsToken> GetTokenAsync(string audience, CancellationToken cancellationToken)
        {
            // Read the pair on every call so AzureNamedKeyCredential.Update rotates keys for new tokens.
            var (keyName, key) = credential;
            var expiresOn = timeProvider.GetUtcNow() + validity;
            var token = SharedAccessSignature.Create(audience, keyName, key, expiresOn);
            return ValueTask.FromResult(new CbsToken(token, CbsToken.SharedAccessSignatureType, expiresOn));
        }
    }

    private sealed class SharedAccessSignatureTokenProvider(AzureSasCredential credential, TimeProvider timeProvider) : CbsTokenProvider
    {
        public override ValueTask<CbsToken> GetTokenAsync(string audience, CancellationToken cancellationToken)
        {
            // A pre-computed signature is used as-is for every audience; AzureSasCredential.Update lets the owner renew it.
            var signature = credential.Signature;
            var expiresOn = SharedAccessSignature.GetExpiry(signature) ?? timeProvider.GetUtcNow().AddHours(1);
            return ValueTask.FromResult(new CbsToken(signature, CbsToken.SharedAccessSignatureType, expiresOn));
        }
    }

    private sealed class TokenCredentialTokenProvider(TokenCredential credential) : CbsTokenProvider
    {
        public override async ValueTask<CbsToken> GetTokenAsync(string audience, CancellationToken cancellationToken)
        {
            var accessToken = await credential.GetTokenAsync(new TokenRequestContext([EventHubsScope]), cancellationToken).ConfigureAwait(false);
            return new CbsToken(accessToken.Token, CbsToken.JsonWebTokenType, accessToken.ExpiresOn);
        }
    }
}
