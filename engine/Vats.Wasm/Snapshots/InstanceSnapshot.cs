using System.Security.Cryptography;
using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Snapshots;

/// <summary>
/// Captures and restores the whole mutable state of an instance — memories, globals, tables, dropped
/// segments and the store's fuel settings — in a versioned binary format ending in a SHA-256 of everything
/// before it. Capture between calls only (no wasm frame live). Equal states give equal bytes.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic "VATSWSNP", u32 version, 32-byte module SHA-256, fuel (u8 has-limit, i64 limit,
/// i64 consumed), memories (u32 count; each: u32 pages, zero-page bitmap, non-zero pages), globals (u32 count;
/// each: u8 type, u64 bits), tables (u32 count; each: u8 type, u32 size, u64 per element — funcrefs as
/// function index + 1 in the instance's index space, externrefs as their bits), u32 element-segment count +
/// one byte per segment (1 = dropped), u32 data-segment count + one byte per segment, 32-byte SHA-256.
/// </remarks>
public static class InstanceSnapshot
{
    /// <summary>Format version written by <see cref="Capture"/>.</summary>
    public const uint FormatVersion = 1;

    internal static ReadOnlySpan<byte> Magic => "VATSWSNP"u8;

    /// <summary>Serializes <paramref name="instance"/>'s state.</summary>
    public static byte[] Capture(Instance instance) => CaptureState(instance, withMemory: true);

    /// <summary>
    /// Serializes <paramref name="instance"/>'s state without the contents of its memory: each memory is recorded with
    /// its size only (as if all zero). For callers that keep memory themselves, page by page, and give it back to
    /// <see cref="Restore(Instance, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>. The instance must have at most one memory.
    /// </summary>
    public static byte[] CaptureWithoutMemory(Instance instance)
    {
        if (instance.Memories.Length > 1) throw new InvalidOperationException("only an instance with at most one memory can be captured without it");
        return CaptureState(instance, withMemory: false);
    }

    private static byte[] CaptureState(Instance instance, bool withMemory)
    {
        // One allocation of the right size: the memory's non-zero pages dominate.
        var writer = new SnapshotWriter(withMemory ? (int)Math.Min(instance.Memories.Sum(m => m.Length) + (1 << 16), Array.MaxLength) : 1 << 16);
        writer.Bytes(Magic);
        writer.U32(FormatVersion);
        writer.Bytes(instance.Module.Sha256);

        var store = instance.Store;
        writer.U8(store.FuelPerCall.HasValue ? (byte)1 : (byte)0);
        writer.I64(store.FuelPerCall ?? 0);
        writer.I64(store.FuelConsumed);

        writer.U32((uint)instance.Memories.Length);
        foreach (var memory in instance.Memories) WriteMemory(writer, memory, withMemory);

        writer.U32((uint)instance.Globals.Length);
        foreach (var global in instance.Globals)
        {
            writer.U8((byte)global.Type.ValType);
            writer.U64(global.Bits);
        }

        var functionIndex = FunctionIndexByAddress(instance);
        writer.U32((uint)instance.Tables.Length);
        for (var t = 0; t < instance.Tables.Length; t++)
        {
            var table = instance.Tables[t];
            writer.U8((byte)table.Type.ElementType);
            writer.U32(table.Size);
            foreach (var bits in table.Elements)
                writer.U64(table.Type.ElementType == Model.ValType.FuncRef ? EncodeFuncRef(bits, functionIndex, t) : bits);
        }

        WriteFlags(writer, instance.DroppedElements);
        WriteFlags(writer, instance.DroppedData);
        writer.Bytes(SHA256.HashData(writer.Written));
        return writer.ToArray();
    }

    /// <summary>
    /// Restores a snapshot into <paramref name="instance"/>, which must instantiate the same module
    /// (checked by SHA-256). Throws <see cref="SnapshotException"/> for a corrupt or mismatched snapshot, in which
    /// case the instance is left unchanged.
    /// </summary>
    public static void Restore(Instance instance, ReadOnlySpan<byte> snapshot) => Restore(instance, snapshot, default, hasMemory: false);

    /// <summary>
    /// Restores a snapshot made by <see cref="CaptureWithoutMemory"/>, with <paramref name="memory"/> as the contents of
    /// memory 0 (exactly the recorded size). Throws <see cref="SnapshotException"/> as <see cref="Restore(Instance, ReadOnlySpan{byte})"/>
    /// does, and when the memory does not match; the instance is then unchanged.
    /// </summary>
    public static void Restore(Instance instance, ReadOnlySpan<byte> snapshot, ReadOnlySpan<byte> memory) => Restore(instance, snapshot, memory, hasMemory: true);

