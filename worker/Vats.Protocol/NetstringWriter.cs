using System.Buffers;
using System.Globalization;

namespace Vats.Protocol;

/// <summary>
/// Writes netstrings (<c>LENGTH:PAYLOAD,</c>). A message is a type tag followed by up to two payload parts, so a reply
/// such as <c>.</c> + meter JSON + <c>\x01</c> + bytes needs no concatenation by the caller. Small messages leave in one
/// write; the stream is flushed after each message, as xsnap flushes after each.
/// </summary>
public static class NetstringWriter
{
    /// <summary>Messages up to this size are assembled in one pooled buffer and written at once.</summary>
    private const int CoalesceLimit = 256 * 1024;

    /// <summary>
    /// The send buffer both ends of a worker's socket ask for (the system caps it at its maximum): snapshots and
    /// checkpoints are megabytes, and go in fewer, larger writes than with the default's ~200 KB, each waking the reader.
    /// </summary>
    public const int SocketSendBufferBytes = 4 << 20;

    /// <summary>Writes <paramref name="tag"/> + <paramref name="first"/> + <paramref name="second"/> as one netstring.</summary>
    public static void Write(Stream stream, byte tag, ReadOnlySpan<byte> first = default, ReadOnlySpan<byte> second = default)
    {
        var length = 1 + first.Length + second.Length;
        Span<byte> prefix = stackalloc byte[12];
        var prefixLength = Prefix(length, prefix);
        if (length <= CoalesceLimit)
        {
            var total = prefixLength + length + 1;
            var buffer = ArrayPool<byte>.Shared.Rent(total);
            try
            {
                var span = buffer.AsSpan(0, total);
                prefix[..prefixLength].CopyTo(span);
                span[prefixLength] = tag;
                first.CopyTo(span[(prefixLength + 1)..]);
                second.CopyTo(span[(prefixLength + 1 + first.Length)..]);
                span[^1] = (byte)',';
                stream.Write(span);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        else
        {
            prefix[prefixLength] = tag;
            stream.Write(prefix[..(prefixLength + 1)]);
            stream.Write(first);
            stream.Write(second);
            stream.Write(","u8);
        }
        stream.Flush();
    }

    /// <summary>Writes <paramref name="tag"/> + <paramref name="payload"/> as one netstring, asynchronously.</summary>
    public static async ValueTask WriteAsync(Stream stream, byte tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var length = 1 + payload.Length;
        var header = new byte[12];
        var prefixLength = Prefix(length, header);
        header[prefixLength] = tag;
        if (length <= CoalesceLimit)
        {
            var total = prefixLength + length + 1;
            var buffer = ArrayPool<byte>.Shared.Rent(total);
            try
            {
                header.AsSpan(0, prefixLength + 1).CopyTo(buffer);
                payload.Span.CopyTo(buffer.AsSpan(prefixLength + 1));
                buffer[total - 1] = (byte)',';
                await stream.WriteAsync(buffer.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        else
        {
            await stream.WriteAsync(header.AsMemory(0, prefixLength + 1), cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(Comma, cancellationToken).ConfigureAwait(false);
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static readonly ReadOnlyMemory<byte> Comma = new[] { (byte)',' };

    /// <summary>Writes <c>LENGTH:</c> into <paramref name="target"/>; returns its size.</summary>
    private static int Prefix(int length, Span<byte> target)
    {
        if (!length.TryFormat(target, out var written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("netstring length did not fit its buffer");
        target[written] = (byte)':';
        return written + 1;
    }
}
