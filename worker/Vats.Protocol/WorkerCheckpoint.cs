using System.Buffers.Binary;

namespace Vats.Protocol;

/// <summary>
/// A checkpoint as the worker sends it in socket mode (the <see cref="Tags.CheckpointData"/> message, in answer to
/// <see cref="Tags.Checkpoint"/>): the engine state without its memory, the memory's size, and memory pages — all the
/// non-zero pages whole (<see cref="IsDelta"/> false), or only the pages that changed since the worker's previous
/// checkpoint or load, each as a <see cref="SparsePatch"/> against its previous version (true). A full checkpoint is
/// also what <see cref="Tags.LoadSnapshot"/> accepts to start a worker from a checkpoint store.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic <c>VATSWCKP</c>, u32 version, u8 kind (0 full, 1 delta), u32 page size, i64 memory
/// bytes, u32 state length + state, u32 page count, page count × u32 page index (ascending); then a full checkpoint's
/// page count × page bytes, or a delta's page count × u32 patch length followed by the patches.
/// </remarks>
public sealed class WorkerCheckpoint
{
    /// <summary>
    /// The format version this library writes and reads: 2 sends a delta's pages as patches (version 1 sent them
    /// whole; a worker and its client are always the same build, so only one version is read).
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>Bytes per page.</summary>
    public const int PageSize = 4096;

    private static ReadOnlySpan<byte> Magic => "VATSWCKP"u8;

    private readonly ReadOnlyMemory<byte> _pages;
    private readonly int[] _patchStarts;

    private WorkerCheckpoint(bool isDelta, long memoryBytes, ReadOnlyMemory<byte> state, int[] indexes, ReadOnlyMemory<byte> pages, int[] patchStarts)
    {
        IsDelta = isDelta;
        MemoryBytes = memoryBytes;
        State = state;
        PageIndexes = indexes;
        _pages = pages;
        _patchStarts = patchStarts;
    }

    /// <summary>True when only the pages changed since the previous checkpoint (or load) are present, as patches.</summary>
    public bool IsDelta { get; }

    /// <summary>Size of the memory, in bytes (a multiple of <see cref="PageSize"/>).</summary>
    public long MemoryBytes { get; }

    /// <summary>The engine state without its memory (<c>QuickJsEngine.SnapshotWithoutMemory</c>).</summary>
    public ReadOnlyMemory<byte> State { get; }

    /// <summary>The indexes of the pages present, ascending.</summary>
    public IReadOnlyList<int> PageIndexes { get; }

    /// <summary>The bytes of the <paramref name="n"/>th page of a full checkpoint (page number <c>PageIndexes[n]</c>).</summary>
    public ReadOnlyMemory<byte> Page(int n) =>
        IsDelta ? throw new InvalidOperationException("a delta checkpoint holds patches, not pages: use Patch") : _pages.Slice(n * PageSize, PageSize);

    /// <summary>
    /// The <see cref="SparsePatch"/> that turns the previous version of the <paramref name="n"/>th page of a delta
    /// (page number <c>PageIndexes[n]</c>) into its new one.
    /// </summary>
    public ReadOnlyMemory<byte> Patch(int n) =>
        IsDelta ? _pages[_patchStarts[n].._patchStarts[n + 1]] : throw new InvalidOperationException("a full checkpoint holds whole pages: use Page");

    /// <summary>Writes a full checkpoint: <paramref name="pages"/> are read from <paramref name="memory"/> at the given indexes.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> state, ReadOnlySpan<byte> memory, IReadOnlyList<int> pages)
    {
        var bytes = new byte[SizeOf(state.Length, pages.Count)];
        Encode(state, memory, pages, bytes);
        return bytes;
    }

    /// <summary>The size of an encoded full checkpoint with <paramref name="stateLength"/> bytes of state and <paramref name="pageCount"/> pages.</summary>
    public static int SizeOf(int stateLength, int pageCount) => checked(HeaderSize(stateLength) + 4 + pageCount * (4 + PageSize));

    /// <summary>The size of an encoded delta with <paramref name="pageCount"/> patches of <paramref name="patchBytes"/> bytes in all.</summary>
    public static int SizeOfDelta(int stateLength, int pageCount, int patchBytes) => checked(HeaderSize(stateLength) + 4 + pageCount * 8 + patchBytes);

    private static int HeaderSize(int stateLength) => checked(Magic.Length + 4 + 1 + 4 + 8 + 4 + stateLength);

    /// <summary>The indexes of the pages of <paramref name="memory"/> that are not all zero (what a full checkpoint holds).</summary>
    public static List<int> NonZeroPages(ReadOnlySpan<byte> memory)
    {
        var pages = new List<int>();
        for (var i = 0; i < memory.Length / PageSize; i++)
            if (memory.Slice(i * PageSize, PageSize).ContainsAnyExcept((byte)0)) pages.Add(i);
        return pages;
    }

