using System.Buffers.Binary;

namespace Vats.Protocol;

/// <summary>
/// The bytes a worker writes for a heap snapshot (<c>w</c>) and reads back (<c>-r</c>, or <see cref="Tags.LoadSnapshot"/>):
/// a 20-byte header — magic <c>VATSWSNP</c>, u32 format version, u64 body length (little-endian) — and the engine
/// snapshot as the body. xsnap's parent never closes the stream it restores from, so the format must say where it
/// ends; the body carries its own SHA-256.
/// </summary>
public static class WorkerSnapshot
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Size of the header before the engine snapshot.</summary>
    public const int HeaderSize = 20;

    private static ReadOnlySpan<byte> Magic => "VATSWSNP"u8;

    /// <summary>Size of the whole snapshot for a body of <paramref name="bodyLength"/> bytes.</summary>
    public static long SizeFor(long bodyLength) => HeaderSize + bodyLength;

    /// <summary>The header for a body of <paramref name="bodyLength"/> bytes.</summary>
    public static byte[] Header(long bodyLength)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), bodyLength);
        return header;
    }

    /// <summary>The whole snapshot: header and body.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> engineSnapshot)
    {
        var result = new byte[HeaderSize + engineSnapshot.Length];
        Header(engineSnapshot.Length).CopyTo(result, 0);
        engineSnapshot.CopyTo(result.AsSpan(HeaderSize));
        return result;
    }

    /// <summary>The body's length, from a header; throws <see cref="ProtocolException"/> for anything else.</summary>
    public static long ReadHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize) throw new ProtocolException($"a worker snapshot starts with a {HeaderSize}-byte header; only {header.Length} bytes came");
        if (!header[..8].SequenceEqual(Magic)) throw new ProtocolException("not a Vats worker snapshot (its first 8 bytes are not VATSWSNP)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion) throw new ProtocolException($"worker snapshot format {version} is not supported (this build reads {FormatVersion})");
        var length = BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
        if (length is <= 0 or > int.MaxValue) throw new ProtocolException($"a worker snapshot body of {length} bytes is out of range");
        return length;
    }

    /// <summary>The engine snapshot inside a whole worker snapshot (checked to end exactly where the header says).</summary>
    public static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> snapshot)
    {
        var length = ReadHeader(snapshot);
        if (snapshot.Length - HeaderSize != length)
            throw new ProtocolException($"a worker snapshot's header announces {length} bytes but {snapshot.Length - HeaderSize} follow it");
        return snapshot[HeaderSize..];
    }

    /// <summary>
    /// Reads exactly one snapshot from <paramref name="stream"/> (which may stay open and never end) and returns its
    /// engine snapshot.
    /// </summary>
    public static byte[] ReadFrom(Stream stream)
    {
        var header = new byte[HeaderSize];
        ReadExactly(stream, header);
        var body = new byte[ReadHeader(header)];
        ReadExactly(stream, body);
        return body;
    }

    private static void ReadExactly(Stream stream, byte[] target)
    {
        var read = stream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
        if (read < target.Length) throw new ProtocolException($"the snapshot stream ended after {read} of {target.Length} bytes");
    }
}
