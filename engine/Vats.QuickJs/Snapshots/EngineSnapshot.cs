using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vats.Wasm.Errors;

namespace Vats.QuickJs.Snapshots;

/// <summary>
/// The byte format of a whole-engine snapshot: the engine's host-side state followed by the wasm instance's
/// snapshot (<see cref="Vats.Wasm.Snapshots.InstanceSnapshot"/>: memory, globals, table), closed by a SHA-256.
/// Everything is written in a fixed order with fixed widths, so equal engine states give equal bytes in any process.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic "VATSQJSE", u32 version, i64 memory limit in bytes, i32 max stack size, i64 clock,
/// u8 has-meter-limit + i64 meter limit, u32 runtime pointer, u32 context pointer, u32 undefined pointer, u32 count +
/// u32 per helper box (toJson, describeError, fromJson, bytesOf, gc, replyOf, errorText), i32 next host-function id, u32 count + (i32 id, u32 byte length,
/// UTF-8 name) per live host function in id order, u32 count + (u32 function box, u32 argument box, u32 handle box) per
/// queued macrotask, u32 length + instance snapshot, 32-byte SHA-256 of everything before it. Version 1 had no handle
/// box (read as 0); versions 1 and 2 had exactly the first five helpers and no count (the engine makes the others when
/// it first needs them).
/// </remarks>
internal static class EngineSnapshot
{
    internal const uint FormatVersion = 3;

    private static ReadOnlySpan<byte> Magic => "VATSQJSE"u8;

    /// <summary>The magic of an engine state whose memory is kept elsewhere (see <see cref="QuickJsEngine.SnapshotWithoutMemory"/>).</summary>
    private static ReadOnlySpan<byte> StateMagic => "VATSQJSS"u8;

    internal sealed class State
    {
        public long MemoryLimitBytes;
        public int MaxStackSizeBytes;
        public long ClockMs;
        public long? MeterLimit;
        public int Runtime;
        public int Context;
        public int Undefined;
        public int[] Helpers = [];
        public int NextHostId;
        public List<(int Id, string Name)> HostFunctions = [];
        public List<(int Function, int Argument, int Handle)> Macrotasks = [];
        public byte[] Instance = [];
    }

    internal static byte[] Write(State state, bool withoutMemory = false)
    {
        using var stream = new MemoryStream(state.Instance.Length + 1024);
        var w = new Writer(stream);
        w.Bytes(withoutMemory ? StateMagic : Magic);
        w.U32(FormatVersion);
        w.I64(state.MemoryLimitBytes);
        w.I32(state.MaxStackSizeBytes);
        w.I64(state.ClockMs);
        w.U8(state.MeterLimit.HasValue ? (byte)1 : (byte)0);
        w.I64(state.MeterLimit ?? 0);
        w.I32(state.Runtime);
        w.I32(state.Context);
        w.I32(state.Undefined);
        w.I32(state.Helpers.Length);
        foreach (var helper in state.Helpers) w.I32(helper);
        w.I32(state.NextHostId);
        w.I32(state.HostFunctions.Count);
        foreach (var (id, name) in state.HostFunctions)
        {
            w.I32(id);
            var bytes = Encoding.UTF8.GetBytes(name);
            w.I32(bytes.Length);
            w.Bytes(bytes);
        }
        w.I32(state.Macrotasks.Count);
        foreach (var (function, argument, handle) in state.Macrotasks)
        {
            w.I32(function);
            w.I32(argument);
            w.I32(handle);
        }
        w.I32(state.Instance.Length);
        w.Bytes(state.Instance);
        var body = stream.ToArray();
        var result = new byte[body.Length + 32];
        body.CopyTo(result, 0);
        SHA256.HashData(body, result.AsSpan(body.Length));
        return result;
    }

    /// <summary>The format version of a snapshot that <see cref="Read"/> accepted.</summary>
    internal static uint VersionOf(ReadOnlySpan<byte> snapshot) => BinaryPrimitives.ReadUInt32LittleEndian(snapshot[Magic.Length..]);

