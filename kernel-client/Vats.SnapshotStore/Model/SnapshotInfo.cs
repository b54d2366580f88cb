namespace Vats.SnapshotStore;

/// <summary>A stored snapshot, as <see cref="SnapshotStore.List"/> names it.</summary>
/// <param name="Root">Its root.</param>
/// <param name="VatId">The vat.</param>
/// <param name="Position">The vat's position.</param>
/// <param name="MemorySize">Bytes of linear memory.</param>
/// <param name="SaveSequence">The order of saves in this store (larger is later; not part of the root).</param>
public sealed record SnapshotInfo(SnapshotRoot Root, string VatId, long Position, long MemorySize, long SaveSequence);
