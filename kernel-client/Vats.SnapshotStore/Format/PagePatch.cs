namespace Vats.SnapshotStore.Format;

/// <summary>
/// A sparse patch: the runs of bytes where a new version differs from its base, as (bytes skipped since the previous
/// run, run length, the new bytes) with varint numbers. Runs closer than <see cref="MergeGap"/> equal bytes are merged
/// (two headers cost more than a few repeated bytes). Applying it to a copy of the base gives the new version.
/// </summary>
internal static class PagePatch
{
    private const int MergeGap = 4;

    /// <summary>Encodes the difference of <paramref name="next"/> from <paramref name="base"/> (same length).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> next, ReadOnlySpan<byte> @base)
    {
        var writer = new ByteWriter(64);
        var n = next.Length;
        var last = 0;
        var i = 0;
        while (i < n)
        {
            var start = i + next[i..].CommonPrefixLength(@base[i..]);
            if (start >= n) break;
            var end = start;
            while (end < n)
            {
                var same = next[end..].CommonPrefixLength(@base[end..]);
                if (same == 0) { end++; continue; }
                if (end + same >= n || same >= MergeGap) break;
                end += same;
            }
            writer.VarUInt((ulong)(start - last));
            writer.VarUInt((ulong)(end - start));
            writer.Bytes(next[start..end]);
            last = end;
            i = end;
        }
        return writer.ToArray();
    }

    /// <summary>Applies a patch in place to <paramref name="target"/>, which holds the base.</summary>
    public static void Apply(ReadOnlySpan<byte> patch, Span<byte> target)
    {
        var reader = new ByteReader(patch);
        var at = 0L;
        while (!reader.AtEnd)
        {
            at += (long)reader.VarUInt();
            var length = (long)reader.VarUInt();
            if (length == 0 || at + length > target.Length) throw new InvalidDataException("a patch run lies outside its page");
            reader.Bytes((int)length).CopyTo(target[(int)at..]);
            at += length;
        }
    }
}
