namespace Vats.SnapshotStore;

/// <summary>A database or export stream this build cannot use: another format version or page size, a damaged or truncated stream.</summary>
public sealed class SnapshotFormatException : SnapshotStoreException
{
    /// <summary>An error saying what is wrong.</summary>
    public SnapshotFormatException(string message, Exception? inner = null) : base(message, inner ?? new InvalidDataException(message)) { }
}
