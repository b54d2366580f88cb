namespace Vats.KernelClient;

/// <summary>
/// The meter record a worker puts before every successful reply:
/// <c>{"currentHeapCount":N,"compute":N,"allocate":N,"timestamps":[T,…]}</c>.
/// </summary>
/// <param name="CurrentHeapCount">Live heap slots at the end of the crank (only logged).</param>
/// <param name="Compute">
/// The crank's computrons: what the kernel charges the vat's meter, feeds its run policy and records in the
/// transcript.
/// </param>
/// <param name="Allocate">Bytes allocated by the engine so far, cumulative (only logged).</param>
/// <param name="Timestamps">
/// Wall-clock seconds (with microseconds): when the command was read, before and after each upcall, and before
/// the reply (only logged).
/// </param>
public sealed record MeterUsage(ulong CurrentHeapCount, ulong Compute, ulong Allocate, IReadOnlyList<double> Timestamps)
{
    /// <summary>The timestamps, in order; compared element by element.</summary>
    public IReadOnlyList<double> Timestamps { get; init => field = Finite(value); } = Finite(Timestamps);

    /// <summary>The JSON text, with the key order xsnap writes and numbers as JSON.stringify writes them.</summary>
    /// <returns>For example <c>{"currentHeapCount":3901,"compute":32,"allocate":42074144,"timestamps":[1795305778.409706]}</c>.</returns>
    public override string ToString() => LiveslotsJson.ToJson(this);

    // JSON has no NaN or Infinity: such a timestamp could be written (as null) but never read back.
    private static ValueList<double> Finite(IReadOnlyList<double> timestamps)
    {
        var list = ValueList<double>.Copy(timestamps, nameof(Timestamps));
        foreach (var t in list)
            if (!double.IsFinite(t)) throw new ArgumentException($"timestamps must be finite, found {t}", nameof(Timestamps));
        return list;
    }
}
