namespace Vats.Protocol;

/// <summary>
/// Reads netstrings (<c>LENGTH:PAYLOAD,</c>, the framing of every xsnap message) from a byte stream, through one
/// buffer, synchronously (the worker, which blocks while a command runs) or asynchronously (the kernel client). A
/// message may arrive split across reads, or several in one read. Malformed input throws
/// <see cref="ProtocolException"/> naming what was wrong and the byte offset in the stream.
/// </summary>
public sealed class NetstringReader
{
    /// <summary>Most digits a length prefix may have: xsnap's worker reads it with <c>%9lu</c>.</summary>
    public const int MaxLengthDigits = 9;

    private readonly Stream _stream;
    private readonly Func<byte, long> _limitForTag;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _consumed;

    /// <summary>Creates a reader of <paramref name="stream"/> accepting messages of at most <paramref name="maxLength"/> bytes.</summary>
    public NetstringReader(Stream stream, long maxLength = 999_999_999)
        : this(stream, _ => maxLength)
    {
    }

    /// <summary>
    /// Creates a reader whose size limit depends on the message's first byte, its type tag (a snapshot frame may be
    /// far larger than any command). The limit is applied before the payload is read.
    /// </summary>
    public NetstringReader(Stream stream, Func<byte, long> limitForTag)
    {
        _stream = stream;
        _limitForTag = limitForTag;
        _buffer = new byte[64 * 1024];
    }

    /// <summary>Bytes of the stream consumed by the messages read so far.</summary>
    public long Position => _consumed;

    /// <summary>Reads the next message; null at a clean end of stream (between messages).</summary>
    public byte[]? Read()
    {
        for (;;)
        {
            if (TryParse(out var message)) return message;
            if (_large is { } large && _largeFilled < large.Length) FillLarge(_stream.Read(large.AsSpan(_largeFilled)));
            else if (!Fill(_stream.Read(FreeSpace()))) return null;
        }
    }

    /// <summary>Reads the next message asynchronously; null at a clean end of stream (between messages).</summary>
    public async ValueTask<byte[]?> ReadAsync(CancellationToken cancellationToken = default)
    {
        for (;;)
        {
            if (TryParse(out var message)) return message;
            if (_large is { } large && _largeFilled < large.Length)
                FillLarge(await _stream.ReadAsync(large.AsMemory(_largeFilled), cancellationToken).ConfigureAwait(false));
            else if (!Fill(await _stream.ReadAsync(FreeMemory(), cancellationToken).ConfigureAwait(false))) return null;
        }
    }

    /// <summary>
    /// Messages from this size on (snapshots, checkpoints) are read straight into an array of their own rather than
    /// through the buffer and copied out: megabytes copied, and allocated and faulted in, once instead of twice.
    /// </summary>
    internal const int LargeMessageBytes = 1 << 20;

    // A parsed length prefix waiting for its payload: (payload length, bytes of the prefix incl. ':').
    private (int Length, int PrefixBytes)? _pending;

    // A large message's own array and how much of it has arrived.
    private byte[]? _large;
    private int _largeFilled;

    private void FillLarge(int read)
    {
        if (read <= 0)
            throw new ProtocolException($"the stream ended inside a message ({_largeFilled} of its {_large!.Length} bytes received)", _consumed);
        _largeFilled += read;
    }

    private bool TryParse(out byte[]? message)
    {
        message = null;
        if (_large is { } large)
        {
            // The payload is in; the comma comes through the buffer.
            if (_largeFilled < large.Length || _end == _start) return false;
            var (_, prefix) = _pending!.Value;
            var end = _buffer[_start];
            if (end != (byte)',')
                throw new ProtocolException($"expected ',' after a {large.Length}-byte message, found {Describe(end)}", _consumed + prefix + large.Length);
            _start++;
            _consumed += prefix + large.Length + 1;
            _pending = null;
            _large = null;
            if (_start == _end) _start = _end = 0;
            message = large;
            return true;
        }
        var available = _end - _start;
        if (_pending is null)
        {
            var prefix = ParsePrefix(_buffer.AsSpan(_start, available));
            if (prefix is null) return false;
            _pending = prefix;
        }
        var (length, prefixBytes) = _pending.Value;
        if (length > 0 && available > prefixBytes)
        {
            var tag = _buffer[_start + prefixBytes];
            var limit = _limitForTag(tag);
            if (length > limit)
                throw new ProtocolException($"a message of {length} bytes (type '{Printable(tag)}') exceeds the limit of {limit} bytes", _consumed);
        }
        var total = prefixBytes + length + 1;
        if (available < total)
        {
            if (length >= LargeMessageBytes)
            {
                // Its type tag is needed first (for the limit above).
                if (available == prefixBytes) return false;
                // Everything buffered after the prefix belongs to the payload (the message is not complete).
                _large = GC.AllocateUninitializedArray<byte>(length);
                _largeFilled = available - prefixBytes;
                _buffer.AsSpan(_start + prefixBytes, _largeFilled).CopyTo(_large);
                _start = _end = 0;
                return false;
            }
            EnsureCapacity(total);
            return false;
        }
        var comma = _buffer[_start + total - 1];
        if (comma != (byte)',')
            throw new ProtocolException($"expected ',' after a {length}-byte message, found {Describe(comma)}", _consumed + total - 1);
        message = _buffer.AsSpan(_start + prefixBytes, length).ToArray();
        _start += total;
        _consumed += total;
        _pending = null;
        if (_start == _end) _start = _end = 0;
        return true;
    }

    /// <summary>Parses <c>DIGITS:</c>; null when more bytes are needed.</summary>
    private (int Length, int PrefixBytes)? ParsePrefix(ReadOnlySpan<byte> bytes)
    {
        long length = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == (byte)':')
            {
                if (i == 0) throw new ProtocolException("a netstring length prefix is empty", _consumed);
                return ((int)length, i + 1);
            }
            if (b is < (byte)'0' or > (byte)'9')
                throw new ProtocolException($"expected a digit or ':' in a netstring length prefix, found {Describe(b)}", _consumed + i);
            if (i == MaxLengthDigits)
                throw new ProtocolException($"a netstring length prefix has more than {MaxLengthDigits} digits", _consumed);
            length = length * 10 + (b - '0');
        }
        return null;
    }

    private bool Fill(int read)
    {
        if (read > 0)
        {
            _end += read;
            return true;
        }
        if (_end == _start && _large is null) return false;
        if (_large is not null)
            throw new ProtocolException($"the stream ended inside a message (its {_large.Length} bytes received, not its ',')", _consumed);
        throw new ProtocolException($"the stream ended inside a message ({_end - _start} bytes of it received)", _consumed);
    }

    private Span<byte> FreeSpace()
    {
        Compact();
        return _buffer.AsSpan(_end);
    }

    private Memory<byte> FreeMemory()
    {
        Compact();
        return _buffer.AsMemory(_end);
    }

    /// <summary>Moves the unread bytes to the front, and makes room when the buffer is full.</summary>
    private void Compact()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) EnsureCapacity(_buffer.Length * 2);
    }

    private void EnsureCapacity(int total)
    {
        if (_buffer.Length - _start >= total) return;
        var bigger = new byte[Math.Max(total, Math.Min(_buffer.Length * 2, Array.MaxLength))];
        Buffer.BlockCopy(_buffer, _start, bigger, 0, _end - _start);
        _end -= _start;
        _start = 0;
        _buffer = bigger;
    }

    private static string Describe(byte b) => b is >= 0x20 and < 0x7f ? $"'{(char)b}'" : $"byte 0x{b:x2}";

    private static string Printable(byte b) => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"0x{b:x2}";
}
