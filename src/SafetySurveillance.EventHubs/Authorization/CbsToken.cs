namespace SafetySurveillance.EventHubs.Authorization;

/// <summary>A token to put on the <c>$cbs</c> node: its text, its CBS type and when it expires.</summary>
internal sealed record CbsToken(string Token, string TokenType, DateTimeOffset ExpiresOn)
{
    /// <summary>The CBS type of a shared access signature.</summary>
    public const string SharedAccessSignatureType = "servicebus.windows.net:sastoken";

    /// <summary>The CBS type of an Entra ID (OAuth) access token.</summary>
    public const string JsonWebTokenType = "jwt";
}
