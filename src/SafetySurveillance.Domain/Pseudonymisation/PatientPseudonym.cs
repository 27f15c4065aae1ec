namespace SafetySurveillance.Domain.Pseudonymisation;

/// <summary>
/// A patient pseudonym: lower-case hex HMAC-SHA256 of the normalised NHS number (64 characters), with the id
/// of the key that made it. Pseudonyms made with different keys are different and must not be compared;
/// the key id says which key a stored pseudonym belongs to, so keys can be rotated.
/// </summary>
public sealed record PatientPseudonym(string KeyId, string Value);
