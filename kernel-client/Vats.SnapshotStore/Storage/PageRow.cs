namespace Vats.SnapshotStore.Storage;

/// <summary>A stored page: the first 8 bytes of its SHA-256 (big-endian), its base (0: none), depth, codec and data.</summary>
internal sealed record PageRow(long Id, long Key, long Base, int Depth, byte Codec, byte[] Data);

/// <summary>How a page's bytes are stored.</summary>
internal static class PageCodec
{
    /// <summary>The page itself (it did not compress).</summary>
    public const byte Raw = 0;

    /// <summary>An LZ4 block of the page.</summary>
    public const byte Lz4 = 1;

    /// <summary>A <see cref="Vats.Protocol.SparsePatch"/> against the base page.</summary>
    public const byte Patch = 2;
}
