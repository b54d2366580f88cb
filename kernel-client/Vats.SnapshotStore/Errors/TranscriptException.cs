namespace Vats.SnapshotStore;

/// <summary>A transcript entry out of order (its position not after the vat's last one).</summary>
public sealed class TranscriptException : SnapshotStoreException
{
    /// <summary>An error naming the vat and positions.</summary>
    public TranscriptException(string vatId, long position, long last)
        : base($"vat {vatId}: transcript entry {position} is not after the last entry {last}")
    {
        VatId = vatId;
        Position = position;
    }

    /// <summary>The vat.</summary>
    public string VatId { get; }

    /// <summary>The refused position.</summary>
    public long Position { get; }
}
