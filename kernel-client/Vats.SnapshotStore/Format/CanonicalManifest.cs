using System.Security.Cryptography;

namespace Vats.SnapshotStore.Format;

/// <summary>
/// The canonical manifest, whose SHA-256 is the snapshot's root. Little-endian, no timestamps, no local ids:
/// <code>
/// "VATSSNAP" | u32 format (1) | str engineSha256 | str runtimeVersion | u32 n | n × str bootBundleHash | str vatId
/// | i64 position | u32 pageSize | i64 memorySize | u32 stateLength | 32 stateSha256
/// | (memorySize / pageSize) × 32 pageSha256 (an all-zero page: 32 zero bytes)
/// </code>
/// where str is a u32 byte length and strict UTF-8.
/// </summary>
internal static class CanonicalManifest
{
    public const uint FormatVersion = 1;
    public const int HashSize = 32;

    private static ReadOnlySpan<byte> Magic => "VATSSNAP"u8;

    /// <summary>
    /// The SHA-256 of the canonical manifest, hashed as its parts come (the page hashes of a 16 MiB heap are 128 KB,
    /// which a copy of the whole would allocate on every save).
    /// </summary>
    public static SnapshotRoot Root(ManifestHeader header, int pageSize, ReadOnlySpan<byte> pageHashes)
    {
        var writer = new ByteWriter(256);
        writer.Bytes(Magic);
        writer.UInt32(FormatVersion);
        writer.String(header.Identity.EngineSha256);
        writer.String(header.Identity.RuntimeVersion);
        writer.UInt32((uint)header.Identity.BootBundleHashes.Count);
        foreach (var hash in header.Identity.BootBundleHashes) writer.String(hash);
        writer.String(header.VatId);
        writer.Int64(header.Position);
        writer.UInt32((uint)pageSize);
        writer.Int64(header.MemorySize);
        writer.UInt32((uint)header.StateLength);
        writer.Bytes(header.StateHash);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(writer.Written);
        sha.AppendData(pageHashes);
        return new SnapshotRoot(sha.GetHashAndReset());
    }
}

/// <summary>Everything in a manifest but the page list.</summary>
internal sealed record ManifestHeader(string VatId, long Position, SnapshotIdentity Identity, long MemorySize, int StateLength, byte[] StateHash);
