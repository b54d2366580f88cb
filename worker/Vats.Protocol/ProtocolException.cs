namespace Vats.Protocol;

/// <summary>Bytes on the wire that break xsnap's framing or the message rules: what was wrong, and where.</summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="offset">Byte offset in the stream where it was found, or -1 when not applicable.</param>
    public ProtocolException(string message, long offset = -1)
        : base(offset >= 0 ? $"{message} (at byte {offset} of the stream)" : message)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the stream where the problem was found, or -1.</summary>
    public long Offset { get; }
}
