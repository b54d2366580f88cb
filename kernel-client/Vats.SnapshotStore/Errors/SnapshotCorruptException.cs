namespace Vats.SnapshotStore;

/// <summary>
/// Stored data does not match its hashes: a page (<see cref="PageIndex"/> set), the engine state, or the manifest.
/// The snapshot is unusable; others may still load.
/// </summary>
public sealed class SnapshotCorruptException : SnapshotStoreException
{
    /// <summary>An error naming the snapshot and, for a page, its index.</summary>
    public SnapshotCorruptException(string message, SnapshotRoot root, string? vatId, long? position, int? pageIndex, Exception? inner = null)
        : base(message, inner ?? new InvalidDataException(message))
    {
        Root = root;
        VatId = vatId;
        Position = position;
        PageIndex = pageIndex;
    }

    /// <summary>The snapshot.</summary>
    public SnapshotRoot Root { get; }

    /// <summary>Its vat, when the manifest could be read.</summary>
    public string? VatId { get; }

    /// <summary>Its position, when the manifest could be read.</summary>
    public long? Position { get; }

    /// <summary>The corrupt page's index; null when the state or the manifest is corrupt.</summary>
    public int? PageIndex { get; }
}
