namespace Vats.Protocol;

/// <summary>
/// The sparse patch: how a new version of a page (or any buffer) differs from its base of the same length, as the
/// runs of bytes that differ — each written as (bytes skipped since the previous run, run length, the new bytes) with
/// LEB128 numbers. Runs closer than <see cref="MergeGap"/> equal bytes are merged (two headers cost more than a few
/// repeated bytes). Applying a patch to a copy of the base gives the new version. The worker sends a delta checkpoint's
/// pages in this form and the snapshot store keeps them in it, so a patch crosses the socket and lands in the store
/// unchanged.
/// </summary>
public static class SparsePatch
{
    /// <summary>Equal bytes between two differing runs below which the runs are written as one.</summary>
    public const int MergeGap = 4;

    /// <summary>
    /// A size no patch of a buffer of <paramref name="length"/> bytes exceeds (a run's header costs at most the equal
    /// bytes it skips, except for the first run and for runs of a megabyte or more).
    /// </summary>
    public static int MaxLength(int length) => checked(length + length / 2 + 16);

    /// <summary>Encodes the difference of <paramref name="next"/> from <paramref name="base"/> (same length).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> next, ReadOnlySpan<byte> @base)
    {
        Span<byte> small = next.Length <= 1024 ? stackalloc byte[MaxLength(next.Length)] : default;
        var buffer = small.IsEmpty ? new byte[MaxLength(next.Length)] : small;
        return buffer[..Encode(next, @base, buffer)].ToArray();
    }

    /// <summary>
    /// Encodes the difference of <paramref name="next"/> from <paramref name="base"/> (same length) into
    /// <paramref name="destination"/> (at least <see cref="MaxLength"/> of the length); returns the bytes written.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> next, ReadOnlySpan<byte> @base, Span<byte> destination)
    {
        if (next.Length != @base.Length) throw new ArgumentException($"a patch needs equal lengths ({next.Length} and {@base.Length})", nameof(@base));
        if (destination.Length < MaxLength(next.Length)) throw new ArgumentException("the destination is shorter than the longest patch", nameof(destination));
        var n = next.Length;
        var written = 0;
        var last = 0;
        var i = 0;
        while (i < n)
        {
            var start = i + next[i..].CommonPrefixLength(@base[i..]);
            if (start >= n) break;
            var end = start;
            while (true)
            {
                // Differing bytes come in short runs (a pointer, a count): a byte loop finds their end sooner than a
                // vectorized search started at each byte.
                while (end < n && next[end] != @base[end]) end++;
                if (end >= n) break;
                var same = next[end..].CommonPrefixLength(@base[end..]);
                if (end + same >= n || same >= MergeGap) break;
                end += same;
            }
            written += WriteVarUInt(destination[written..], (uint)(start - last));
            written += WriteVarUInt(destination[written..], (uint)(end - start));
            next[start..end].CopyTo(destination[written..]);
            written += end - start;
            last = end;
            i = end;
        }
        return written;
    }

    /// <summary>
    /// Applies <paramref name="patch"/> in place to <paramref name="target"/>, which holds the base; throws
    /// <see cref="InvalidDataException"/> when the patch is malformed or writes outside the target.
    /// </summary>
    public static void Apply(ReadOnlySpan<byte> patch, Span<byte> target)
    {
        var read = 0;
        var at = 0L;
        while (read < patch.Length)
        {
            at += (long)ReadVarUInt(patch, ref read);
            var length = (long)ReadVarUInt(patch, ref read);
            if (length == 0 || at + length > target.Length) throw new InvalidDataException("a patch run lies outside its page");
            if (length > patch.Length - read) throw new InvalidDataException("a patch ends inside a run");
            patch.Slice(read, (int)length).CopyTo(target[(int)at..]);
            read += (int)length;
            at += length;
        }
    }

    private static int WriteVarUInt(Span<byte> destination, uint value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[n++] = (byte)value;
        return n;
    }

    private static ulong ReadVarUInt(ReadOnlySpan<byte> bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= bytes.Length) throw new InvalidDataException("a patch ends inside a number");
            var b = bytes[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("a patch's number is too long");
    }
}
