namespace Vats.SnapshotStore;

/// <summary>What a save stored.</summary>
/// <param name="Root">The new snapshot's root.</param>
/// <param name="VatId">The vat.</param>
/// <param name="Position">The vat's position (delivery number) the snapshot is at.</param>
/// <param name="PagesChanged">Pages whose contents differ from the parent's (every non-zero page for a full save).</param>
/// <param name="PagesFound">Changed pages found already stored by content (stored by another snapshot or vat).</param>
/// <param name="PagesWritten">Pages stored anew.</param>
/// <param name="PagesAsDeltas">Of those, pages stored as patches against another page.</param>
/// <param name="BytesWritten">Bytes of page, manifest and state data written (SQLite's own overhead not included).</param>
/// <param name="AlreadyStored">True when this very snapshot (same root at the same vat and position) was already there.</param>
public sealed record SaveResult(SnapshotRoot Root, string VatId, long Position, int PagesChanged, int PagesFound, int PagesWritten, int PagesAsDeltas,
    long BytesWritten, bool AlreadyStored);
