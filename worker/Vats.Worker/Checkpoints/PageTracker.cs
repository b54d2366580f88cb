using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vats.Protocol;

namespace Vats.Worker.Checkpoints;

/// <summary>
/// Finds the memory pages that changed since the last checkpoint or load, exactly: the tracker keeps a copy of the
/// memory as it was then and compares page by page (the runtime's vectorized comparison, and no hash that could miss
/// a change), updating the copy as it goes. The price is a second copy of the heap in the worker. Where the kernel can
/// say which pages were written (<see cref="WriteTracker"/>), only those are compared; elsewhere all of them (about
/// 3 ms for 16 MB with cold caches, as after a delivery). Hashing each page instead (XxHash128) was measured at
/// 80–130 ms for 16 MB in a fresh process.
/// </summary>
internal sealed class PageTracker : IDisposable
{
    private const int PageSize = WorkerCheckpoint.PageSize;
    private byte[]? _base;
    private WriteTracker? _writes;
    private bool _writesUnavailable;
    private readonly List<(long Start, long End)> _written = [];

    /// <summary>
    /// A tracker; with <paramref name="compareAll"/> (or the environment variable <c>VATS_WORKER_COMPARE_ALL=1</c>) it
    /// never asks the kernel and compares every page.
    /// </summary>
    internal PageTracker(bool compareAll = false) =>
        _writesUnavailable = compareAll || Environment.GetEnvironmentVariable("VATS_WORKER_COMPARE_ALL") == "1";

    /// <summary>True while the kernel reports the engine memory's writes (the comparison then reads only those pages).</summary>
    internal bool TracksWrites => _writes is not null;

