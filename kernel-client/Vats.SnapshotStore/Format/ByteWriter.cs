using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Vats.SnapshotStore.Format;

/// <summary>Appends little-endian integers, LEB128 varints and length-prefixed UTF-8 strings to a growing buffer.</summary>
internal sealed class ByteWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ByteWriter(int capacity = 256) => _buffer = new ArrayBufferWriter<byte>(capacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void Byte(byte value) => _buffer.Write([value]);

    public void Bytes(ReadOnlySpan<byte> value) => _buffer.Write(value);

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void VarUInt(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _buffer.Advance(n);
    }

    public void VarInt(long value) => VarUInt((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>A string as u32 byte length + UTF-8 (strict: a string that is not valid UTF-16 is refused).</summary>
    public void String(string value)
    {
        var bytes = Utf8Strict.GetBytes(value);
        UInt32((uint)bytes.Length);
        Bytes(bytes);
    }

    /// <summary>A blob as varint length + bytes.</summary>
    public void Blob(ReadOnlySpan<byte> value)
    {
        VarUInt((ulong)value.Length);
        Bytes(value);
    }

    internal static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
