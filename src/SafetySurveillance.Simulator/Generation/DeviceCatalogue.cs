using System.Globalization;
using SafetySurveillance.Domain.Events.Procedures;

namespace SafetySurveillance.Simulator.Generation;

/// <summary>An implantable neurostimulator model with a GS1 GTIN-14 UDI-DI.</summary>
public sealed record SimulatedDevice(string Manufacturer, string Model, string UdiDi);

/// <summary>
/// The device models trusts implant. Manufacturers and models are real product families; the UDI-DIs are
/// synthetic GTIN-14s (an unassigned company prefix) with valid GS1 check digits, so they are never
/// mistaken for real registrations.
/// </summary>
public static class DeviceCatalogue
{
    public static IReadOnlyList<SimulatedDevice> All { get; } =
    [
        Make("Mainstay Medical", "ReActiv8-B Implantable Pulse Generator", "0506000000001"),
        Make("Medtronic", "Intellis Rechargeable Neurostimulator", "0506000000002"),
        Make("Abbott", "Proclaim XR Recharge-Free IPG", "0506000000003"),
        Make("Boston Scientific", "WaveWriter Alpha 16 IPG", "0506000000004"),
        Make("Nevro", "Senza Omnia IPG", "0506000000005"),
    ];

    /// <summary>Appends the GS1 modulo-10 check digit to 13 digits.</summary>
    public static string Gtin14(string thirteenDigits)
    {
        ArgumentNullException.ThrowIfNull(thirteenDigits);
        if (thirteenDigits.Length != 13 || !thirteenDigits.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("Expected 13 digits.", nameof(thirteenDigits));
        }

        var sum = 0;
        var weight = 3;
        for (var i = thirteenDigits.Length - 1; i >= 0; i--)
        {
            sum += (thirteenDigits[i] - '0') * weight;
            weight = 4 - weight;
        }

        var gtin = thirteenDigits + ((10 - (sum % 10)) % 10).ToString(CultureInfo.InvariantCulture);
        return UdiDi.IsValid(gtin) ? gtin : throw new InvalidOperationException("GTIN check digit computed wrongly.");
    }

    private static SimulatedDevice Make(string manufacturer, string model, string stem) => new(manufacturer, model, Gtin14(stem));
}
