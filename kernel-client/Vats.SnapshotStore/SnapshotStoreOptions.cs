namespace Vats.SnapshotStore;

/// <summary>How a <see cref="SnapshotStore"/> lays out, compresses and keeps what it stores. One object for every setting.</summary>
public sealed record SnapshotStoreOptions
{
    /// <summary>Bytes per memory page: a power of two from 1 KiB to 64 KiB (default 4 KiB, the worker's checkpoint page). Fixed when the database is created.</summary>
    public int PageSize { get; init; } = 4096;

    /// <summary>
    /// The longest chain of page deltas: a page stored as a patch against the previous version of the same page at
    /// depth d+1; at the bound the patch is made against the chain's first (standalone) version instead, at depth 1,
    /// or the page is stored standalone when that patch is too large. 0 stores every page standalone. Default 64.
    /// </summary>
    public int MaxDeltaChain { get; init; } = 64;

    /// <summary>
    /// Every new patch page whose depth is a multiple of this is also kept whole as the vat's copy of that page (in the
    /// files beside the database, <c>{database}-copies/</c>), replacing the previous one, so that loading a recent
    /// snapshot reads fewer than this many patches per page. 0 keeps no copies (loads walk whole chains). Default 1:
    /// a vat's latest snapshot loads from its copies alone.
    /// </summary>
    public int HeadInterval { get; init; } = 1;

    /// <summary>The longest chain of manifests stored as changes against their parent's; then one is stored whole. Default 64.</summary>
    public int MaxManifestChain { get; init; } = 64;

    /// <summary>
    /// LZ4 level of the standalone pages of a whole save (a vat's first snapshot: the boot image every load decodes),
    /// of whole manifests and of states: 0 fast, 3–12 high compression (default 9). Decoding speed is the same for all.
    /// </summary>
    public int CompressionLevel { get; init; } = 9;

    /// <summary>
    /// LZ4 level of the pages a delta save stores standalone (those changed too much for a patch): default 0, the fast
    /// mode. High compression costs ≈ 0.24 ms a page, about 7 pages (1.7 ms) a counter-vat checkpoint, for ≈ 1.7 %
    /// fewer bytes.
    /// </summary>
    public int DeltaCompressionLevel { get; init; }

    /// <summary>What happens to transcript entries a new snapshot covers (default: keep them all).</summary>
    public TranscriptRetention TranscriptRetention { get; init; } = TranscriptRetention.KeepAll;

    /// <summary>
    /// Bytes of memory images the store keeps to make the next delta save cheap (the last saved or loaded snapshot of
    /// each vat, least recently used dropped first). A delta save whose parent is not kept reads the parent back first.
    /// Default 512 MiB.
    /// </summary>
    public long TipCacheBytes { get; init; } = 512L << 20;

    /// <summary>Also keep the memory image of a loaded snapshot for delta saves after it (a copy of the memory). Default true.</summary>
    public bool CacheLoadedSnapshots { get; init; } = true;

    /// <summary>
    /// SQLite <c>synchronous=FULL</c> instead of <c>NORMAL</c>: a committed save also survives a power loss, not only a
    /// process crash. Default false (in WAL mode a crash of the process never loses or tears a committed save).
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>Threads that decode and verify pages on load (default: the processor count). The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    internal void Validate()
    {
        if (PageSize < 1024 || PageSize > 65536 || (PageSize & (PageSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, "the page size must be a power of two from 1024 to 65536");
        if (MaxDeltaChain is < 0 or > 1000) throw new ArgumentOutOfRangeException(nameof(MaxDeltaChain), MaxDeltaChain, "from 0 to 1000");
        if (HeadInterval is < 0 or > 1000) throw new ArgumentOutOfRangeException(nameof(HeadInterval), HeadInterval, "from 0 to 1000");
        if (MaxManifestChain is < 0 or > 1000) throw new ArgumentOutOfRangeException(nameof(MaxManifestChain), MaxManifestChain, "from 0 to 1000");
        if (CompressionLevel is < 0 or > 12) throw new ArgumentOutOfRangeException(nameof(CompressionLevel), CompressionLevel, "from 0 to 12");
        if (DeltaCompressionLevel is < 0 or > 12) throw new ArgumentOutOfRangeException(nameof(DeltaCompressionLevel), DeltaCompressionLevel, "from 0 to 12");
        if (TipCacheBytes < 0) throw new ArgumentOutOfRangeException(nameof(TipCacheBytes), TipCacheBytes, "not negative");
        if (MaxDegreeOfParallelism < 1) throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "at least 1");
    }
}

/// <summary>Whether saving a snapshot drops the transcript entries it covers.</summary>
public enum TranscriptRetention
{
    /// <summary>Keep every transcript entry (until <see cref="SnapshotStore.PruneTranscript"/>).</summary>
    KeepAll,

    /// <summary>Delete a vat's entries at or before the position of each new snapshot of it: only what replay needs stays.</summary>
    PruneCoveredBySnapshot,
}
