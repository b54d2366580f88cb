using System.Buffers.Binary;

namespace Vats.SnapshotStore.Bench;

/// <summary>
/// A recording of a worker's checkpoints: each as the worker sent it (<c>Vats.Protocol.WorkerCheckpoint</c> bytes,
/// preceded by their length as an int32 LE) — a full checkpoint, then a delta after each delivery. The format
/// <c>MeasurementTests</c> reads from <c>VATS_CHECKPOINT_RECORDING</c>.
/// </summary>
internal sealed record RecordedCheckpoint(byte[] State, long MemoryBytes, int[] Indexes, byte[] Pages)
{
    public const int PageSize = 4096;

    public PageChange[] Changes() => [.. Indexes.Select((index, n) => new PageChange(index, Pages.AsMemory(n * PageSize, PageSize)))];

    /// <summary>
    /// The changed pages as the worker sends them: patches against <paramref name="memory"/> (the previous
    /// checkpoint's memory), which is then brought up to this checkpoint.
    /// </summary>
    public PageChange[] PatchesAgainst(ref byte[] memory)
    {
        if (memory.Length < MemoryBytes) Array.Resize(ref memory, (int)MemoryBytes);
        var changes = new PageChange[Indexes.Length];
        for (var n = 0; n < Indexes.Length; n++)
        {
            var page = Pages.AsSpan(n * PageSize, PageSize);
            var old = memory.AsSpan(Indexes[n] * PageSize, PageSize);
            changes[n] = PageChange.Patched(Indexes[n], Vats.Protocol.SparsePatch.Encode(page, old));
            page.CopyTo(old);
        }
        return changes;
    }

    /// <summary>The whole memory of a full checkpoint.</summary>
    public byte[] Memory()
    {
        var memory = new byte[MemoryBytes];
        for (var n = 0; n < Indexes.Length; n++) Pages.AsSpan(n * PageSize, PageSize).CopyTo(memory.AsSpan(Indexes[n] * PageSize));
        return memory;
    }

    public static List<RecordedCheckpoint> ReadAll(string path, int limit)
    {
        using var input = new BinaryReader(File.OpenRead(path));
        var all = new List<RecordedCheckpoint>();
        while (input.BaseStream.Position < input.BaseStream.Length && all.Count < limit) all.Add(Decode(input.ReadBytes(input.ReadInt32())));
        return all;
    }

    // VATSWCKP | u32 version | u8 kind | u32 page size | i64 memory bytes | u32 state length + state | u32 count | indexes | pages
    private static RecordedCheckpoint Decode(byte[] bytes)
    {
        if (!bytes.AsSpan(0, 8).SequenceEqual("VATSWCKP"u8)) throw new InvalidDataException("not a worker checkpoint");
        if (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(13)) != PageSize) throw new InvalidDataException("not 4 KiB pages");
        var memoryBytes = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(17));
        var stateLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(25));
        var state = bytes.AsSpan(29, stateLength).ToArray();
        var at = 29 + stateLength;
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        at += 4;
        var indexes = new int[count];
        for (var n = 0; n < count; n++, at += 4) indexes[n] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        return new RecordedCheckpoint(state, memoryBytes, indexes, bytes.AsSpan(at, count * PageSize).ToArray());
    }

    public static byte[] Encode(bool isDelta, ReadOnlySpan<byte> state, long memoryBytes, IReadOnlyList<int> indexes, Func<int, ReadOnlyMemory<byte>> page)
    {
        var bytes = new byte[8 + 4 + 1 + 4 + 8 + 4 + state.Length + 4 + indexes.Count * (4 + PageSize)];
        "VATSWCKP"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 1);
        bytes[12] = isDelta ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(13), PageSize);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(17), memoryBytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(25), state.Length);
        state.CopyTo(bytes.AsSpan(29));
        var at = 29 + state.Length;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), indexes.Count);
        at += 4;
        foreach (var index in indexes)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), index);
            at += 4;
        }
        for (var n = 0; n < indexes.Count; n++, at += PageSize) page(n).Span.CopyTo(bytes.AsSpan(at));
        return bytes;
    }
}
