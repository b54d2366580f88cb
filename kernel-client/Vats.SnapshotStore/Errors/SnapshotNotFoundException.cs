namespace Vats.SnapshotStore;

/// <summary>No such snapshot is stored (or no snapshot of the vat).</summary>
public sealed class SnapshotNotFoundException : SnapshotStoreException
{
    /// <summary>An error naming what was looked for.</summary>
    public SnapshotNotFoundException(string message, SnapshotRoot? root = null, string? vatId = null) : base(message)
    {
        Root = root;
        VatId = vatId;
    }

    /// <summary>The root looked for, if by root.</summary>
    public SnapshotRoot? Root { get; }

    /// <summary>The vat looked for, if by vat.</summary>
    public string? VatId { get; }
}