    private static void Restore(Instance instance, ReadOnlySpan<byte> snapshot, ReadOnlySpan<byte> memory, bool hasMemory)
    {
        var reader = Open(snapshot);
        if (!reader.Bytes(32).SequenceEqual(instance.Module.Sha256))
            throw new SnapshotException(12, "snapshot was taken from a different module (module SHA-256 differs)");

        // Decode everything first so a bad snapshot leaves the instance untouched.
        var hasFuelLimit = reader.U8() != 0;
        var fuelLimit = reader.I64();
        var fuelConsumed = reader.I64();

        var memoryCount = reader.Count(instance.Memories.Length, "memory");
        if (hasMemory && memoryCount != 1) throw new SnapshotException(-1, $"memory contents were given for an instance with {memoryCount} memories");
        var memories = new (uint Pages, byte[]? Contents)[memoryCount];
        for (var i = 0; i < memoryCount; i++) memories[i] = ReadMemory(ref reader, skipContents: hasMemory);
        if (hasMemory && memory.Length != memories[0].Pages * (long)Memory.PageSize)
            throw new SnapshotException(-1, $"memory of {memory.Length} bytes was given for a snapshot of {memories[0].Pages} pages");

        var globalCount = reader.Count(instance.Globals.Length, "global");
        var globals = new ulong[globalCount];
        for (var i = 0; i < globalCount; i++)
        {
            var at = reader.Offset;
            if (reader.U8() != (byte)instance.Globals[i].Type.ValType) throw new SnapshotException(at, $"global {i} has a different type");
            globals[i] = reader.U64();
        }

        var tableCount = reader.Count(instance.Tables.Length, "table");
        var tables = new ulong[tableCount][];
        for (var t = 0; t < tableCount; t++)
        {
            var table = instance.Tables[t];
            var at = reader.Offset;
            if (reader.U8() != (byte)table.Type.ElementType) throw new SnapshotException(at, $"table {t} has a different element type");
            var size = reader.U32();
            if ((ulong)size * 8 > (ulong)reader.Remaining) throw new SnapshotException(reader.Offset, $"table {t} size {size} exceeds the snapshot");
            var elements = new ulong[size];
            for (var j = 0; j < elements.Length; j++)
            {
                var elementAt = reader.Offset;
                var bits = reader.U64();
                elements[j] = table.Type.ElementType == Model.ValType.FuncRef ? DecodeFuncRef(bits, instance, elementAt) : bits;
            }
            tables[t] = elements;
        }

        var droppedElements = ReadFlags(ref reader, instance.DroppedElements, "element segment");
        var droppedData = ReadFlags(ref reader, instance.DroppedData, "data segment");
        if (!reader.AtEnd) throw new SnapshotException(reader.Offset, "unexpected bytes after the last section");
        for (var i = 0; i < memories.Length; i++)
        {
            var pages = memories[i].Pages;
            if (!instance.Memories[i].CanHold(pages)) throw new SnapshotException(-1, $"memory {i} of {pages} pages exceeds the target memory's limit");
        }

        for (var i = 0; i < memories.Length; i++) instance.Memories[i].Restore(hasMemory ? memory : memories[i].Contents);
        for (var i = 0; i < globals.Length; i++) instance.Globals[i].SetBits(globals[i]);
        for (var t = 0; t < tables.Length; t++) instance.Tables[t].Restore(tables[t]);
        for (var i = 0; i < droppedElements.Length; i++) if (droppedElements[i]) instance.DropElements(i);
        for (var i = 0; i < droppedData.Length; i++) if (droppedData[i]) instance.DropData(i);
        instance.Store.FuelPerCall = hasFuelLimit ? fuelLimit : null;
        instance.Store.FuelConsumed = fuelConsumed;
    }

    /// <summary>
    /// Describes a snapshot without restoring it: checks its SHA-256 and reads its sections. Throws
    /// <see cref="SnapshotException"/> for a corrupt snapshot.
    /// </summary>
    public static InstanceSnapshotInfo Describe(ReadOnlySpan<byte> snapshot)
    {
        var reader = Open(snapshot);
        var module = reader.Bytes(32).ToArray();
        reader.Bytes(1 + 8 + 8);
        var memoryPages = new List<uint>();
        var storedPages = new List<int>();
        for (var count = reader.U32(); count > 0; count--)
        {
            var pages = reader.U32();
            if (pages > 65536) throw new SnapshotException(reader.Offset, $"memory of {pages} pages is larger than wasm allows");
            var bitmap = reader.Bytes((int)((pages + 7) / 8));
            var stored = 0;
            for (var p = 0; p < pages; p++) if ((bitmap[p / 8] & (1 << (p % 8))) != 0) stored++;
            reader.Bytes(stored * Memory.PageSize);
            memoryPages.Add(pages);
            storedPages.Add(stored);
        }
        var globals = (int)reader.U32();
        reader.Bytes(checked(globals * 9));
        var tableSizes = new List<uint>();
        for (var count = reader.U32(); count > 0; count--)
        {
            reader.U8();
            var size = reader.U32();
            reader.Bytes(checked((int)size * 8));
            tableSizes.Add(size);
        }
        return new InstanceSnapshotInfo(FormatVersion, module, memoryPages, storedPages, globals, tableSizes);
    }

