using Vats.Protocol;

namespace Vats.Worker.Checkpoints;

/// <summary>
/// Finds the memory pages that changed since the last checkpoint or load, exactly: the tracker keeps a copy of the
/// memory as it was then and compares page by page (the runtime's vectorized comparison: a few milliseconds for
/// 16 MB, and no hash that could miss a change), updating the copy as it goes. The price is a second copy of the
/// heap in the worker. Hashing each page instead (XxHash128) was measured at 80–130 ms for 16 MB in a fresh process.
/// </summary>
internal sealed class PageTracker
{
    private const int PageSize = WorkerCheckpoint.PageSize;
    private byte[]? _base;

    /// <summary>True once a base is recorded (a checkpoint or a load).</summary>
    internal bool HasBase => _base is not null;

    /// <summary>
    /// The pages of <paramref name="memory"/> to send: all non-zero pages when <paramref name="full"/> or without a
    /// base, else those that differ from the base. <paramref name="memory"/> becomes the base.
    /// </summary>
    internal List<int> Advance(ReadOnlySpan<byte> memory, bool full)
    {
        if (full || _base is null)
        {
            _base = memory.ToArray();
            return WorkerCheckpoint.NonZeroPages(memory);
        }
        var pages = new List<int>();
        if (_base.Length < memory.Length)
        {
            // wasm memory only grows; the new pages were zero in the base.
            var grown = new byte[memory.Length];
            _base.CopyTo(grown, 0);
            _base = grown;
        }
        for (var i = 0; i < memory.Length / PageSize; i++)
        {
            var page = memory.Slice(i * PageSize, PageSize);
            var old = _base.AsSpan(i * PageSize, PageSize);
            if (page.SequenceEqual(old)) continue;
            page.CopyTo(old);
            pages.Add(i);
        }
        return pages;
    }

    // An array set aside for the next load's memory (see Reserve).
    private byte[]? _reserved;

    /// <summary>
    /// Sets aside an array of <paramref name="bytes"/> for the next load, every page of it touched: a worker waiting in
    /// a pool pays for the allocation and the page faults before it is needed.
    /// </summary>
    internal void Reserve(int bytes)
    {
        var array = GC.AllocateUninitializedArray<byte>(bytes);
        array.AsSpan().Clear();
        _reserved = array;
    }

    /// <summary>
    /// An array of <paramref name="bytes"/> for a load's memory: the reserved one when it fits, else a new one; the
    /// reserve is given up either way.
    /// </summary>
    internal byte[] Rent(long bytes)
    {
        var reserved = _reserved;
        _reserved = null;
        return reserved is not null && reserved.Length == bytes ? reserved : new byte[bytes];
    }

    /// <summary>Gives up the array set aside by <see cref="Reserve"/>.</summary>
    internal void DropReserve() => _reserved = null;

    /// <summary>Records a copy of <paramref name="memory"/> as the base (after a load), in the reserved array when it fits.</summary>
    internal void Reset(ReadOnlySpan<byte> memory)
    {
        var copy = Rent(memory.Length);
        memory.CopyTo(copy);
        _base = copy;
    }

    /// <summary>Drops the base (until <see cref="Reset"/>): the memory it described is gone.</summary>
    internal void Forget() => _base = null;

    /// <summary>
    /// Takes <paramref name="memory"/> itself as the base: an array equal to the engine's memory that nothing else
    /// uses (a checkpoint's rebuilt memory after the engine copied it in) — saves copying 16 MB into fresh pages,
    /// which costs ~12 ms of page faults on a restore.
    /// </summary>
    internal void Adopt(byte[] memory) => _base = memory;
}