    /// <summary>
    /// From now on, has the kernel note the pages of <paramref name="memory"/> (the engine's own, pinned) that get
    /// written: called whenever the base is set anew, before the engine runs again.
    /// </summary>
    internal unsafe void Watch(ReadOnlySpan<byte> memory)
    {
        var start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(memory));
        if (_writes is { } writes && Watches(writes, memory))
        {
            if (writes.ProtectAll()) return;
            StopWatching();
        }
        _writes?.Dispose();
        _writes = null;
        if (_writesUnavailable) return;
        _writes = WriteTracker.TryCreate(start, memory.Length);
        _writesUnavailable = _writes is null;
    }

    private static unsafe bool Watches(WriteTracker writes, ReadOnlySpan<byte> memory)
    {
        var start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(memory));
        return writes.Start >= start && writes.Start - start < PageSize && writes.Start + (nint)writes.Length <= start + memory.Length &&
            start + memory.Length - (writes.Start + (nint)writes.Length) < PageSize;
    }

    private void StopWatching()
    {
        _writes?.Dispose();
        _writes = null;
        _writesUnavailable = true;
    }

    /// <summary>
    /// Marks in <paramref name="candidates"/> the pages of <paramref name="memory"/> that may have changed since the
    /// base: those the kernel saw written, and the partial pages at the ends that it does not watch. False when it
    /// cannot tell (every page must be compared).
    /// </summary>
    private unsafe bool FindWritten(ReadOnlySpan<byte> memory, bool[] candidates)
    {
        if (_writes is not { } writes || !Watches(writes, memory)) return false;
        _written.Clear();
        if (!writes.TakeWritten(_written))
        {
            StopWatching();
            return false;
        }
        var start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(memory));
        var offset = (long)(writes.Start - start);
        var pages = memory.Length / PageSize;
        // The ends the kernel does not watch (the array's data need not start on a page boundary).
        for (var i = 0; i < pages && i * (long)PageSize < offset; i++) candidates[i] = true;
        for (var i = (int)Math.Max(0, (offset + writes.Length) / PageSize); i < pages; i++) candidates[i] = true;
        foreach (var (from, to) in _written)
        {
            var first = (offset + from) / PageSize;
            var last = (offset + to - 1) / PageSize;
            for (var i = first; i <= last && i < pages; i++) candidates[i] = true;
        }
        return true;
    }

    private bool[] _candidates = [];

    public void Dispose()
    {
        _writes?.Dispose();
        _writes = null;
    }

    /// <summary>True once a base is recorded (a checkpoint or a load).</summary>
    internal bool HasBase => _base is not null;

    /// <summary>
    /// All non-zero pages of <paramref name="memory"/> (what a full checkpoint sends); <paramref name="memory"/>
    /// becomes the base.
    /// </summary>
    internal List<int> AdvanceFull(ReadOnlySpan<byte> memory)
    {
        _base = memory.ToArray();
        Watch(memory);
        return WorkerCheckpoint.NonZeroPages(memory);
    }

    /// <summary>
    /// The pages of <paramref name="memory"/> that differ from the base, each as a <see cref="SparsePatch"/> against
    /// its base version: each page that may have changed is encoded straight away (the encoding's first step is the
    /// comparison; an unchanged page gives an empty patch), and the base catches up by applying the patch, which writes
    /// only the changed runs (copying whole pages into the cold base cost about 0.2 ms more a checkpoint);
    /// <paramref name="memory"/> becomes the base. The result's buffers are reused by the next call.
    /// </summary>
    internal Delta AdvanceDelta(ReadOnlySpan<byte> memory)
    {
        if (_base is null) throw new InvalidOperationException("a delta needs a base: take a full checkpoint first");
        if (_base.Length < memory.Length)
        {
            // wasm memory only grows; the new pages were zero in the base.
            var grown = new byte[memory.Length];
            _base.CopyTo(grown, 0);
            _base = grown;
        }
        _delta.Clear();
        var pages = memory.Length / PageSize;
        if (_candidates.Length < pages) _candidates = new bool[pages];
        var candidates = _candidates;
        var some = FindWritten(memory, candidates);
        for (var i = 0; i < pages; i++)
        {
            if (some)
            {
                if (!candidates[i]) continue;
                candidates[i] = false;
            }
            var page = memory.Slice(i * PageSize, PageSize);
            var old = _base.AsSpan(i * PageSize, PageSize);
            // The patch's first step is the comparison: an unchanged page gives an empty patch.
            if (_delta.TryAdd(i, page, old) is not { IsEmpty: false } patch) continue;
            // The base catches up by the patch itself: a few runs of bytes written instead of the whole page.
            SparsePatch.Apply(patch, old);
        }
        // Every page was compared: from here on the kernel notes the writes again (a grown memory is a new array).
        if (!some) Watch(memory);
        return _delta;
    }

    private readonly Delta _delta = new();

    /// <summary>A delta's changed pages and their patches, one after another in <see cref="Patches"/>.</summary>
    internal sealed class Delta
    {
        private int[] _pages = new int[256];
        private int[] _lengths = new int[256];
        private byte[] _patches = new byte[256 * 1024];

        internal int Count { get; private set; }
        internal int PatchBytes { get; private set; }
        internal ReadOnlySpan<int> Pages => _pages.AsSpan(0, Count);
        internal ReadOnlySpan<int> PatchLengths => _lengths.AsSpan(0, Count);
        internal ReadOnlySpan<byte> Patches => _patches.AsSpan(0, PatchBytes);

        internal void Clear() => (Count, PatchBytes) = (0, 0);

        /// <summary>
        /// Adds page <paramref name="index"/>'s patch against <paramref name="old"/> and returns it; returns an empty
        /// span, adding nothing, when the page equals <paramref name="old"/>.
        /// </summary>
        internal ReadOnlySpan<byte> TryAdd(int index, ReadOnlySpan<byte> page, ReadOnlySpan<byte> old)
        {
            var most = SparsePatch.MaxLength(PageSize);
            if (_patches.Length - PatchBytes < most) Array.Resize(ref _patches, Math.Max(_patches.Length * 2, PatchBytes + most));
            var length = SparsePatch.Encode(page, old, _patches.AsSpan(PatchBytes));
            if (length == 0) return default;
            if (Count == _pages.Length)
            {
                Array.Resize(ref _pages, Count * 2);
                Array.Resize(ref _lengths, Count * 2);
            }
            _pages[Count] = index;
            _lengths[Count++] = length;
            PatchBytes += length;
            return _patches.AsSpan(PatchBytes - length, length);
        }
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
        Watch(memory);
    }

    /// <summary>Drops the base (until <see cref="Reset"/>): the memory it described is gone.</summary>
    internal void Forget()
    {
        _base = null;
        _writes?.Dispose();
        _writes = null;
    }

    /// <summary>
    /// Takes <paramref name="memory"/> itself as the base: an array equal to the engine's memory that nothing else
    /// uses (a checkpoint's rebuilt memory after the engine copied it in) — saves copying 16 MB into fresh pages,
    /// which costs ~12 ms of page faults on a restore. The engine's memory (<paramref name="engineMemory"/>) is
    /// watched from here on.
    /// </summary>
    internal void Adopt(byte[] memory, ReadOnlySpan<byte> engineMemory)
    {
        _base = memory;
        Watch(engineMemory);
    }
}
