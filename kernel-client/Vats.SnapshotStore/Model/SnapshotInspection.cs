namespace Vats.SnapshotStore;

/// <summary>What one snapshot holds and how it is stored (<see cref="SnapshotStore.Inspect"/>).</summary>
/// <param name="Info">Which snapshot.</param>
/// <param name="Identity">The engine and boot bundles it needs.</param>
/// <param name="StateBytes">Size of the engine state.</param>
/// <param name="Pages">Pages of its memory (<c>MemorySize / PageSize</c>).</param>
/// <param name="NonZeroPages">Pages that are not all zero (the others are not stored).</param>
/// <param name="DistinctPages">Distinct stored pages it uses.</param>
/// <param name="SharedWithOtherSnapshots">Of those, pages also used by another snapshot of the same vat.</param>
/// <param name="SharedWithOtherVats">Of those, pages also used by a snapshot of another vat.</param>
/// <param name="StandalonePages">Distinct pages stored whole (compressed).</param>
/// <param name="DeltaPages">Distinct pages stored as patches.</param>
/// <param name="MaxDeltaDepth">The longest patch chain among its pages.</param>
/// <param name="MeanDeltaDepth">The mean patch depth of its pages.</param>
/// <param name="PageDataBytes">Stored bytes of its pages, each counted once (without their bases).</param>
/// <param name="ManifestBytes">Stored bytes of its manifest record.</param>
/// <param name="ManifestDepth">How many manifests its manifest is stored against (0: stored whole).</param>
public sealed record SnapshotInspection(SnapshotInfo Info, SnapshotIdentity Identity, int StateBytes, int Pages, int NonZeroPages, int DistinctPages,
    int SharedWithOtherSnapshots, int SharedWithOtherVats, int StandalonePages, int DeltaPages, int MaxDeltaDepth, double MeanDeltaDepth,
    long PageDataBytes, long ManifestBytes, int ManifestDepth);
