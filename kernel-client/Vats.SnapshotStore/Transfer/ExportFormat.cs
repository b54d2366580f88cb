using System.Security.Cryptography;
using Vats.SnapshotStore.Format;
using Vats.SnapshotStore.Transcripts;

namespace Vats.SnapshotStore.Transfer;

/// <summary>
/// The export stream (see README): <c>"VATSEXPT"</c>, u32 version, u32 page size, then records — u8 tag, u32 payload
/// length, payload — ending with an <c>E</c> record that holds the record counts and the SHA-256 of every byte before
/// it. Snapshots are written in order, each as the pages that differ from the previous snapshot record (patches
/// against it where smaller), so importing replays saves and checks every root.
/// </summary>
internal static class ExportFormat
{
    /// <summary>Written: 2 (adds vat data records). Read: 1 and 2.</summary>
    public const uint Version = 2, OldestReadable = 1;
    public const byte SnapshotTag = (byte)'S', TranscriptTag = (byte)'T', VatDataTag = (byte)'D', EndTag = (byte)'E';
    public const byte PageZero = 0, PageRaw = 1, PageLz4 = 2, PagePatch = 3;
    public const byte StateRaw = 0, StateLz4 = 1, StatePatch = 2;
    public const int MaxRecord = 256 << 20;

    public static ReadOnlySpan<byte> Magic => "VATSEXPT"u8;

    public static void WriteText(ByteWriter w, string text)
    {
        if (ExactText.IsWellFormed(text))
        {
            w.Byte(0);
            w.Blob(ByteWriter.Utf8Strict.GetBytes(text));
        }
        else
        {
            w.Byte(1);
            w.Blob(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()).ToArray());
        }
    }

    public static string ReadText(ref ByteReader r) => r.Byte() switch
    {
        0 => ByteWriter.Utf8Strict.GetString(r.Blob(MaxRecord)),
        1 => ExactText.FromUtf16(r.Blob(MaxRecord)),
        var other => throw new InvalidDataException($"unknown text encoding {other}"),
    };
}

/// <summary>Writes records to a stream, hashing every byte.</summary>
internal sealed class ExportWriter(Stream stream) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Bytes { get; private set; }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        stream.Write(bytes);
        Bytes += bytes.Length;
    }

    public void Record(byte tag, ReadOnlySpan<byte> payload)
    {
        Span<byte> head = stackalloc byte[5];
        head[0] = tag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(head[1..], (uint)payload.Length);
        Raw(head);
        Raw(payload);
    }

    public void End(long snapshots, long entries)
    {
        var digest = _hash.GetHashAndReset();
        var w = new ByteWriter();
        w.Int64(snapshots);
        w.Int64(entries);
        w.Bytes(digest);
        Span<byte> head = stackalloc byte[5];
        head[0] = ExportFormat.EndTag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(head[1..], (uint)w.Length);
        stream.Write(head);
        stream.Write(w.Written);
        Bytes += 5 + w.Length;
    }

    public void Dispose() => _hash.Dispose();
}

/// <summary>Reads records from a stream, hashing every byte; throws <see cref="SnapshotFormatException"/> on anything malformed.</summary>
internal sealed class ExportReader(Stream stream) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Bytes { get; private set; }

    public byte[] Raw(int count, bool hash = true)
    {
        var bytes = new byte[count];
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new SnapshotFormatException("the export stream ends early (truncated?)", e);
        }
        if (hash) _hash.AppendData(bytes);
        Bytes += count;
        return bytes;
    }

    /// <summary>The next record's tag and payload; for the end record the digest of everything before it is checked.</summary>
    public (byte Tag, byte[] Payload) Next()
    {
        var head = Raw(5, hash: false);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(1));
        if (length > ExportFormat.MaxRecord) throw new SnapshotFormatException($"an export record of {length} bytes is too large (damaged stream?)");
        if (head[0] == ExportFormat.EndTag)
        {
            var expected = _hash.GetHashAndReset();
            var payload = Raw((int)length, hash: false);
            if (payload.Length != 48 || !payload.AsSpan(16).SequenceEqual(expected))
                throw new SnapshotFormatException("the export stream's checksum does not match its contents (damaged stream)");
            return (head[0], payload);
        }
        _hash.AppendData(head);
        return (head[0], Raw((int)length));
    }

    public void Dispose() => _hash.Dispose();
}
