using System.IO.Hashing;

namespace Vats.SnapshotStore.Tests.Support;

/// <summary>
/// Finds the memory pages that changed since the previous call, cheaply: it keeps an XxHash128 of each page (16 bytes
/// a page, not a copy of the memory) and compares. The first call (or one after <see cref="Clear"/>) reports every
/// page that is not all zero. A 128-bit hash makes a missed change vanishingly unlikely, and the store hashes every
/// page it keeps with SHA-256 anyway; a caller that can afford a copy of the memory may compare bytes instead.
/// Not thread-safe.
/// </summary>
internal sealed class PageTracker
{
    private UInt128[]? _hashes;

    /// <summary>A tracker of pages of <paramref name="pageSize"/> bytes (default 4 KiB).</summary>
    public PageTracker(int pageSize = 4096)
    {
        if (pageSize < 1024 || (pageSize & (pageSize - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "a power of two of at least 1024");
        PageSize = pageSize;
    }

    /// <summary>Bytes per page.</summary>
    public int PageSize { get; }

    /// <summary>True once a memory has been seen.</summary>
    public bool HasBase => _hashes is not null;

    /// <summary>
    /// The indexes, ascending, of the pages of <paramref name="memory"/> that differ from the memory of the previous
    /// call (pages beyond it count as zero before); every non-zero page on the first call. <paramref name="memory"/>
    /// becomes the base of the next call.
    /// </summary>
    public IReadOnlyList<int> Advance(ReadOnlySpan<byte> memory)
    {
        if (memory.Length % PageSize != 0) throw new ArgumentException($"the memory ({memory.Length} bytes) is not a whole number of pages", nameof(memory));
        var count = memory.Length / PageSize;
        var hashes = new UInt128[count];
        var changed = new List<int>();
        var previous = _hashes;
        for (var i = 0; i < count; i++)
        {
            var page = memory.Slice(i * PageSize, PageSize);
            hashes[i] = XxHash128.HashToUInt128(page);
            var differs = previous is not null && i < previous.Length ? hashes[i] != previous[i] : page.ContainsAnyExcept((byte)0);
            if (differs) changed.Add(i);
        }
        _hashes = hashes;
        return changed;
    }

    /// <summary>Records <paramref name="memory"/> as the base without reporting changes (after a restore).</summary>
    public void Reset(ReadOnlySpan<byte> memory) => Advance(memory);

    /// <summary>Forgets the base: the next <see cref="Advance"/> reports every non-zero page.</summary>
    public void Clear() => _hashes = null;

    /// <summary>The pages of <paramref name="memory"/> at <paramref name="indexes"/>, as <see cref="SnapshotStore.SaveDelta"/> takes them.</summary>
    public static IReadOnlyList<PageChange> Changes(ReadOnlyMemory<byte> memory, IReadOnlyList<int> indexes, int pageSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var changes = new PageChange[indexes.Count];
        for (var n = 0; n < changes.Length; n++) changes[n] = new PageChange(indexes[n], memory.Slice(indexes[n] * pageSize, pageSize));
        return changes;
    }
}