    internal static State Read(ReadOnlySpan<byte> snapshot, bool withoutMemory = false)
    {
        if (snapshot.Length < Magic.Length + 4 + 32) throw new SnapshotException(0, "too short to be an engine snapshot");
        var body = snapshot[..^32];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(snapshot[^32..]))
            throw new SnapshotException(snapshot.Length - 32, "checksum mismatch: the engine snapshot is corrupt");
        var r = new Reader(body);
        var magic = r.Bytes(Magic.Length);
        if (!magic.SequenceEqual(withoutMemory ? StateMagic : Magic))
            throw new SnapshotException(0, magic.SequenceEqual(withoutMemory ? Magic : StateMagic)
                ? withoutMemory ? "a whole engine snapshot, not an engine state whose memory is kept elsewhere" : "an engine state without its memory, not a whole engine snapshot"
                : "not a Vats QuickJS engine snapshot (bad magic)");
        var version = r.U32();
        if (version is < 1 or > FormatVersion)
            throw new SnapshotException(8, $"unsupported engine snapshot version {version} (this engine reads 1 to {FormatVersion})");
        var state = new State
        {
            MemoryLimitBytes = r.I64(),
            MaxStackSizeBytes = r.I32(),
            ClockMs = r.I64(),
        };
        var hasMeter = r.U8() != 0;
        var meter = r.I64();
        state.MeterLimit = hasMeter ? meter : null;
        state.Runtime = r.I32();
        state.Context = r.I32();
        state.Undefined = r.I32();
        var helperCount = version < 3 ? 5 : r.Count(4);
        if (helperCount < 5) throw new SnapshotException(r.Offset, $"an engine snapshot has at least 5 helper boxes, not {helperCount}");
        state.Helpers = new int[helperCount];
        for (var i = 0; i < helperCount; i++) state.Helpers[i] = r.I32();
        state.NextHostId = r.I32();
        var functions = r.Count(12);
        for (var i = 0; i < functions; i++)
        {
            var id = r.I32();
            var length = r.Count(1);
            state.HostFunctions.Add((id, Encoding.UTF8.GetString(r.Bytes(length))));
        }
        var tasks = r.Count(version == 1 ? 8 : 12);
        for (var i = 0; i < tasks; i++) state.Macrotasks.Add((r.I32(), r.I32(), version == 1 ? 0 : r.I32()));
        var instanceLength = r.Count(1);
        state.Instance = r.Bytes(instanceLength).ToArray();
        if (!r.AtEnd) throw new SnapshotException(r.Offset, "unexpected bytes after the instance snapshot");
        return state;
    }

    private sealed class Writer(Stream stream)
    {
        private readonly byte[] _scratch = new byte[8];

        public void Bytes(ReadOnlySpan<byte> bytes) => stream.Write(bytes);

        public void U8(byte value) => stream.WriteByte(value);

        public void U32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_scratch, value);
            stream.Write(_scratch, 0, 4);
        }

        public void I32(int value) => U32((uint)value);

        public void I64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_scratch, value);
            stream.Write(_scratch, 0, 8);
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int Offset { get; private set; }

        public readonly bool AtEnd => Offset == _bytes.Length;

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (count < 0 || count > _bytes.Length - Offset) throw new SnapshotException(Offset, "unexpected end of engine snapshot");
            var span = _bytes.Slice(Offset, count);
            Offset += count;
            return span;
        }

        public byte U8() => Bytes(1)[0];

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

        public int I32() => (int)U32();

        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

        /// <summary>A count of items of at least <paramref name="minItemSize"/> bytes each, checked against what is left.</summary>
        public int Count(int minItemSize)
        {
            var at = Offset;
            var count = U32();
            if ((ulong)count * (ulong)minItemSize > (ulong)(_bytes.Length - Offset))
                throw new SnapshotException(at, $"count {count} exceeds the rest of the engine snapshot");
            return (int)count;
        }
    }
}
