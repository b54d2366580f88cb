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
            // The caller gets its own copy of the memory when the tip is kept; the pages are copied while they are hot in
            // the decoding thread's cache rather than in a second pass over 16 MiB.
            var tip = LoadTip(null, root, useHeads: true, copy: Options.CacheLoadedSnapshots);
            var memory = tip.Memory;
            if (Options.CacheLoadedSnapshots)
            {
                memory = tip.Copy!;
                tip.Copy = null;
                _tips.Put(tip);
            }
            var h = tip.Manifest.Header;
            return new LoadedSnapshot(root, h.VatId, h.Position, h.Identity, (byte[])tip.Manifest.State.Clone(), memory);
        }
    }

    /// <summary>
    /// Reads snapshot <paramref name="root"/> back as <see cref="Load(SnapshotRoot)"/> does and hands it to
    /// <paramref name="use"/> without copying its memory: the <see cref="LoadedSnapshot.Memory"/> it sees is the store's
    /// own and must be neither changed nor kept after <paramref name="use"/> returns (e.g. encode it for a worker). When
    /// the store holds the snapshot in memory already (saved or loaded by this store and kept, see
    /// <see cref="SnapshotStoreOptions.CacheLoadedSnapshots"/>), that copy is used and nothing is read. Runs
    /// <paramref name="use"/> under the store's lock: it must not call the store.
    /// </summary>
    public T Load<T>(SnapshotRoot root, Func<LoadedSnapshot, T> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!IsSnapshot(null, root)) throw new SnapshotNotFoundException($"no snapshot {root} is stored", root);
            var tip = _tips.Take(root) ?? LoadTip(null, root, useHeads: true);
            try
            {
                var h = tip.Manifest.Header;
                return use(new LoadedSnapshot(root, h.VatId, h.Position, h.Identity, tip.Manifest.State, tip.Memory));
            }
            finally
            {
                if (Options.CacheLoadedSnapshots) _tips.Put(tip);
            }
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
    private Tip LoadTip(SqliteTransaction? tx, SnapshotRoot root, bool useHeads, bool copy = false)
    {
        if (useHeads)
        {
            try
            {
                return LoadTipIn(tx, root, useHeads: true, copy);
            }
            catch (SnapshotCorruptException)
            {
                // A damaged or stale copy is only a cache: the chains decide.
            }
        }
        return LoadTipIn(tx, root, useHeads: false, copy);
    }

    /// <summary>The pages of <paramref name="ids"/> that are neither zero nor in <paramref name="copied"/>.</summary>
    private static List<long> Missing<T>(long[] ids, IReadOnlyDictionary<long, T>? copied)
    {
        var missing = new List<long>();
        foreach (var id in ids)
            if (id != 0 && (copied is null || !copied.ContainsKey(id))) missing.Add(id);
        return missing;
    }

    private (Database Db, PageStore Pages) OpenReader()
    {
        var db = _db.OpenReader();
        return (db, new PageStore(db));
    }

    /// <summary>
    /// Reads and verifies a snapshot (with the vat's page copies when <paramref name="useHeads"/>; also into
    /// <see cref="Tip.Copy"/> when <paramref name="copy"/>).
    /// </summary>
    private Tip LoadTipIn(SqliteTransaction? tx, SnapshotRoot root, bool useHeads, bool copy)
    {
        WriteCopies();
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
        const int H = CanonicalManifest.HashSize;
        var memory = new byte[header.MemorySize];
        var second = copy ? new byte[header.MemorySize] : null;
        var hashes = new byte[ids.Length * H];
        var depths = new int[ids.Length];
        // Chain starts are learnt by saves (and are the page itself for a standalone page).
        var starts = new long[ids.Length];
        var firstBad = int.MaxValue;
        Exception? firstError = null;
        var gate = new object();
        HeadSet? heads = null;
        Dictionary<long, PageRow> rows = [];

        // Rebuilds and checks page i (from its copy, or its chain in rows); false after recording a damaged page.
        bool DecodePage(int i)
        {
            var id = ids[i];
            if (id == 0) return true;
            var page = memory.AsSpan(i * PageSize, PageSize);
            var hash = hashes.AsSpan(i * H, H);
            Exception? error = null;
            try
            {
                long key;
                if (heads is not null && heads.ByPage.TryGetValue(id, out var head))
                {
                    heads.Decode(head, page);
                    key = head.Key;
                    depths[i] = head.Depth;
                }
                else
                {
                    PageStore.Decode(id, rows, page, heads);
                    var own = rows.GetValueOrDefault(id) ?? throw new InvalidDataException($"page {id} is missing");
                    key = own.Key;
                    depths[i] = own.Depth;
                    if (own.Depth == 0) starts[i] = id;
                }
                SHA256.HashData(page, hash);
                if (PageStore.KeyOf(hash) != key) error = new InvalidDataException("its contents do not match their hash");
                else if (second is not null) page.CopyTo(second.AsSpan(i * PageSize));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = e;
            }
            if (error is null) return true;
            lock (gate)
            {
                if (i < firstBad)
                {
                    firstBad = i;
                    firstError = error;
                }
            }
            return false;
        }

        try
        {
            // The pages decoded while the chains were still being read (their copies alone suffice).
            bool[]? done = null;
            try
            {
                heads = useHeads ? _heads.Read(tx, header.VatId) : null;
                // Pages without a copy of their own version: their chains, down to a copy or a standalone page.
                var missing = Missing(ids, heads?.ByPage);
                if (heads is not null && missing.Count > 0 && tx is null && Options.MaxDegreeOfParallelism > 1)
                {
                    // The chains on the second connection while the pages with copies are decoded here. (Nothing writes
                    // meanwhile: the store's lock is held.)
                    var reader = _reader ??= OpenReader();
                    var chains = Task.Run(() => reader.Pages.RowsWithChains(null, missing, heads.ByPage));
                    try
                    {
                        done = new bool[ids.Length];
                        for (var i = 0; i < ids.Length; i++)
                            if (ids[i] != 0 && heads.ByPage.ContainsKey(ids[i]) && DecodePage(i)) done[i] = true;
                    }
                    catch
                    {
                        // The second connection is free again before the exception leaves the store's lock.
                        try { chains.Wait(); } catch (AggregateException) { }
                        throw;
                    }
                    rows = chains.GetAwaiter().GetResult();
                }
                else rows = missing.Count == 0 ? [] : _pages.RowsWithChains(tx, missing, heads?.ByPage);
            }
            catch (SqliteException e)
            {
                throw new SnapshotCorruptException($"{Where(null)}: its pages cannot be read ({e.Message})", root, header.VatId, header.Position, null, e);
            }
            // The rest in chunks of many pages on all cores: a task per page cost more in scheduling than a page's LZ4 and SHA-256.
            var workers = Math.Max(1, Options.MaxDegreeOfParallelism);
            var chunk = Math.Max(64, (ids.Length + workers * 4 - 1) / (workers * 4));
            Parallel.For(0, (ids.Length + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = workers }, c =>
            {
                var end = Math.Min(ids.Length, (c + 1) * chunk);
                for (var i = c * chunk; i < end; i++)
                    if ((done is null || !done[i]) && !DecodePage(i)) return;
            });
        }
        finally
        {
            heads?.Dispose();
        }
        if (firstError is not null)
            throw new SnapshotCorruptException($"{Where(firstBad)} is damaged: {firstError.Message}", root, header.VatId, header.Position, firstBad, firstError);
        if (manifest.State.Length != header.StateLength || !SHA256.HashData(manifest.State).AsSpan().SequenceEqual(header.StateHash))
            throw new SnapshotCorruptException($"{Where(null)}: its engine state does not match its hash", root, header.VatId, header.Position, null);
        if (CanonicalManifest.Root(header, PageSize, hashes) != root)
            throw new SnapshotCorruptException($"{Where(null)}: its manifest does not match its root", root, header.VatId, header.Position, null);
        return new Tip
        {
            Root = root, ManifestId = row.Id, ManifestDepth = row.Depth, Manifest = manifest, Hashes = hashes, Depths = depths, Starts = starts, Memory = memory,
            Copy = second,
        };
    }
}
