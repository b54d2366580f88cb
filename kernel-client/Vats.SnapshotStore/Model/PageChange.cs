namespace Vats.SnapshotStore;

/// <summary>A memory page of a delta save: its index and its new bytes (exactly one page).</summary>
/// <param name="Index">The page's index: its byte offset divided by the page size.</param>
/// <param name="Bytes">The page's new contents.</param>
public readonly record struct PageChange(int Index, ReadOnlyMemory<byte> Bytes);
