using System.Buffers.Binary;

namespace Vats.SnapshotStore.Format;

/// <summary>Reads what <see cref="ByteWriter"/> writes; throws <see cref="InvalidDataException"/> on anything malformed.</summary>
internal ref struct ByteReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public readonly bool AtEnd => _at == _data.Length;

    public readonly int Position => _at;

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > _data.Length - _at) throw new InvalidDataException($"the data ends {count - (_data.Length - _at)} bytes too early");
        var slice = _data.Slice(_at, count);
        _at += count;
        return slice;
    }

    public byte Byte() => Bytes(1)[0];

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

    public ulong VarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("a varint is too long");
    }

    public long VarInt()
    {
        var raw = VarUInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int VarCount(int max)
    {
        var value = VarUInt();
        if (value > (ulong)max) throw new InvalidDataException($"a count of {value} exceeds {max}");
        return (int)value;
    }

    public string String()
    {
        var length = UInt32();
        if (length > 1 << 20) throw new InvalidDataException($"a string of {length} bytes is too long");
        return ByteWriter.Utf8Strict.GetString(Bytes((int)length));
    }

    public ReadOnlySpan<byte> Blob(int max) => Bytes(VarCount(max));

    public readonly void ExpectEnd()
    {
        if (!AtEnd) throw new InvalidDataException($"{_data.Length - _at} bytes follow the end of the data");
    }
}
