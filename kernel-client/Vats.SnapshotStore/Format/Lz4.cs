using K4os.Compression.LZ4;

namespace Vats.SnapshotStore.Format;

/// <summary>LZ4 blocks (see RATIONALE.md for why LZ4: decoding speed on load).</summary>
internal static class Lz4
{
    /// <summary>Compresses; null when the result would not be smaller than the input.</summary>
    public static byte[]? Compress(ReadOnlySpan<byte> data, int level)
    {
        var target = new byte[LZ4Codec.MaximumOutputSize(data.Length)];
        var n = LZ4Codec.Encode(data, target, level == 0 ? LZ4Level.L00_FAST : (LZ4Level)Math.Clamp(level, 3, 12));
        return n <= 0 || n >= data.Length ? null : target[..n];
    }

    /// <summary>Decompresses exactly <c>target.Length</c> bytes, or throws.</summary>
    public static void Decompress(ReadOnlySpan<byte> data, Span<byte> target)
    {
        var n = LZ4Codec.Decode(data, target);
        if (n != target.Length) throw new InvalidDataException($"an LZ4 block decoded to {n} bytes, not {target.Length}");
    }
}
