namespace Vats.SnapshotStore;

/// <summary>
/// A memory page of a delta save: its index and either its new bytes (exactly one page) or, when
/// <see cref="IsPatch"/>, a <see cref="Vats.Protocol.SparsePatch"/> that turns the parent snapshot's page at that index
/// (zero beyond the parent's memory) into the new one — what a worker's delta checkpoint sends.
/// </summary>
/// <param name="Index">The page's index: its byte offset divided by the page size.</param>
/// <param name="Bytes">The page's new contents, or the patch.</param>
/// <param name="IsPatch">True when <paramref name="Bytes"/> is a patch against the parent's page.</param>
public readonly record struct PageChange(int Index, ReadOnlyMemory<byte> Bytes, bool IsPatch = false)
{
    /// <summary>A page given as a patch against the parent snapshot's page at <paramref name="index"/>.</summary>
    public static PageChange Patched(int index, ReadOnlyMemory<byte> patch) => new(index, patch, IsPatch: true);
}
