using System.Globalization;
using System.Text.Json;

namespace Vats.Worker.Bench;

/// <summary>Table cells: figures with their units, ratios, fields of the driver scripts' JSON.</summary>
internal static class Cells
{
    public static string Format(double? value, string unit) => value is not { } v || double.IsNaN(v) ? "—" : unit switch
    {
        "B" or "n" => v.ToString("N0", CultureInfo.InvariantCulture),
        "/s" or "comp" or "fuel" => v.ToString("N0", CultureInfo.InvariantCulture) + (unit == "/s" ? "/s" : ""),
        "µs" => v.ToString("F1", CultureInfo.InvariantCulture) + " µs",
        _ => v.ToString(v >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture) + " ms",
    };

    public static string Ratio(double? ours, double? theirs) =>
        ours is { } o && theirs is { } t && t > 0 && !double.IsNaN(o) ? (o / t).ToString("F3", CultureInfo.InvariantCulture) + "×" : "";

    public static double? Field(JsonElement? summary, string key) =>
        summary is { } s && s.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}

/// <summary>Samples of one measurement.</summary>
internal sealed class Samples(string unit)
{
    private readonly List<double> _values = [];

    public string Unit { get; } = unit;

    public int Count => _values.Count;

    public void Add(double value) => _values.Add(value);

    public double Median
    {
        get
        {
            if (_values.Count == 0) return double.NaN;
            var sorted = _values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    public double Mean => _values.Count == 0 ? double.NaN : _values.Average();

    public static Samples Of(string unit, double value)
    {
        var samples = new Samples(unit);
        samples.Add(value);
        return samples;
    }
}
