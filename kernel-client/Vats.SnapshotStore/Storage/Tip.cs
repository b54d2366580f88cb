using Vats.SnapshotStore.Format;

namespace Vats.SnapshotStore.Storage;

/// <summary>
/// A snapshot held in memory for the next delta save: its manifest, the SHA-256 and stored depth of every page, and
/// the memory itself (the bases of the next patches).
/// </summary>
internal sealed class Tip
{
    public required SnapshotRoot Root { get; set; }
    public required long ManifestId { get; set; }
    public required int ManifestDepth { get; set; }
    public required ResolvedManifest Manifest { get; set; }
    public required byte[] Hashes { get; set; }
    public required int[] Depths { get; set; }

    /// <summary>
    /// Each page's chain start (the standalone page its patches lead back to), 0 where not known (a page loaded from
    /// a whole copy): a patch at the chain bound is made against it, and finding it in the database walks the chain.
    /// </summary>
    public required long[] Starts { get; set; }
    public required byte[] Memory { get; set; }

    /// <summary>A load's second copy of <see cref="Memory"/>, for the caller (not counted: handed out at once).</summary>
    public byte[]? Copy { get; set; }

    public long Bytes => Memory.Length + Hashes.Length + Depths.Length * 20L + Manifest.State.Length;

    /// <summary>A tip of nothing: every page zero (for a full save without a similar snapshot).</summary>
    public static Tip Empty(int pages, int pageSize) => new()
    {
        Root = default,
        ManifestId = 0,
        ManifestDepth = -1,
        Manifest = new ResolvedManifest(new ManifestHeader("", 0, new SnapshotIdentity("", "", []), (long)pages * pageSize, 0, new byte[32]), [], new long[pages]),
        Hashes = new byte[pages * CanonicalManifest.HashSize],
        Depths = new int[pages],
        Starts = new long[pages],
        Memory = new byte[(long)pages * pageSize],
    };
}

/// <summary>The tips kept, least recently used dropped first when over the byte budget.</summary>
internal sealed class TipCache(long budget)
{
    private readonly Dictionary<SnapshotRoot, LinkedListNode<Tip>> _byRoot = [];
    private readonly LinkedList<Tip> _order = new();
    private long _bytes;

    public Tip? Take(SnapshotRoot root)
    {
        if (!_byRoot.Remove(root, out var node)) return null;
        _order.Remove(node);
        _bytes -= node.Value.Bytes;
        return node.Value;
    }

    public bool Contains(SnapshotRoot root) => _byRoot.ContainsKey(root);

    public void Put(Tip tip)
    {
        Take(tip.Root);
        if (tip.Bytes > budget) return;
        _byRoot[tip.Root] = _order.AddFirst(tip);
        _bytes += tip.Bytes;
        while (_bytes > budget && _order.Last is { } last)
        {
            _order.RemoveLast();
            _byRoot.Remove(last.Value.Root);
            _bytes -= last.Value.Bytes;
        }
    }

    public void Clear()
    {
        _byRoot.Clear();
        _order.Clear();
        _bytes = 0;
    }
}
