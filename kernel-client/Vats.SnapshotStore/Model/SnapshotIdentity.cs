namespace Vats.SnapshotStore;

/// <summary>
/// What a snapshot can only be restored with, part of its root: the engine (the QuickJS wasm's SHA-256 and the
/// runtime's version) and the worker's boot bundles (their hashes, in boot order).
/// </summary>
/// <param name="EngineSha256">The SHA-256 of the engine binary (e.g. <c>QuickJsBinary.Sha256</c>).</param>
/// <param name="RuntimeVersion">The version of the runtime and engine snapshot format that wrote the state.</param>
/// <param name="BootBundleHashes">The boot bundles' hashes (lockdown, supervisor), in boot order.</param>
public sealed record SnapshotIdentity(string EngineSha256, string RuntimeVersion, IReadOnlyList<string> BootBundleHashes)
{
    /// <summary>Value equality, the bundle hashes compared in order.</summary>
    public bool Equals(SnapshotIdentity? other) =>
        other is not null && EngineSha256 == other.EngineSha256 && RuntimeVersion == other.RuntimeVersion &&
        BootBundleHashes.SequenceEqual(other.BootBundleHashes, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EngineSha256, RuntimeVersion, BootBundleHashes.Count);
}
