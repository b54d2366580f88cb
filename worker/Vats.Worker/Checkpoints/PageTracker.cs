using System.IO.Hashing;
using Vats.Protocol;

namespace Vats.Worker.Checkpoints;

/// <summary>
/// Finds the memory pages that changed since the last checkpoint or load, cheaply: an XxHash128 per 4 KiB page of
/// the memory as it was then, compared with the memory now (about a millisecond for 16 MB). A 128-bit hash makes a
/// missed change (two different pages with one hash) vanishingly unlikely; the store still checks every page it
/// keeps by SHA-256.
/// </summary>
internal sealed class PageTracker
{
    private const int PageSize = WorkerCheckpoint.PageSize;
    private UInt128[]? _hashes;

    /// <summary>True once a base is recorded (a checkpoint or a load).</summary>
    internal bool HasBase => _hashes is not null;

    /// <summary>
    /// The pages of <paramref name="memory"/> to send: all non-zero pages when <paramref name="full"/> or without a
    /// base, else those that differ from the base. <paramref name="memory"/> becomes the base.
    /// </summary>
    internal List<int> Advance(ReadOnlySpan<byte> memory, bool full)
    {
        var count = memory.Length / PageSize;
        var hashes = new UInt128[count];
        var pages = new List<int>();
        var delta = !full && _hashes is not null;
        for (var i = 0; i < count; i++)
        {
            var page = memory.Slice(i * PageSize, PageSize);
            hashes[i] = XxHash128.HashToUInt128(page);
            var send = delta
                ? i >= _hashes!.Length ? page.ContainsAnyExcept((byte)0) : hashes[i] != _hashes[i]
                : page.ContainsAnyExcept((byte)0);
            if (send) pages.Add(i);
        }
        _hashes = hashes;
        return pages;
    }

    /// <summary>Records <paramref name="memory"/> as the base (after a load).</summary>
    internal void Reset(ReadOnlySpan<byte> memory) => Advance(memory, full: true);
}
