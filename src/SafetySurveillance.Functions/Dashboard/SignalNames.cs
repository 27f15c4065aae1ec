using System.Text;
using SafetySurveillance.Domain.Signals;

namespace SafetySurveillance.Functions.Dashboard;

/// <summary>Readable names of signal counters and periods, for labels.</summary>
public static class SignalNames
{
    /// <summary>"PatientsWithSeriousRelatedEvent" → "patients with serious related event".</summary>
    public static string Of(SignalCount count)
    {
        string name = count.ToString();
        var text = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    /// <summary>"month", "quarter" or "all".</summary>
    public static string Of(SignalPeriodKind kind) => kind switch
    {
        SignalPeriodKind.Month => "month",
        SignalPeriodKind.Quarter => "quarter",
        _ => "all",
    };
}
