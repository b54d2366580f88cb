namespace Vats.Wasm.Bench;

/// <summary>A series of measurements in milliseconds.</summary>
internal sealed record Timings(IReadOnlyList<double> Milliseconds)
{
    public double Median
    {
        get
        {
            var sorted = Milliseconds.Order().ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double Min => Milliseconds.Min();

    public double Max => Milliseconds.Max();

    public override string ToString() => string.Join(", ", Milliseconds.Select(ms => ms.ToString("F1")));
}
