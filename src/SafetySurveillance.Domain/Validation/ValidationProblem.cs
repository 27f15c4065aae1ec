namespace SafetySurveillance.Domain.Validation;

/// <summary>
/// One reason an event was rejected: where (a JSON path such as <c>data.painNrs</c>, or <c>$</c> for the
/// whole payload) and why, in plain English. Reasons never repeat an NHS number or other free text.
/// </summary>
public sealed record ValidationProblem(string Path, string Reason)
{
    /// <summary>Formats the problem as <c>path: reason</c>, e.g. <c>data.painNrs: 11 is outside 0–10</c>.</summary>
    public override string ToString() => $"{Path}: {Reason}";
}