    /// <summary>Checks a snapshot's SHA-256, magic and version; returns a reader at the module hash that follows them.</summary>
    private static SnapshotReader Open(ReadOnlySpan<byte> snapshot)
    {
        if (snapshot.Length < Magic.Length + 4 + 32 + 32) throw new SnapshotException(0, "too short to be a snapshot");
        var body = snapshot[..^32];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(snapshot[^32..]))
            throw new SnapshotException(snapshot.Length - 32, "checksum mismatch: the snapshot is corrupt");
        var reader = new SnapshotReader(body);
        if (!reader.Bytes(Magic.Length).SequenceEqual(Magic)) throw new SnapshotException(0, "not a Vats instance snapshot (bad magic)");
        var version = reader.U32();
        if (version != FormatVersion) throw new SnapshotException(8, $"unsupported snapshot format version {version} (this runtime reads {FormatVersion})");
        return reader;
    }

    private static void WriteMemory(SnapshotWriter writer, Memory memory, bool withContents)
    {
        var pages = memory.Pages;
        writer.U32(pages);
        var contents = memory.Span;
        var bitmap = new byte[(pages + 7) / 8];
        for (var p = 0; withContents && p < pages; p++)
            if (contents.Slice(p * Memory.PageSize, Memory.PageSize).ContainsAnyExcept((byte)0)) bitmap[p / 8] |= (byte)(1 << (p % 8));
        writer.Bytes(bitmap);
        for (var p = 0; p < pages; p++)
            if ((bitmap[p / 8] & (1 << (p % 8))) != 0) writer.Bytes(contents.Slice(p * Memory.PageSize, Memory.PageSize));
    }

    /// <summary>A memory's contents; with <paramref name="skipContents"/> (the caller supplies them) an empty array of the right length is not made.</summary>
    private static (uint Pages, byte[]? Contents) ReadMemory(ref SnapshotReader reader, bool skipContents)
    {
        var at = reader.Offset;
        var pages = reader.U32();
        if (pages > 65536) throw new SnapshotException(at, $"memory of {pages} pages is larger than wasm allows");
        var bitmap = reader.Bytes((int)((pages + 7) / 8));
        if (skipContents)
        {
            if (bitmap.ContainsAnyExcept((byte)0)) throw new SnapshotException(at, "the snapshot holds memory contents of its own");
            return (pages, null);
        }
        var contents = new byte[pages * (long)Memory.PageSize];
        for (var p = 0; p < pages; p++)
            if ((bitmap[p / 8] & (1 << (p % 8))) != 0) reader.Bytes(Memory.PageSize).CopyTo(contents.AsSpan(p * Memory.PageSize));
        return (pages, contents);
    }

    private static Dictionary<int, int> FunctionIndexByAddress(Instance instance)
    {
        if (instance.FunctionIndexByAddress is { } known) return known;
        var map = instance.FunctionIndexByAddress = new Dictionary<int, int>();
        for (var i = 0; i < instance.Functions.Length; i++) map.TryAdd(instance.Functions[i].Address, i);
        return map;
    }

    private static ulong EncodeFuncRef(ulong bits, Dictionary<int, int> functionIndex, int table)
    {
        if (bits == 0) return 0;
        if (!functionIndex.TryGetValue((int)(bits - 1), out var index))
            throw new InvalidOperationException($"table {table} refers to a function outside this instance's function index space; such state cannot be snapshotted");
        return (ulong)index + 1;
    }

    private static ulong DecodeFuncRef(ulong encoded, Instance instance, int offset)
    {
        if (encoded == 0) return 0;
        if (encoded > (ulong)instance.Functions.Length) throw new SnapshotException(offset, $"function reference {encoded - 1} is outside the function index space");
        return (ulong)instance.Functions[(int)(encoded - 1)].Address + 1;
    }

    private static void WriteFlags(SnapshotWriter writer, bool[] flags)
    {
        writer.U32((uint)flags.Length);
        foreach (var flag in flags) writer.U8(flag ? (byte)1 : (byte)0);
    }

    private static bool[] ReadFlags(ref SnapshotReader reader, bool[] current, string what)
    {
        var count = reader.Count(current.Length, what);
        var flags = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var at = reader.Offset;
            flags[i] = reader.U8() switch
            {
                0 => false,
                1 => true,
                var b => throw new SnapshotException(at, $"bad {what} flag {b}"),
            };
            // A dropped segment cannot come back, so the target must not be further along than the snapshot.
            if (current[i] && !flags[i]) throw new SnapshotException(at, $"{what} {i} is already dropped in the target instance");
        }
        return flags;
    }
}

/// <summary>What an instance snapshot holds, read without restoring it (for inspection tools).</summary>
/// <param name="FormatVersion">The snapshot format version.</param>
/// <param name="ModuleSha256">SHA-256 of the module it was taken from.</param>
/// <param name="MemoryPages">Size of each memory in 64 KiB pages.</param>
/// <param name="StoredPages">Pages of each memory stored in the snapshot (those that are not all zero).</param>
/// <param name="Globals">Number of globals.</param>
/// <param name="TableSizes">Size of each table.</param>
public sealed record InstanceSnapshotInfo(uint FormatVersion, byte[] ModuleSha256, IReadOnlyList<uint> MemoryPages, IReadOnlyList<int> StoredPages,
    int Globals, IReadOnlyList<uint> TableSizes);
