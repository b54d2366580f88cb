using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Vats.Protocol;
using Vats.SnapshotStore.Format;
using Vats.SnapshotStore.Storage;

namespace Vats.SnapshotStore;

public sealed partial class SnapshotStore
{
    /// <summary>
    /// Saves a snapshot from the whole memory (every page is hashed; pages already stored are found by content). With
    /// <paramref name="similarTo"/>, new pages are stored as patches against that snapshot's page at the same index when
    /// that is smaller (e.g. a vat's first snapshot against another vat's, as all start from the same boot image).
    /// One transaction: on any failure nothing of it is stored.
    /// </summary>
    public SaveResult SaveFull(string vatId, long position, SnapshotIdentity identity, ReadOnlySpan<byte> state, ReadOnlySpan<byte> memory,
        SnapshotRoot? similarTo = null)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            CheckHeader(vatId, position, identity);
            if (memory.Length % PageSize != 0) throw new ArgumentException($"the memory ({memory.Length} bytes) is not a whole number of {PageSize}-byte pages", nameof(memory));
            var copy = memory.ToArray();
            var stateCopy = state.ToArray();
            return InTransaction(tx => SaveFullIn(tx, vatId, position, identity, stateCopy, copy, similarTo));
        }
    }

    /// <summary>
    /// Saves snapshot N+1 as snapshot <paramref name="parent"/> with <paramref name="changes"/> applied (each a whole
    /// page or a patch against the parent's page, see <see cref="PageChange"/>; pages not named keep the parent's
    /// contents; pages beyond the parent's memory start as zero), the new engine <paramref name="state"/> and
    /// <paramref name="memorySize"/>. Only the changed pages are hashed and stored; a patch that continues the page's
    /// chain is stored as given. One transaction: on any failure nothing of it is stored.
    /// </summary>
    public SaveResult SaveDelta(string vatId, long position, SnapshotIdentity identity, SnapshotRoot parent, ReadOnlySpan<byte> state, long memorySize,
        IReadOnlyList<PageChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            ThrowIfDisposed();
            CheckHeader(vatId, position, identity);
            if (memorySize < 0 || memorySize % PageSize != 0 || memorySize / PageSize > 1 << 24)
                throw new ArgumentException($"the memory size {memorySize} is not a whole number of {PageSize}-byte pages", nameof(memorySize));
            var stateCopy = state.ToArray();
            return InTransaction(tx => SaveDeltaIn(tx, vatId, position, identity, parent, stateCopy, memorySize, changes));
        }
    }

    /// <summary>Saves of fewer changed pages than this prepare them on the calling thread (see <see cref="Prepare"/>).</summary>
    private const int SerialPages = 1024;

    private SaveResult InTransaction(Func<SqliteTransaction, SaveResult> save)
    {
        // The previous save's copies first: this save may change the memory they are taken from.
        WriteCopies();
        using var tx = _db.Connection.BeginTransaction();
        SaveResult result;
        try
        {
            result = save(tx);
            BeforeCommit?.Invoke();
            tx.Commit();
        }
        catch
        {
            _copies = null;
            tx.Rollback();
            Forget();
            throw;
        }
        ScheduleCopies();
        return result;
    }

    /// <summary>A full save inside <paramref name="tx"/>; <paramref name="memory"/> becomes the new tip's (not copied).</summary>
    private SaveResult SaveFullIn(SqliteTransaction tx, string vatId, long position, SnapshotIdentity identity, byte[] state, byte[] memory,
        SnapshotRoot? similarTo)
    {
        var pages = memory.Length / PageSize;
        Tip? source = null;
        if (similarTo is { } similar)
        {
            source = TakeTip(similar, tx);
            _tips.Put(source);
        }
        var next = new Tip
        {
            Root = default,
            ManifestId = 0,
            ManifestDepth = 0,
            Manifest = null!,
            Hashes = new byte[pages * CanonicalManifest.HashSize],
            Depths = new int[pages],
            Starts = new long[pages],
            Memory = memory,
        };
        var changes = new List<PageChange>(pages);
        for (var i = 0; i < pages; i++) changes.Add(new PageChange(i, memory.AsMemory(i * PageSize, PageSize)));
        var result = SaveIn(tx, vatId, position, identity, state, memory.Length, changes, source, next, new long[pages], whole: true);
        _tips.Put(next);
        return result;
    }

    /// <summary>A delta save inside <paramref name="tx"/>.</summary>
    private SaveResult SaveDeltaIn(SqliteTransaction tx, string vatId, long position, SnapshotIdentity identity, SnapshotRoot parent, byte[] state,
        long memorySize, IReadOnlyList<PageChange> changes)
    {
        var source = TakeTip(parent, tx);
        var pages = (int)(memorySize / PageSize);
        var ids = new long[pages];
        source.Manifest.PageIds.AsSpan(0, Math.Min(pages, source.Manifest.PageIds.Length)).CopyTo(ids);
        var next = new Tip
        {
            Root = default,
            ManifestId = 0,
            ManifestDepth = 0,
            Manifest = null!,
            Hashes = Resize(source.Hashes, pages * CanonicalManifest.HashSize),
            Depths = Resize(source.Depths, pages),
            Starts = Resize(source.Starts, pages),
            Memory = Resize(source.Memory, (int)memorySize),
        };
        var result = SaveIn(tx, vatId, position, identity, state, memorySize, changes, source, next, ids, whole: false);
        _tips.Put(next);
        return result;
    }

    /// <summary>The body of a save, inside <paramref name="tx"/>; <paramref name="next"/> becomes the new snapshot's tip.</summary>
    private SaveResult SaveIn(SqliteTransaction tx, string vatId, long position, SnapshotIdentity identity, byte[] stateBytes, long memorySize,
        IReadOnlyList<PageChange> changes, Tip? source, Tip next, long[] ids, bool whole)
    {
        var save = new PendingSave(tx, _pages.NextId(tx), source, next, ids) { Whole = whole };
        var seen = new HashSet<int>();
        foreach (var change in changes)
        {
            if ((uint)change.Index >= (uint)ids.Length) throw new ArgumentException($"page {change.Index} is outside a memory of {ids.Length} pages", nameof(changes));
            if (change.IsPatch)
            {
                if (source is null) throw new ArgumentException($"page {change.Index} is a patch, but the save has no parent", nameof(changes));
                if (change.Bytes.Length is 0 || change.Bytes.Length > SparsePatch.MaxLength(PageSize))
                    throw new ArgumentException($"page {change.Index}'s patch has {change.Bytes.Length} bytes, outside 1..{SparsePatch.MaxLength(PageSize)}", nameof(changes));
            }
            else if (change.Bytes.Length != PageSize) throw new ArgumentException($"page {change.Index} has {change.Bytes.Length} bytes, not {PageSize}", nameof(changes));
            if (!seen.Add(change.Index)) throw new ArgumentException($"page {change.Index} is given twice", nameof(changes));
        }
        Prepare(save, changes);
        for (var n = 0; n < changes.Count; n++) StorePage(save, n, changes[n].Index, BytesOf(save, changes, n));
        _pages.Insert(tx, save.NewPages);

        var header = new ManifestHeader(vatId, position, identity, memorySize, stateBytes.Length, SHA256.HashData(stateBytes));
        next.Manifest = new ResolvedManifest(header, stateBytes, ids);
        var root = CanonicalManifest.Root(header, PageSize, next.Hashes);
        next.Root = root;
        var bytes = save.NewPages.Sum(p => (long)p.Data.Length);

        var existing = _manifests.ByRoot(tx, root);
        if (existing is not null)
        {
            next.ManifestId = existing.Id;
            next.ManifestDepth = existing.Depth;
        }
        else
        {
            var useBase = source is { ManifestId: > 0 } && source.ManifestDepth + 1 <= Options.MaxManifestChain;
            var data = StoredManifest.Encode(next.Manifest, useBase ? source!.Manifest : null, Options.CompressionLevel);
            next.ManifestDepth = useBase ? source!.ManifestDepth + 1 : 0;
            next.ManifestId = _manifests.Insert(tx, root, useBase ? source!.ManifestId : 0, next.ManifestDepth, data);
            bytes += data.Length;
        }

        var already = false;
        var stored = _db.Scalar<long?>("SELECT manifest FROM snapshots WHERE vat = $v AND position = $p", tx, ("$v", vatId), ("$p", position));
        if (stored is { } storedManifest)
        {
            if (storedManifest != next.ManifestId)
            {
                var other = _manifests.ById(tx, storedManifest);
                throw new SnapshotConflictException(vatId, position, other?.Root ?? default, root);
            }
            already = true;
        }
        else
        {
            _db.Execute("""
                INSERT INTO snapshots(vat, position, manifest, memory_size, seq)
                VALUES ($v, $p, $m, $s, (SELECT coalesce(max(seq), 0) + 1 FROM snapshots))
                """, tx, ("$v", vatId), ("$p", position), ("$m", next.ManifestId), ("$s", memorySize));
            if (Options.TranscriptRetention == TranscriptRetention.PruneCoveredBySnapshot) PruneTranscriptIn(tx, vatId, position);
        }
        ChooseCopies(tx, vatId, source, next, save.Changed);
        return new SaveResult(root, vatId, position, save.ChangedCount, save.Found, save.NewPages.Count, save.NewPages.Count(p => p.Codec == PageCodec.Patch),
            bytes, already);
    }

    /// <summary>
    /// Chooses the vat's patch pages to keep whole copies of — every <see cref="SnapshotStoreOptions.HeadInterval"/>th
    /// depth of their chains (all its deep pages when the snapshot does not continue the vat's previous one) — for
    /// <see cref="WriteCopies"/> to write once the save has committed.
    /// </summary>
    private void ChooseCopies(SqliteTransaction tx, string vatId, Tip? source, Tip next, List<int> changed)
    {
        _copies = null;
        var interval = Options.HeadInterval;
        if (interval == 0) return;
        var continues = source is { ManifestId: > 0 } && source.Manifest.Header.VatId == vatId;
        var indexes = new List<int>();
        foreach (var i in continues ? changed : Enumerable.Range(0, next.Depths.Length))
        {
            var depth = next.Depths[i];
            if (depth > 0 && (continues ? depth % interval == 0 : depth >= interval)) indexes.Add(i);
        }
        if (indexes.Count > 0) _copies = (_heads.VatNumber(tx, vatId, create: true), next, indexes);
    }

    // The copies a save chose, written after it commits (page ids of a rolled-back save are given again by the next).
    private (long Vat, Tip Tip, List<int> Indexes)? _copies;

    /// <summary>
    /// Has the copies the committed save chose written on a pool thread, under the store's lock, so that the save
    /// returns without them (0.7 ms of a counter-vat save): the kernel's next delivery runs in the worker meanwhile.
    /// Whatever comes first in the store — the next save, a load, a collection, <see cref="Dispose"/> — writes them
    /// first if they are still pending.
    /// </summary>
    private void ScheduleCopies()
    {
        if (_copies is null) return;
        ThreadPool.UnsafeQueueUserWorkItem(static store =>
        {
            lock (store._gate)
            {
                if (!store._disposed) store.WriteCopies();
            }
        }, this, preferLocal: false);
    }

    /// <summary>
    /// Writes the copies <see cref="ChooseCopies"/> chose, if still pending, into the vat's copy files. They are a
    /// cache: a failure to write one (a full disk) costs a later load its speed, not the save, which has committed.
    /// Called under the store's lock.
    /// </summary>
    private void WriteCopies()
    {
        if (_copies is not { } copies) return;
        _copies = null;
        var (vat, tip, indexes) = copies;
        try
        {
            indexes.Sort();
            _heads.Put(vat, tip, indexes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _heads.Forget();
        }
    }

    /// <summary>
    /// What a save can work out for every changed page independently (on all cores for a large save): its SHA-256, whether it is zero,
    /// and its patch against the page's previous version (used unless the page is found by content or its chain is at
    /// the bound); then the stored standalone pages with the same keys, in one query rather than one per page.
    /// </summary>
    private void Prepare(PendingSave save, IReadOnlyList<PageChange> changes)
    {
        const int H = CanonicalManifest.HashSize;
        var source = save.Source;
        save.Hashes = new byte[changes.Count * H];
        save.Zero = new bool[changes.Count];
        save.Patches = new byte[]?[changes.Count];
        var badPatch = -1;
        // A delta's few hundred pages are hashed on this thread alone: on two cores, a second thread gave a better
        // median and a tail three times as long (store bench, 1,000 checkpoints: this step 0.94 against 1.33 ms
        // median, but 3.1–3.6 against 1.4 ms mean; a save's mean 5.8–6.2 against 4.0 ms).
        var threads = changes.Count < SerialPages ? 1 : Options.MaxDegreeOfParallelism;
        var chunk = Math.Max(16, (changes.Count + threads * 4 - 1) / (threads * 4));
        Parallel.For(0, (changes.Count + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            for (var n = c * chunk; n < Math.Min(changes.Count, (c + 1) * chunk); n++)
            {
                var index = changes[n].Index;
                if (changes[n].IsPatch && !Rebuild(save, changes[n]))
                {
                    Interlocked.CompareExchange(ref badPatch, n, -1);
                    continue;
                }
                var bytes = BytesOf(save, changes, n);
                var hash = save.Hashes.AsSpan(n * H, H);
                if (!(save.Zero[n] = !bytes.ContainsAnyExcept((byte)0))) SHA256.HashData(bytes, hash);
                if (source is null || index >= source.Depths.Length || source.Hashes.AsSpan(index * H, H).SequenceEqual(hash)) continue;
                var old = source.Manifest.PageIds[index];
                if (old != 0 && !save.Zero[n] && Options.MaxDeltaChain > 0 && source.Depths[index] + 1 <= Options.MaxDeltaChain)
                {
                    // A patch as given is the one this would encode: the same codec against the same page.
                    save.Patches[n] = changes[n].IsPatch
                        ? changes[n].Bytes.ToArray()
                        : SparsePatch.Encode(bytes, source.Memory.AsSpan(index * PageSize, PageSize));
                }
            }
        });
        if (badPatch >= 0) throw new ArgumentException($"page {changes[badPatch].Index}'s patch does not apply to the parent's page (it is malformed or writes outside the page)", nameof(changes));
        // Only pages that would be stored standalone are looked up: a page with a patch against its previous version is
        // stored as that patch (a few bytes) even when the same contents are stored elsewhere — looking up all of a
        // delta's pages cost 0.3 ms a save to find one now and then.
        var keys = new List<long>();
        for (var n = 0; n < changes.Count; n++)
            if (!save.Zero[n] && save.Patches[n] is null) keys.Add(PageStore.KeyOf(save.Hashes.AsSpan(n * H, H)));
        save.Candidates = _pages.FindByKeys(save.Tx, keys);
    }

    /// <summary>
    /// Applies the patch <paramref name="change"/> to the parent's page where it lies in the new snapshot's memory (a
    /// copy of the parent's, or the same array, which a failed save leaves to be discarded with the tips); false when
    /// the patch does not apply. In place: copying each page out and back cost two page copies a change.
    /// </summary>
    private bool Rebuild(PendingSave save, PageChange change)
    {
        try
        {
            SparsePatch.Apply(change.Bytes.Span, save.Next.Memory.AsSpan(change.Index * PageSize, PageSize));
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>The new bytes of the <paramref name="n"/>th change (a patch's, rebuilt in place by <see cref="Prepare"/>).</summary>
    private ReadOnlySpan<byte> BytesOf(PendingSave save, IReadOnlyList<PageChange> changes, int n) =>
        changes[n].IsPatch ? save.Next.Memory.AsSpan(changes[n].Index * PageSize, PageSize) : changes[n].Bytes.Span;

    private void StorePage(PendingSave save, int n, int index, ReadOnlySpan<byte> bytes)
    {
        const int H = CanonicalManifest.HashSize;
        var (source, next, ids) = (save.Source, save.Next, save.Ids);
        var zero = save.Zero[n];
        var hash = save.Hashes.AsSpan(n * H, H);
        var inSource = source is not null && index < source.Depths.Length;
        if (inSource ? source!.Hashes.AsSpan(index * H, H).SequenceEqual(hash) : zero)
        {
            // Unchanged (a full save against a similar snapshot lands here often), or zero where nothing was. The new
            // memory holds the page already: a full save's is the saved memory itself, a delta's starts as the parent's.
            ids[index] = inSource ? source!.Manifest.PageIds[index] : 0;
            next.Depths[index] = inSource ? source!.Depths[index] : 0;
            next.Starts[index] = inSource ? source!.Starts[index] : 0;
            hash.CopyTo(next.Hashes.AsSpan(index * H));
            return;
        }
        save.Changed.Add(index);
        long id = 0, start = 0;
        var depth = 0;
        if (!zero)
        {
            var key = PageStore.KeyOf(hash);
            var wide = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
            if (save.ByHash.TryGetValue(wide, out var found)) (id, depth, start) = found;
            else
            {
                foreach (var candidate in save.Candidates.GetValueOrDefault(key) ?? [])
                {
                    if (!_pages.Decode(save.Tx, candidate).AsSpan().SequenceEqual(bytes)) continue;
                    id = candidate;
                    depth = _pages.Row(save.Tx, candidate)!.Depth;
                    start = depth == 0 ? id : 0;
                    save.Found++;
                    break;
                }
                if (id == 0)
                {
                    var old = inSource ? source!.Manifest.PageIds[index] : 0;
                    var oldBytes = old == 0 ? default : source!.Memory.AsSpan(index * PageSize, PageSize);
                    var row = Encode(save, key, bytes, old, old == 0 ? 0 : source!.Depths[index], old == 0 ? 0 : source!.Starts[index], oldBytes,
                        save.Patches[n]);
                    save.NewPages.Add(row);
                    (id, depth) = (row.Id, row.Depth);
                    // A patch continuing the chain keeps its start (if known); one against the start names it.
                    start = row.Base == 0 ? row.Id : row.Depth == 1 ? row.Base : source!.Starts[index];
                }
                save.ByHash[wide] = (id, depth, start);
            }
        }
        ids[index] = id;
        next.Depths[index] = depth;
        next.Starts[index] = start;
        hash.CopyTo(next.Hashes.AsSpan(index * H));
        // A delta's whole page is copied in; a patch was applied in place, and a full save's page is the memory's own.
        var target = next.Memory.AsSpan(index * PageSize, PageSize);
        if (!target.Overlaps(bytes)) bytes.CopyTo(target);
    }

    /// <summary>
    /// A new page's row: a patch against the previous version (depth + 1) while within
    /// <see cref="SnapshotStoreOptions.MaxDeltaChain"/> and smaller than the page compressed alone; at the bound, a
    /// patch against the chain's standalone start (depth 1) if under half of that; else standalone (LZ4, or raw when
    /// it does not compress).
    /// </summary>
    private PageRow Encode(PendingSave save, long key, ReadOnlySpan<byte> bytes, long oldId, int oldDepth, long oldStart, ReadOnlySpan<byte> oldBytes,
        byte[]? patched)
    {
        var id = save.NextId++;
        // The choice between a patch and a standalone page is made on LZ4's fast mode (≈ 10 µs a page; high compression
        // takes ≈ 10 times longer, and within 10 % of the size); high compression only for a page stored standalone.
        // The fast-mode block made for the estimate is the page's standalone form in a delta save (fast mode there too).
        byte[]? fast = null;
        var estimated = false;
        int StandaloneEstimate(ReadOnlySpan<byte> page)
        {
            if (!estimated) (fast, estimated) = (Lz4.Compress(page, 0), true);
            return fast?.Length ?? page.Length;
        }
        if (oldId != 0 && Options.MaxDeltaChain > 0)
        {
            if (oldDepth + 1 <= Options.MaxDeltaChain)
            {
                var patch = patched ?? SparsePatch.Encode(bytes, oldBytes);
                if (patch.Length <= PageSize / 4 || patch.Length < StandaloneEstimate(bytes)) return new PageRow(id, key, oldId, oldDepth + 1, PageCodec.Patch, patch);
            }
            else
            {
                var start = oldStart != 0 ? oldStart : _pages.ChainStart(save.Tx, oldId);
                var patch = SparsePatch.Encode(bytes, _pages.Decode(save.Tx, start));
                if (patch.Length <= PageSize / 8 || patch.Length * 2 < StandaloneEstimate(bytes)) return new PageRow(id, key, start, 1, PageCodec.Patch, patch);
            }
        }
        var level = save.Whole ? Options.CompressionLevel : Options.DeltaCompressionLevel;
        var standalone = estimated && level == 0 ? fast : Lz4.Compress(bytes, level);
        return standalone is null ? new PageRow(id, key, 0, 0, PageCodec.Raw, bytes.ToArray()) : new PageRow(id, key, 0, 0, PageCodec.Lz4, standalone);
    }

    /// <summary>The tip of <paramref name="root"/>, taken out of the cache (or read back and verified).</summary>
    private Tip TakeTip(SnapshotRoot root, SqliteTransaction? tx)
    {
        if (!IsSnapshot(tx, root)) throw new SnapshotNotFoundException($"no snapshot {root} is stored", root);
        return _tips.Take(root) ?? LoadTip(tx, root, useHeads: true);
    }

    private static void CheckHeader(string vatId, long position, SnapshotIdentity identity)
    {
        ArgumentException.ThrowIfNullOrEmpty(vatId);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        try
        {
            _ = ByteWriter.Utf8Strict.GetByteCount(vatId);
            _ = ByteWriter.Utf8Strict.GetByteCount(identity.EngineSha256);
            _ = ByteWriter.Utf8Strict.GetByteCount(identity.RuntimeVersion);
            foreach (var hash in identity.BootBundleHashes) _ = ByteWriter.Utf8Strict.GetByteCount(hash);
        }
        catch (System.Text.EncoderFallbackException e)
        {
            throw new ArgumentException("the vat id and identity strings must be valid Unicode", e);
        }
    }

    private static T[] Resize<T>(T[] array, int length)
    {
        if (array.Length == length) return array;
        var resized = new T[length];
        array.AsSpan(0, Math.Min(length, array.Length)).CopyTo(resized);
        return resized;
    }

    /// <summary>What a save has decided so far.</summary>
    private sealed class PendingSave(SqliteTransaction tx, long nextId, Tip? source, Tip next, long[] ids)
    {
        public SqliteTransaction Tx { get; } = tx;
        public long NextId { get; set; } = nextId;
        public Tip? Source { get; } = source;
        public Tip Next { get; } = next;
        public long[] Ids { get; } = ids;
        public List<PageRow> NewPages { get; } = [];
        public Dictionary<UInt128, (long Id, int Depth, long Start)> ByHash { get; } = [];
        public byte[] Hashes { get; set; } = [];
        public bool[] Zero { get; set; } = [];
        public byte[]?[] Patches { get; set; } = [];
        public Dictionary<long, List<long>> Candidates { get; set; } = [];
        public bool Whole { get; init; }
        public List<int> Changed { get; } = [];
        public int ChangedCount => Changed.Count;
        public int Found { get; set; }
    }
}