    /// <summary>
    /// <see cref="Encode(ReadOnlySpan{byte}, ReadOnlySpan{byte}, IReadOnlyList{int})"/> into <paramref name="bytes"/>
    /// (at least <see cref="SizeOf"/> long, e.g. a pooled array); returns the size.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> state, ReadOnlySpan<byte> memory, IReadOnlyList<int> pages, Span<byte> bytes)
    {
        var size = SizeOf(state.Length, pages.Count);
        if (bytes.Length < size) throw new ArgumentException($"a checkpoint of {size} bytes does not fit in {bytes.Length}", nameof(bytes));
        var at = WriteHeader(bytes, isDelta: false, state, memory.Length, pages.Count);
        foreach (var index in pages)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes[at..], index);
            at += 4;
        }
        for (var n = 0; n < pages.Count;)
        {
            // Runs of consecutive pages in one copy.
            var first = pages[n];
            var count = 1;
            while (n + count < pages.Count && pages[n + count] == first + count) count++;
            memory.Slice(first * PageSize, count * PageSize).CopyTo(bytes[at..]);
            at += count * PageSize;
            n += count;
        }
        return size;
    }

    /// <summary>
    /// Writes a delta: page <paramref name="pages"/>[n] changed by the patch of <paramref name="patchLengths"/>[n]
    /// bytes, the patches one after another in <paramref name="patches"/>.
    /// </summary>
    public static byte[] EncodeDelta(ReadOnlySpan<byte> state, long memoryBytes, ReadOnlySpan<int> pages, ReadOnlySpan<int> patchLengths, ReadOnlySpan<byte> patches)
    {
        if (pages.Length != patchLengths.Length) throw new ArgumentException($"{pages.Length} pages but {patchLengths.Length} patch lengths", nameof(patchLengths));
        var bytes = new byte[SizeOfDelta(state.Length, pages.Length, patches.Length)];
        var at = WriteHeader(bytes, isDelta: true, state, memoryBytes, pages.Length);
        var total = 0;
        for (var n = 0; n < pages.Length; n++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), pages[n]);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + pages.Length * 4), patchLengths[n]);
            total += patchLengths[n];
            at += 4;
        }
        if (total != patches.Length) throw new ArgumentException($"the patch lengths add up to {total}, not {patches.Length}", nameof(patchLengths));
        patches.CopyTo(bytes.AsSpan(at + pages.Length * 4));
        return bytes;
    }

    private static int WriteHeader(Span<byte> bytes, bool isDelta, ReadOnlySpan<byte> state, long memoryBytes, int pageCount)
    {
        var at = 0;
        Magic.CopyTo(bytes);
        at += Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[at..], FormatVersion);
        bytes[at += 4] = isDelta ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[(at += 1)..], PageSize);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[(at += 4)..], memoryBytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[(at += 8)..], state.Length);
        state.CopyTo(bytes[(at += 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[(at += state.Length)..], pageCount);
        return at + 4;
    }

    /// <summary>A full checkpoint of <paramref name="memory"/>: every page that is not all zero.</summary>
    public static byte[] EncodeFull(ReadOnlySpan<byte> state, ReadOnlySpan<byte> memory) => Encode(state, memory, NonZeroPages(memory));

    /// <summary>True when <paramref name="bytes"/> start like a checkpoint.</summary>
    public static bool IsCheckpoint(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    /// <summary>Reads a checkpoint (keeping <paramref name="bytes"/>); throws <see cref="ProtocolException"/> saying what is wrong.</summary>
    public static WorkerCheckpoint Decode(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        var at = 0;
        ReadOnlySpan<byte> Take(ReadOnlySpan<byte> all, int count, string what)
        {
            if (count < 0 || count > all.Length - at) throw new ProtocolException($"a checkpoint ends inside its {what}", at);
            var slice = all.Slice(at, count);
            at += count;
            return slice;
        }
        if (!Take(span, Magic.Length, "magic").SequenceEqual(Magic)) throw new ProtocolException("not a worker checkpoint (its first 8 bytes are not VATSWCKP)");
        var version = BinaryPrimitives.ReadInt32LittleEndian(Take(span, 4, "version"));
        if (version != FormatVersion) throw new ProtocolException($"worker checkpoint format {version} is not supported (this build reads {FormatVersion})");
        var kind = Take(span, 1, "kind")[0];
        if (kind > 1) throw new ProtocolException($"a checkpoint's kind is {kind}, neither full (0) nor delta (1)");
        var isDelta = kind == 1;
        var pageSize = BinaryPrimitives.ReadInt32LittleEndian(Take(span, 4, "page size"));
        if (pageSize != PageSize) throw new ProtocolException($"a checkpoint of {pageSize}-byte pages; this build uses {PageSize}");
        var memoryBytes = BinaryPrimitives.ReadInt64LittleEndian(Take(span, 8, "memory size"));
        if (memoryBytes < 0 || memoryBytes % 65536 != 0 || memoryBytes > int.MaxValue)
            throw new ProtocolException($"a checkpoint's memory size {memoryBytes} is not a whole number of 64 KiB pages within 2 GiB");
        var stateLength = BinaryPrimitives.ReadInt32LittleEndian(Take(span, 4, "state length"));
        var stateAt = at;
        Take(span, stateLength, "state");
        var count = BinaryPrimitives.ReadInt32LittleEndian(Take(span, 4, "page count"));
        if (count < 0 || (long)count * (isDelta ? 8 : 4 + PageSize) > span.Length - at) throw new ProtocolException($"a checkpoint announces {count} pages but is too short for them");
        var indexes = new int[count];
        var maxPage = (int)(memoryBytes / PageSize);
        for (var i = 0; i < count; i++)
        {
            indexes[i] = BinaryPrimitives.ReadInt32LittleEndian(Take(span, 4, "page indexes"));
            if (indexes[i] < 0 || indexes[i] >= maxPage || (i > 0 && indexes[i] <= indexes[i - 1]))
                throw new ProtocolException($"a checkpoint's page index {indexes[i]} is out of order or beyond its memory of {maxPage} pages");
        }
        var starts = Array.Empty<int>();
        long payload = (long)count * PageSize;
        if (isDelta)
        {
            starts = new int[count + 1];
            payload = 0;
            for (var i = 0; i < count; i++)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(Take(span, 4, "patch lengths"));
                if (length <= 0 || length > SparsePatch.MaxLength(PageSize))
                    throw new ProtocolException($"the patch of page {indexes[i]} announces {length} bytes, outside 1..{SparsePatch.MaxLength(PageSize)}");
                payload += length;
                starts[i + 1] = (int)Math.Min(payload, int.MaxValue);
            }
        }
        if (payload > span.Length - at) throw new ProtocolException($"a checkpoint announces {payload} bytes of {(isDelta ? "patches" : "pages")} but has {span.Length - at}", at);
        var pagesAt = at;
        Take(span, (int)payload, isDelta ? "patches" : "pages");
        if (at != span.Length) throw new ProtocolException($"{span.Length - at} bytes follow a checkpoint's last page");
        return new WorkerCheckpoint(isDelta, memoryBytes, bytes.Slice(stateAt, stateLength), indexes, bytes.Slice(pagesAt, (int)payload), starts);
    }

    /// <summary>
    /// The whole memory of a full checkpoint (absent pages are zero), or of a delta applied to
    /// <paramref name="previous"/> (the memory the worker's previous checkpoint or load described; it is not changed).
    /// </summary>
    public byte[] BuildMemory(ReadOnlySpan<byte> previous = default)
    {
        var memory = new byte[MemoryBytes];
        BuildMemoryInto(memory, previous, cleared: true);
        return memory;
    }

    /// <summary>
    /// <see cref="BuildMemory(ReadOnlySpan{byte})"/> into <paramref name="target"/> (exactly <see cref="MemoryBytes"/>
    /// long; a full checkpoint clears it first unless <paramref name="cleared"/> says it is all zero already). A delta
    /// whose patch does not fit its page throws <see cref="ProtocolException"/>.
    /// </summary>
    public void BuildMemoryInto(Span<byte> target, ReadOnlySpan<byte> previous = default, bool cleared = false)
    {
        if (IsDelta && previous.IsEmpty && MemoryBytes > 0) throw new InvalidOperationException("a delta checkpoint needs the previous memory");
        if (target.Length != MemoryBytes) throw new ArgumentException($"the target has {target.Length} bytes, the checkpoint's memory {MemoryBytes}", nameof(target));
        if (IsDelta)
        {
            var kept = (int)Math.Min(previous.Length, MemoryBytes);
            previous[..kept].CopyTo(target);
            target[kept..].Clear();
            for (var n = 0; n < PageIndexes.Count; n++)
            {
                try
                {
                    SparsePatch.Apply(Patch(n).Span, target.Slice(PageIndexes[n] * PageSize, PageSize));
                }
                catch (InvalidDataException e)
                {
                    throw new ProtocolException($"the patch of page {PageIndexes[n]} is malformed: {e.Message}");
                }
            }
            return;
        }
        if (!cleared)
        {
            // Only the gaps between the pages present: those are overwritten anyway.
            var at = 0;
            for (var n = 0; n < PageIndexes.Count; n++)
            {
                var start = PageIndexes[n] * PageSize;
                target[at..start].Clear();
                at = start + PageSize;
            }
            target[at..].Clear();
        }
        for (var n = 0; n < PageIndexes.Count; n++) Page(n).Span.CopyTo(target[(PageIndexes[n] * PageSize)..]);
    }
}
