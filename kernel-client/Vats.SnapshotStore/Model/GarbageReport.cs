namespace Vats.SnapshotStore;

/// <summary>What <see cref="SnapshotStore.CollectGarbage"/> removed and kept.</summary>
/// <param name="PagesDeleted">Stored pages no kept snapshot needs, deleted.</param>
/// <param name="PageBytesFreed">Their data bytes.</param>
/// <param name="ManifestsDeleted">Manifests no kept snapshot needs, deleted.</param>
/// <param name="ManifestBytesFreed">Their data bytes.</param>
/// <param name="PagesKept">Stored pages kept (used by a kept snapshot, or the base of such a page).</param>
/// <param name="BasePagesKept">Of those, pages kept only as the base of a patch.</param>
/// <param name="ManifestsKept">Manifests kept (of a kept snapshot, or the base of one).</param>
/// <param name="FileBytesBefore">Database file size before (main file and WAL).</param>
/// <param name="FileBytesAfter">Database file size after the freed pages were returned to the file system.</param>
public sealed record GarbageReport(int PagesDeleted, long PageBytesFreed, int ManifestsDeleted, long ManifestBytesFreed, int PagesKept, int BasePagesKept,
    int ManifestsKept, long FileBytesBefore, long FileBytesAfter);
