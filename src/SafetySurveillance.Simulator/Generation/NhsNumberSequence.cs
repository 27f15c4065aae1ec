using System.Globalization;
using SafetySurveillance.Domain.Pseudonymisation;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>
/// Synthetic NHS numbers in the range NHS England reserves for testing (999 000 0000 – 999 999 9999, never
/// issued to a patient), each with a valid modulus-11 check digit. Walks the nine-digit stems upwards from a
/// seeded start, skipping the stems whose check digit would be 10, so every number in one run is distinct
/// (about 909,000 are available before the walk wraps).
/// </summary>
internal sealed class NhsNumberSequence
{
    private const int StemCount = 1_000_000;
    private int next;
    private int issued;

    public NhsNumberSequence(DeterministicRandom random) => next = random.Next(StemCount);

    public string Next()
    {
        for (var attempts = 0; attempts < StemCount; attempts++)
        {
            var stem = "999" + next.ToString("D6", CultureInfo.InvariantCulture);
            next = (next + 1) % StemCount;
            if (CheckDigit(stem) is { } check)
            {
                if (++issued > 900_000)
                {
                    throw new InvalidOperationException("The NHS test-number range is exhausted; generate fewer procedures per run.");
                }

                var number = stem + check.ToString(CultureInfo.InvariantCulture);
                System.Diagnostics.Debug.Assert(NhsNumber.HasValidCheckDigit(number), "check digit");
                return number;
            }
        }

        throw new InvalidOperationException("No valid NHS number stem found.");
    }

    /// <summary>The modulus-11 check digit of nine digits, or null when it would be 10 (no valid number).</summary>
    public static int? CheckDigit(string nineDigits)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (nineDigits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        return check switch
        {
            11 => 0,
            10 => null,
            _ => check,
        };
    }

    /// <summary>The same number with a wrong check digit (for malformed events).</summary>
    public static string WithWrongCheckDigit(string valid)
    {
        var last = valid[^1] - '0';
        return valid[..^1] + ((last + 1) % 10).ToString(CultureInfo.InvariantCulture);
    }
}
