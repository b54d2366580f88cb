using System.Buffers.Binary;

namespace Vats.Wasm.Snapshots;

/// <summary>Appends little-endian primitives to a growable buffer.</summary>
internal sealed class SnapshotWriter(int capacity = 1 << 16)
{
    private byte[] _buffer = new byte[Math.Max(capacity, 64)];
    private int _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void U8(byte value) => Reserve(1)[0] = value;

    public void U32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void U64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void I64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var bigger = new byte[Math.Max(_buffer.Length * 2L, _length + (long)count)];
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            _buffer = bigger;
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}

/// <summary>Reads little-endian primitives; running past the end is a <see cref="Errors.SnapshotException"/>.</summary>
internal ref struct SnapshotReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _pos;

    public SnapshotReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _pos = 0;
    }

    public readonly int Offset => _pos;

    public readonly int Remaining => _bytes.Length - _pos;

    public readonly bool AtEnd => _pos == _bytes.Length;

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > Remaining) throw new Errors.SnapshotException(_pos, "unexpected end of snapshot");
        var span = _bytes.Slice(_pos, count);
        _pos += count;
        return span;
    }

    public byte U8() => Bytes(1)[0];

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

    /// <summary>Reads a section count that must equal the instance's.</summary>
    public int Count(int expected, string what)
    {
        var at = _pos;
        var count = U32();
        if (count != (uint)expected) throw new Errors.SnapshotException(at, $"snapshot has {count} {what}s, the instance has {expected}");
        return expected;
    }
}
