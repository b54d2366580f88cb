namespace Vats.SnapshotStore;

/// <summary>
/// A snapshot read back and verified (every page's hash, the state's hash and the root): ready for
/// <c>QuickJsEngine.Restore(State, Memory)</c>.
/// </summary>
/// <param name="Root">The snapshot's root.</param>
/// <param name="VatId">The vat.</param>
/// <param name="Position">The vat's position.</param>
/// <param name="Identity">The engine and boot bundles it needs.</param>
/// <param name="State">The engine state without memory.</param>
/// <param name="Memory">The whole linear memory.</param>
public sealed record LoadedSnapshot(SnapshotRoot Root, string VatId, long Position, SnapshotIdentity Identity, byte[] State, byte[] Memory);
