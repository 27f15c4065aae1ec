namespace SafetySurveillance.Domain.Statistics;

/// <summary>Small numerical helpers shared by the distributions.</summary>
internal static class SpecialFunctions
{
    /// <summary>
    /// log(1 + x) without the loss of precision of <c>Math.Log(1 + x)</c> for small x
    /// (Goldberg, "What every computer scientist should know about floating-point arithmetic", 1991, Thm 4).
    /// </summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        return Math.Log(u) * x / (u - 1.0);
    }
}
