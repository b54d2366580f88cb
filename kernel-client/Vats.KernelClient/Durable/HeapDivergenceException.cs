using Vats.SnapshotStore;

namespace Vats.KernelClient.Durable;

/// <summary>
/// A replay made every recorded syscall, but the heap it reached differs from the stored snapshot at that position:
/// the engine or the worker is not deterministic, or the snapshot was taken by another build.
/// </summary>
public sealed class HeapDivergenceException : VatWorkerException
{
    /// <summary>Creates the exception.</summary>
    public HeapDivergenceException(string vatId, long position, SnapshotRoot stored, SnapshotRoot replayed)
        : base($"vat {vatId}: the heap replayed to delivery {position} is not the stored snapshot's (stored root {stored}, replayed {replayed})")
    {
        VatId = vatId;
        Position = position;
        Stored = stored;
        Replayed = replayed;
    }

    /// <summary>The vat.</summary>
    public string VatId { get; }

    /// <summary>The position of the snapshot compared.</summary>
    public long Position { get; }

    /// <summary>The stored snapshot's root.</summary>
    public SnapshotRoot Stored { get; }

    /// <summary>The root of the replayed heap.</summary>
    public SnapshotRoot Replayed { get; }
}
