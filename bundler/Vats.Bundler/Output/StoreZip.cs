using System.Buffers.Binary;
using System.Text;

namespace Vats.Bundler.Output;

/// <summary>
/// A byte-stable zip writer: STORE only, zero timestamps, no extra fields, as @endo/zip writes
/// and reads archives. (ZipArchive would add timestamps and data descriptors.)
/// </summary>
internal sealed class StoreZip
{
    private readonly MemoryStream _out = new();
    private readonly List<(byte[] Name, uint Crc, int Size, int Offset)> _entries = [];

    public void Add(string name, byte[] content)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        uint crc = Crc32(content);
        int offset = (int)_out.Position;
        Span<byte> h = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 10);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], (uint)content.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], (uint)content.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], 0);
        _out.Write(h);
        _out.Write(nameBytes);
        _out.Write(content);
        _entries.Add((nameBytes, crc, content.Length, offset));
    }

    public byte[] ToArray()
    {
        int centralStart = (int)_out.Position;
        Span<byte> c = stackalloc byte[46];
        foreach (var (name, crc, size, offset) in _entries)
        {
            c.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(c, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(c[4..], (3 << 8) | 30);
            BinaryPrimitives.WriteUInt16LittleEndian(c[6..], 10);
            BinaryPrimitives.WriteUInt32LittleEndian(c[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(c[20..], (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(c[24..], (uint)size);
            BinaryPrimitives.WriteUInt16LittleEndian(c[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(c[38..], 0x81A4u << 16);
            BinaryPrimitives.WriteUInt32LittleEndian(c[42..], (uint)offset);
            _out.Write(c);
            _out.Write(name);
        }
        int centralSize = (int)_out.Position - centralStart;
        Span<byte> e = stackalloc byte[22];
        e.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(e, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(e[8..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(e[10..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(e[12..], (uint)centralSize);
        BinaryPrimitives.WriteUInt32LittleEndian(e[16..], (uint)centralStart);
        _out.Write(e);
        return _out.ToArray();
    }

    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
