using Microsoft.Data.Sqlite;
using Vats.SnapshotStore.Format;

namespace Vats.SnapshotStore;

public sealed partial class SnapshotStore
{
    /// <summary>The stored snapshots, of one vat or all, ordered by vat (ordinal) and position.</summary>
    public IReadOnlyList<SnapshotInfo> List(string? vatId = null)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return vatId is null ? ListIn(null, "ORDER BY s.vat, s.position") : ListIn(null, "WHERE s.vat = $v ORDER BY s.position", ("$v", vatId));
        }
    }

    /// <summary>The vats with a snapshot or a transcript entry, ordered.</summary>
    public IReadOnlyList<string> Vats()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            using var command = _db.Command("SELECT vat FROM snapshots UNION SELECT vat FROM transcript_ends ORDER BY 1");
            using var reader = command.ExecuteReader();
            var vats = new List<string>();
            while (reader.Read()) vats.Add(reader.GetString(0));
            return vats;
        }
    }

    /// <summary>
    /// What snapshot <paramref name="root"/> holds and how it is stored: sizes, page counts, pages shared with other
    /// snapshots and other vats, patch depths. Reads every manifest of the store (not the pages).
    /// </summary>
    public SnapshotInspection Inspect(SnapshotRoot root)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var all = ResolveAll(null);
            var self = all.FirstOrDefault(s => s.Info.Root == root) ?? throw new SnapshotNotFoundException($"no snapshot {root} is stored", root);
            var mine = self.Manifest.PageIds.Where(id => id != 0).ToHashSet();
            var otherSnapshot = new HashSet<long>();
            var otherVat = new HashSet<long>();
            foreach (var s in all)
            {
                if (ReferenceEquals(s, self)) continue;
                var target = s.Info.VatId == self.Info.VatId ? otherSnapshot : otherVat;
                foreach (var id in s.Manifest.PageIds) if (id != 0 && mine.Contains(id)) target.Add(id);
            }
            int standalone = 0, deltas = 0, maxDepth = 0;
            long depthSum = 0, bytes = 0;
            using (var command = _db.Command("SELECT p.depth, p.codec, length(p.data) FROM json_each($ids) j JOIN pages p ON p.id = j.value", null,
                       ("$ids", "[" + string.Join(',', mine) + "]")))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var depth = reader.GetInt32(0);
                    if (reader.GetInt32(1) == Storage.PageCodec.Patch) deltas++;
                    else standalone++;
                    maxDepth = Math.Max(maxDepth, depth);
                    depthSum += depth;
                    bytes += reader.GetInt64(2);
                }
            }
            var row = _manifests.ById(null, self.ManifestId)!;
            var h = self.Manifest.Header;
            return new SnapshotInspection(self.Info, h.Identity, h.StateLength, self.Manifest.PageIds.Length, self.Manifest.PageIds.Count(id => id != 0),
                mine.Count, otherSnapshot.Count, otherVat.Count, standalone, deltas, maxDepth, mine.Count == 0 ? 0 : (double)depthSum / mine.Count, bytes,
                row.Data.Length, row.Depth);
        }
    }

    /// <summary>Deletes one snapshot (its data stays until <see cref="CollectGarbage"/>). False if it was not stored.</summary>
    public bool Delete(SnapshotRoot root)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            _tips.Take(root);
            return _db.Execute("DELETE FROM snapshots WHERE manifest IN (SELECT id FROM manifests WHERE root = $r)", null, ("$r", root.Bytes.ToArray())) > 0;
        }
    }

    /// <summary>Deletes all but the vat's <paramref name="keepLatest"/> latest snapshots (by position); returns how many went.</summary>
    public int DeleteAllButLatest(string vatId, int keepLatest)
    {
        ArgumentException.ThrowIfNullOrEmpty(vatId);
        ArgumentOutOfRangeException.ThrowIfNegative(keepLatest);
        lock (_gate)
        {
            ThrowIfDisposed();
            var doomed = ListIn(null, "WHERE s.vat = $v ORDER BY s.position DESC LIMIT -1 OFFSET $k", ("$v", vatId), ("$k", keepLatest));
            using var tx = _db.Connection.BeginTransaction();
            foreach (var s in doomed)
            {
                _tips.Take(s.Root);
                _db.Execute("DELETE FROM snapshots WHERE vat = $v AND position = $p", tx, ("$v", s.VatId), ("$p", s.Position));
            }
            tx.Commit();
            return doomed.Count;
        }
    }

    /// <summary>
    /// Removes the pages and manifests no stored snapshot needs: a page is kept when a snapshot uses it or when it is
    /// in the patch chain of a kept page; a manifest when it is a snapshot's or in the chain of one. Then returns the
    /// freed space to the file system.
    /// </summary>
    public GarbageReport CollectGarbage()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            WriteCopies();
            Forget();
            var before = _db.FileBytes();
            int pagesDeleted, manifestsDeleted, pagesKept, basesKept, manifestsKept;
            long pageBytes, manifestBytes;
            using (var tx = _db.Connection.BeginTransaction())
            {
                var all = ResolveAll(tx);
                var keepManifests = new HashSet<long>();
                var manifestBase = _manifests.All(tx).ToDictionary(m => m.Id, m => m.Base);
                foreach (var s in all)
                    for (var id = s.ManifestId; id != 0 && keepManifests.Add(id); id = manifestBase.GetValueOrDefault(id)) { }
                var used = all.SelectMany(s => s.Manifest.PageIds).Where(id => id != 0).ToHashSet();
                var pageBase = new Dictionary<long, long>();
                using (var command = _db.Command("SELECT id, base FROM pages", tx))
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) pageBase[reader.GetInt64(0)] = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
                var keepPages = new HashSet<long>();
                foreach (var page in used)
                    for (var id = page; id != 0 && keepPages.Add(id); id = pageBase.GetValueOrDefault(id)) { }
                (pagesDeleted, pageBytes) = DeleteAllBut(tx, "pages", keepPages);
                (manifestsDeleted, manifestBytes) = DeleteAllBut(tx, "manifests", keepManifests);
                _heads.DropOrphans(tx);
                pagesKept = keepPages.Count;
                basesKept = keepPages.Count - used.Count;
                manifestsKept = keepManifests.Count;
                tx.Commit();
            }
            _db.Execute("PRAGMA incremental_vacuum");
            _db.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            return new GarbageReport(pagesDeleted, pageBytes, manifestsDeleted, manifestBytes, pagesKept, basesKept, manifestsKept, before, _db.FileBytes());
        }
    }

    private (int Count, long Bytes) DeleteAllBut(SqliteTransaction tx, string table, HashSet<long> keep)
    {
        _db.Execute("CREATE TEMP TABLE keep(id INTEGER PRIMARY KEY)", tx);
        try
        {
            using (var insert = _db.Command("INSERT INTO keep(id) VALUES ($id)", tx))
            {
                var parameter = insert.Parameters.Add("$id", SqliteType.Integer);
                foreach (var id in keep)
                {
                    parameter.Value = id;
                    insert.ExecuteNonQuery();
                }
            }
            using var command = _db.Command($"SELECT count(*), coalesce(sum(length(data)), 0) FROM {table} WHERE id NOT IN (SELECT id FROM keep)", tx);
            using var reader = command.ExecuteReader();
            reader.Read();
            var result = (reader.GetInt32(0), reader.GetInt64(1));
            reader.Close();
            _db.Execute($"DELETE FROM {table} WHERE id NOT IN (SELECT id FROM keep)", tx);
            return result;
        }
        finally
        {
            _db.Execute("DROP TABLE temp.keep", tx);
        }
    }

    private List<SnapshotInfo> ListIn(SqliteTransaction? tx, string tail, params (string, object?)[] parameters)
    {
        using var command = _db.Command("SELECT m.root, s.vat, s.position, s.memory_size, s.seq FROM snapshots s JOIN manifests m ON m.id = s.manifest " + tail, tx, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<SnapshotInfo>();
        while (reader.Read())
            list.Add(new SnapshotInfo(new SnapshotRoot(reader.GetFieldValue<byte[]>(0)), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        return list;
    }

    private sealed record Resolved(SnapshotInfo Info, long ManifestId, ResolvedManifest Manifest);

    /// <summary>Every snapshot with its manifest decoded (bases decoded once).</summary>
    private List<Resolved> ResolveAll(SqliteTransaction? tx)
    {
        var cache = new Dictionary<long, ResolvedManifest>();
        var result = new List<Resolved>();
        using var command = _db.Command("SELECT m.id FROM snapshots s JOIN manifests m ON m.id = s.manifest ORDER BY m.id", tx);
        var ids = new List<long>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) ids.Add(reader.GetInt64(0));
        var infos = ListIn(tx, "ORDER BY s.vat, s.position").ToLookup(i => i.Root);
        foreach (var id in ids.Distinct())
        {
            var row = _manifests.ById(tx, id)!;
            ResolvedManifest manifest;
            try
            {
                manifest = _manifests.Resolve(tx, row, cache);
            }
            catch (InvalidDataException e)
            {
                throw new SnapshotCorruptException($"snapshot {row.Root}: its manifest is damaged ({e.Message})", row.Root, null, null, null, e);
            }
            foreach (var info in infos[row.Root]) result.Add(new Resolved(info, id, manifest));
        }
        return result;
    }
}
