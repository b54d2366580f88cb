namespace Vats.Worker.Bench;

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

    public static Samples Of(string unit, double value)
    {
        var samples = new Samples(unit);
        samples.Add(value);
        return samples;
    }
}
