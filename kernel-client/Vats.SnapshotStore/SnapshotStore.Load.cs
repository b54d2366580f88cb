using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Vats.SnapshotStore.Format;
using Vats.SnapshotStore.Storage;

namespace Vats.SnapshotStore;

public sealed partial class SnapshotStore
{
    /// <summary>
    /// Reads snapshot <paramref name="root"/> back: the engine state and the whole memory, after checking every page's
    /// SHA-256, the state's and the root. Throws <see cref="SnapshotNotFoundException"/> or
    /// <see cref="SnapshotCorruptException"/> (naming the page index when a page is damaged).
    /// </summary>
    public LoadedSnapshot Load(SnapshotRoot root)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!IsSnapshot(null, root)) throw new SnapshotNotFoundException($"no snapshot {root} is stored", root);
            var tip = LoadTip(null, root, useHeads: true);
            var memory = tip.Memory;
            if (Options.CacheLoadedSnapshots)
            {
                memory = (byte[])tip.Memory.Clone();
                _tips.Put(tip);
            }
            var h = tip.Manifest.Header;
            return new LoadedSnapshot(root, h.VatId, h.Position, h.Identity, (byte[])tip.Manifest.State.Clone(), memory);
        }
    }

    /// <summary>Reads the vat's latest snapshot (the highest position) back, verified as <see cref="Load"/> does; null when the vat has none.</summary>
    public LoadedSnapshot? LoadLatest(string vatId)
    {
        lock (_gate)
        {
            var latest = Latest(vatId);
            return latest is null ? null : Load(latest.Root);
        }
    }

    /// <summary>The vat's latest snapshot (the highest position), or null.</summary>
    public SnapshotInfo? Latest(string vatId)
    {
        ArgumentException.ThrowIfNullOrEmpty(vatId);
        lock (_gate)
        {
            ThrowIfDisposed();
            return ListIn(null, "WHERE s.vat = $v ORDER BY s.position DESC LIMIT 1", ("$v", vatId)).FirstOrDefault();
        }
    }

    private bool IsSnapshot(SqliteTransaction? tx, SnapshotRoot root) =>
        _db.Scalar<long>("SELECT count(*) FROM snapshots s JOIN manifests m ON m.id = s.manifest WHERE m.root = $r", tx, ("$r", root.Bytes.ToArray())) > 0;

    /// <summary>
    /// Checks snapshot <paramref name="root"/> as <see cref="Load"/> does, but always through the stored pages and
    /// their patch chains (a load of a vat's latest snapshot reads the whole copies kept for it instead).
    /// </summary>
    public void Verify(SnapshotRoot root)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!IsSnapshot(null, root)) throw new SnapshotNotFoundException($"no snapshot {root} is stored", root);
            LoadTip(null, root, useHeads: false);
        }
    }

    /// <summary>Reads and verifies a snapshot into a new tip: through the vat's whole page copies where its chains meet them, else the chains alone.</summary>
    private Tip LoadTip(SqliteTransaction? tx, SnapshotRoot root, bool useHeads)
    {
        if (useHeads)
        {
            try
            {
                return LoadTipIn(tx, root, useHeads: true);
            }
            catch (SnapshotCorruptException)
            {
                // A damaged or stale copy is only a cache: the chains decide.
            }
        }
        return LoadTipIn(tx, root, useHeads: false);
    }

    /// <summary>Reads and verifies a snapshot (with the vat's page copies when <paramref name="useHeads"/>).</summary>
    private Tip LoadTipIn(SqliteTransaction? tx, SnapshotRoot root, bool useHeads)
    {
        var row = _manifests.ByRoot(tx, root) ?? throw new SnapshotNotFoundException($"no snapshot {root} is stored", root);
        ResolvedManifest manifest;
        try
        {
            manifest = _manifests.Resolve(tx, row);
            if (manifest.Header.MemorySize != (long)manifest.PageIds.Length * PageSize)
                throw new InvalidDataException($"the manifest lists {manifest.PageIds.Length} pages for {manifest.Header.MemorySize} bytes of memory");
        }
        catch (InvalidDataException e)
        {
            throw new SnapshotCorruptException($"snapshot {root}: its manifest is damaged ({e.Message})", root, null, null, null, e);
        }
        var header = manifest.Header;
        string Where(int? page) => $"snapshot {root} (vat {header.VatId}, position {header.Position})" + (page is { } p ? $", page {p}" : "");

        var ids = manifest.PageIds;
        Dictionary<long, HeadStore.Head>? heads = null;
        if (useHeads)
        {
            heads = _heads.Read(tx, header.VatId);
            if (heads.Count == 0) heads = null;
        }
        Dictionary<long, PageRow> rows;
        try
        {
            rows = _pages.RowsWithChains(tx, ids.Where(id => id != 0), heads?.Keys.ToHashSet());
        }
        catch (SqliteException e)
        {
            throw new SnapshotCorruptException($"{Where(null)}: its pages cannot be read ({e.Message})", root, header.VatId, header.Position, null, e);
        }
        const int H = CanonicalManifest.HashSize;
        var memory = new byte[header.MemorySize];
        var hashes = new byte[ids.Length * H];
        var depths = new int[ids.Length];
        var firstBad = int.MaxValue;
        Exception? firstError = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism };
        Parallel.For(0, ids.Length, parallel, i =>
        {
            var id = ids[i];
            if (id == 0) return;
            var page = memory.AsSpan(i * PageSize, PageSize);
            var hash = hashes.AsSpan(i * H, H);
            Exception? error = null;
            try
            {
                long key;
                PageStore.Decode(id, rows, page, heads);
                if (heads is not null && heads.TryGetValue(id, out var head))
                {
                    key = head.Key;
                    depths[i] = head.Depth;
                }
                else
                {
                    var own = rows.GetValueOrDefault(id) ?? throw new InvalidDataException($"page {id} is missing");
                    key = own.Key;
                    depths[i] = own.Depth;
                }
                SHA256.HashData(page, hash);
                if (PageStore.KeyOf(hash) != key) error = new InvalidDataException("its contents do not match their hash");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = e;
            }
            if (error is null) return;
            lock (rows)
            {
                if (i >= firstBad) return;
                firstBad = i;
                firstError = error;
            }
        });
        if (firstError is not null)
            throw new SnapshotCorruptException($"{Where(firstBad)} is damaged: {firstError.Message}", root, header.VatId, header.Position, firstBad, firstError);
        if (manifest.State.Length != header.StateLength || !SHA256.HashData(manifest.State).AsSpan().SequenceEqual(header.StateHash))
            throw new SnapshotCorruptException($"{Where(null)}: its engine state does not match its hash", root, header.VatId, header.Position, null);
        if (CanonicalManifest.Root(header, PageSize, hashes) != root)
            throw new SnapshotCorruptException($"{Where(null)}: its manifest does not match its root", root, header.VatId, header.Position, null);
        return new Tip { Root = root, ManifestId = row.Id, ManifestDepth = row.Depth, Manifest = manifest, Hashes = hashes, Depths = depths, Memory = memory };
    }
}
