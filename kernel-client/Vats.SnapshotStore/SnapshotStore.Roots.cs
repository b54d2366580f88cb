using System.Security.Cryptography;
using Vats.SnapshotStore.Format;

namespace Vats.SnapshotStore;

public sealed partial class SnapshotStore
{
    /// <summary>
    /// The root a snapshot of these contents would have, computed without storing anything: how a kernel checks that
    /// a replayed vat reached exactly the heap a stored snapshot holds.
    /// </summary>
    public SnapshotRoot RootOf(string vatId, long position, SnapshotIdentity identity, ReadOnlySpan<byte> state, ReadOnlySpan<byte> memory)
    {
        CheckHeader(vatId, position, identity);
        if (memory.Length % PageSize != 0) throw new ArgumentException($"the memory ({memory.Length} bytes) is not a whole number of {PageSize}-byte pages", nameof(memory));
        const int H = CanonicalManifest.HashSize;
        var pages = memory.Length / PageSize;
        var hashes = new byte[pages * H];
        for (var i = 0; i < pages; i++)
        {
            var page = memory.Slice(i * PageSize, PageSize);
            // An all-zero page is named by 32 zero bytes, as in every stored manifest.
            if (page.ContainsAnyExcept((byte)0)) SHA256.HashData(page, hashes.AsSpan(i * H, H));
        }
        var header = new ManifestHeader(vatId, position, identity, memory.Length, state.Length, SHA256.HashData(state));
        return CanonicalManifest.Root(header, PageSize, hashes);
    }
}
