namespace Vats.SnapshotStore;

/// <summary>A vat already has a different snapshot at that position: its history diverged from the stored one.</summary>
public sealed class SnapshotConflictException : SnapshotStoreException
{
    /// <summary>An error naming both snapshots.</summary>
    public SnapshotConflictException(string vatId, long position, SnapshotRoot existing, SnapshotRoot attempted)
        : base($"vat {vatId} already has snapshot {existing} at position {position}; refusing {attempted}")
    {
        VatId = vatId;
        Position = position;
        Existing = existing;
        Attempted = attempted;
    }

    /// <summary>The vat.</summary>
    public string VatId { get; }

    /// <summary>The position.</summary>
    public long Position { get; }

    /// <summary>The snapshot stored there.</summary>
    public SnapshotRoot Existing { get; }

    /// <summary>The snapshot that was refused.</summary>
    public SnapshotRoot Attempted { get; }
}
