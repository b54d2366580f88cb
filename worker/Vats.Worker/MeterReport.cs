using System.Globalization;
using System.Text;

namespace Vats.Worker;

/// <summary>
/// The meter JSON of a <c>.</c> reply, byte for byte in xsnap's shape:
/// <c>{"currentHeapCount":N,"compute":N,"allocate":N,"timestamps":[S.UUUUUU,…]}</c>, keys in that order, no spaces.
/// <c>compute</c> is the command's fuel, <c>currentHeapCount</c> the engine's live allocations, <c>allocate</c> the
/// bytes of its heap (wasm memory). The timestamps are wall-clock seconds with microseconds: one when the command was
/// read, one before and after each upcall, one just before the reply (at most 502, as xsnap).
/// </summary>
internal sealed class MeterReport
{
    internal const int MaxTimestamps = 502;

    private readonly List<long> _microseconds = new(8);

    /// <summary>Starts a new command's list with the time it was read.</summary>
    internal void Start()
    {
        _microseconds.Clear();
        Stamp();
    }

    /// <summary>Adds the current time (dropped beyond <see cref="MaxTimestamps"/>).</summary>
    internal void Stamp()
    {
        if (_microseconds.Count < MaxTimestamps) _microseconds.Add(DateTime.UtcNow.Subtract(DateTime.UnixEpoch).Ticks / 10);
    }

    /// <summary>Adds the final timestamp and renders the JSON, followed by the 0x01 that separates it from the reply.</summary>
    internal byte[] Finish(long heapCount, long compute, long allocate)
    {
        Stamp();
        var text = new StringBuilder(96 + 18 * _microseconds.Count);
        text.Append(CultureInfo.InvariantCulture, $"{{\"currentHeapCount\":{heapCount},\"compute\":{compute},\"allocate\":{allocate},\"timestamps\":[");
        for (var i = 0; i < _microseconds.Count; i++)
        {
            if (i > 0) text.Append(',');
            var us = _microseconds[i];
            text.Append(CultureInfo.InvariantCulture, $"{us / 1_000_000}.{us % 1_000_000:D6}");
        }
        text.Append("]}\u0001");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
