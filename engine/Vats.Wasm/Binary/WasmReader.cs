using System.Buffers.Binary;
using System.Text;
using Vats.Wasm.Errors;

namespace Vats.Wasm.Binary;

/// <summary>
/// Cursor over module bytes with the binary format's primitive encodings (LEB128, IEEE-754 little-endian, names).
/// Every failure is a <see cref="MalformedModuleException"/> carrying the absolute byte offset.
/// </summary>
public ref struct WasmReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _baseOffset;
    private int _pos;

    /// <summary>Creates a reader; <paramref name="baseOffset"/> is the absolute offset of bytes[0] in the module.</summary>
    public WasmReader(ReadOnlySpan<byte> bytes, int baseOffset = 0)
    {
        _bytes = bytes;
        _baseOffset = baseOffset;
        _pos = 0;
    }

    /// <summary>Position relative to the start of the span.</summary>
    public int Position
    {
        readonly get => _pos;
        set => _pos = value;
    }

    /// <summary>Absolute offset in the module binary.</summary>
    public readonly int Offset => _baseOffset + _pos;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _bytes.Length - _pos;

    /// <summary>True at the end of the span.</summary>
    public readonly bool AtEnd => _pos >= _bytes.Length;

    /// <summary>Throws a malformed-module error at the current offset.</summary>
    public readonly MalformedModuleException Error(string reason) => new(Offset, reason);

    /// <summary>Reads one byte.</summary>
    public byte ReadByte()
    {
        if (_pos >= _bytes.Length) throw Error("unexpected end");
        return _bytes[_pos++];
    }

    /// <summary>Peeks at the next byte without consuming it.</summary>
    public readonly byte PeekByte()
    {
        if (_pos >= _bytes.Length) throw Error("unexpected end");
        return _bytes[_pos];
    }

    /// <summary>Reads <paramref name="count"/> raw bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining) throw Error("unexpected end");
        var span = _bytes.Slice(_pos, count);
        _pos += count;
        return span;
    }

    /// <summary>Unsigned LEB128, at most 5 bytes, unused high bits zero.</summary>
    public uint ReadU32()
    {
        uint result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw Error("integer representation too long");
                if ((b & 0x70) != 0) throw Error("integer too large");
                return result | ((uint)b << 28);
            }
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }

    /// <summary>Signed LEB128 for i32, at most 5 bytes, unused bits a sign extension.</summary>
    public int ReadS32()
    {
        int result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw Error("integer representation too long");
                // Bits 4..6 of the last byte must equal bit 3 (the sign).
                var high = b & 0x78;
                if (high != 0 && high != 0x78) throw Error("integer too large");
                return result | (b << 28);
            }
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if ((b & 0x40) != 0) result |= -1 << (shift + 7);
                return result;
            }
        }
    }

    /// <summary>Signed LEB128 for i64, at most 10 bytes, unused bits a sign extension.</summary>
    public long ReadS64()
    {
        long result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadByte();
            if (shift == 63)
            {
                if ((b & 0x80) != 0) throw Error("integer representation too long");
                // Only bit 0 is significant; the other six must copy it.
                if (b != 0 && b != 0x7F) throw Error("integer too large");
                return result | ((long)b << 63);
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if ((b & 0x40) != 0 && shift + 7 < 64) result |= -1L << (shift + 7);
                return result;
            }
        }
    }

    /// <summary>Signed 33-bit LEB128 (block types), at most 5 bytes.</summary>
    public long ReadS33()
    {
        long result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0) throw Error("integer representation too long");
                // 33 bits: bits 0..4 of the last byte are significant, 5..6 must copy bit 4.
                var high = b & 0x60;
                var sign = (b & 0x10) != 0;
                if ((sign && high != 0x60) || (!sign && high != 0)) throw Error("integer too large");
                result |= (long)(b & 0x1F) << 28;
                if (sign) result |= -1L << 33;
                return result;
            }
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if ((b & 0x40) != 0) result |= -1L << (shift + 7);
                return result;
            }
        }
    }

    /// <summary>Raw bits of a little-endian f32.</summary>
    public uint ReadF32Bits() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    /// <summary>Raw bits of a little-endian f64.</summary>
    public ulong ReadF64Bits() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    /// <summary>A vector length, checked against the bytes left (each element takes at least one byte).</summary>
    public uint ReadCount()
    {
        var start = Offset;
        var n = ReadU32();
        if (n > (uint)Remaining) throw new MalformedModuleException(start, "unexpected end");
        return n;
    }

    /// <summary>A name: length-prefixed UTF-8, which must be valid.</summary>
    public string ReadName()
    {
        var len = ReadU32();
        if (len > (uint)Remaining) throw Error("unexpected end");
        var start = Offset;
        var bytes = ReadBytes((int)len);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedModuleException(start, "malformed UTF-8 encoding");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
