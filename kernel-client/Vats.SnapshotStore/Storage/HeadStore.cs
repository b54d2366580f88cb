using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace Vats.SnapshotStore.Storage;

/// <summary>
/// Whole copies of a vat's recent patch pages, so that loading its latest snapshot reads one copy per page instead of
/// walking patch chains: after a save commits, each new patch page whose depth is a multiple of
/// <see cref="SnapshotStoreOptions.HeadInterval"/> is written raw into the vat's slot for its index, replacing the
/// previous copy; a chain walk stops at the first page it has a copy of. The copies live in files beside the database
/// (<c>{database}-copies/</c>: per vat an index file of 24-byte entries and a sparse file of raw pages, both by page
/// index), not in it: a save rewrites tens of them, and in SQLite each one was a B-tree page and its WAL frame in the
/// save's transaction — most of a save's time (see RATIONALE.md). They are a cache: every copy is checked like the
/// page itself, a load falls back to the chains when one is damaged, torn or stale, and losing the folder loses
/// nothing.
/// </summary>
internal sealed class HeadStore(Database db) : IDisposable
{
    /// <summary>An index entry: page id (0: no copy), key, depth, and 4 bytes kept zero.</summary>
    private const int EntrySize = 24;

    private readonly Dictionary<string, long> _vatNumbers = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (SafeFileHandle Index, SafeFileHandle Pages)> _files = [];

    /// <summary>
    /// The database's mark, which the copies folder holds too, so that copies left there by a deleted database of the
    /// same name are never taken for this one's (read when the store opens: outside any transaction).
    /// </summary>
    private readonly string _mark = Mark(db);

    private static string Mark(Database db)
    {
        db.Execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('copies', $v)", null, ("$v", Guid.NewGuid().ToString("N")));
        return db.Scalar<string>("SELECT value FROM meta WHERE key = 'copies'")!;
    }

    private string FolderPath => db.Path + "-copies";

    private string MarkPath => System.IO.Path.Combine(FolderPath, "store");

    /// <summary>Whether the copies folder is this database's (else its files are not read).</summary>
    private bool FolderIsOurs()
    {
        try
        {
            return File.Exists(MarkPath) && File.ReadAllText(MarkPath) == _mark;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Makes the copies folder (or empties it, when it was another database's) before the first write.</summary>
    private void PrepareFolder()
    {
        if (_folderChecked) return;
        if (!FolderIsOurs())
        {
            if (Directory.Exists(FolderPath)) Directory.Delete(FolderPath, recursive: true);
            Directory.CreateDirectory(FolderPath);
            File.WriteAllText(MarkPath, _mark);
        }
        _folderChecked = true;
    }

    private bool _folderChecked;

    /// <summary>The vat's number in <c>head_vats</c>; with <paramref name="create"/>, one is given to a vat without one (else 0).</summary>
    public long VatNumber(SqliteTransaction? tx, string vatId, bool create)
    {
        if (_vatNumbers.TryGetValue(vatId, out var n)) return n;
        n = db.Scalar<long>("SELECT n FROM head_vats WHERE vat = $v", tx, ("$v", vatId));
        if (n == 0 && create)
        {
            // Not remembered until the transaction commits: a rolled-back save must not leave a number behind.
            return db.Scalar<long>("INSERT INTO head_vats(vat) VALUES ($v) RETURNING n", tx, ("$v", vatId));
        }
        if (n != 0) _vatNumbers[vatId] = n;
        return n;
    }

    /// <summary>Forgets the remembered vat numbers and closes the files (after a rollback, or a collection that may drop them).</summary>
    public void Forget()
    {
        _vatNumbers.Clear();
        CloseFiles();
    }

    /// <summary>The vat's copies, with its page file open to read them; null when none. Dispose it after the load.</summary>
    public HeadSet? Read(SqliteTransaction? tx, string vatId)
    {
        var vat = VatNumber(tx, vatId, create: false);
        var entries = ReadIndex(vat);
        var set = new HeadSet();
        foreach (var at in Named(entries))
        {
            var head = new Head(BinaryPrimitives.ReadInt64LittleEndian(entries.AsSpan(at)), BinaryPrimitives.ReadInt64LittleEndian(entries.AsSpan(at + 8)),
                BinaryPrimitives.ReadInt32LittleEndian(entries.AsSpan(at + 16)), (long)(at / EntrySize) * db.PageSize);
            set.ByPage[head.Page] = head;
        }
        if (set.ByPage.Count == 0) return null;
        try
        {
            set.Open(PagesPath(vat), db.PageSize);
        }
        catch (IOException)
        {
            return null;
        }
        return set;
    }

    /// <summary>
    /// Writes the pages at <paramref name="indexes"/> (ascending) of <paramref name="tip"/> as the vat's copies, one
    /// write per run of consecutive indexes in each file (after the save's commit: page ids of a rolled-back save are
    /// given again by the next). The pages first, then their entries; a copy torn by a crash fails its hash check at
    /// the next load, which then reads the chains.
    /// </summary>
    public void Put(long vat, Tip tip, IReadOnlyList<int> indexes)
    {
        var (indexFile, pagesFile) = Files(vat);
        var pageSize = db.PageSize;
        for (var n = 0; n < indexes.Count;)
        {
            var first = indexes[n];
            var count = 1;
            while (n + count < indexes.Count && indexes[n + count] == first + count) count++;
            RandomAccess.Write(pagesFile, tip.Memory.AsSpan(first * pageSize, count * pageSize), (long)first * pageSize);
            if (_entries.Length < count * EntrySize) _entries = new byte[Math.Max(count, 64) * EntrySize];
            var entries = _entries.AsSpan(0, count * EntrySize);
            for (var k = 0; k < count; k++)
            {
                var i = first + k;
                var entry = entries.Slice(k * EntrySize, EntrySize);
                BinaryPrimitives.WriteInt64LittleEndian(entry, tip.Manifest.PageIds[i]);
                BinaryPrimitives.WriteInt64LittleEndian(entry[8..], PageStore.KeyOf(tip.Hashes.AsSpan(i * Format.CanonicalManifest.HashSize)));
                BinaryPrimitives.WriteInt32LittleEndian(entry[16..], tip.Depths[i]);
                BinaryPrimitives.WriteInt32LittleEndian(entry[20..], 0);
            }
            RandomAccess.Write(indexFile, entries, (long)first * EntrySize);
            n += count;
        }
    }

    private byte[] _entries = [];

    /// <summary>Drops copies of pages that are no longer stored (after a garbage collection).</summary>
    public int DropOrphans(SqliteTransaction? tx)
    {
        var dropped = 0;
        var vats = new List<long>();
        using (var command = db.Command("SELECT n FROM head_vats", tx))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) vats.Add(reader.GetInt64(0));
        using var exists = db.Command("SELECT count(*) FROM pages WHERE id = $i", tx);
        var parameter = exists.Parameters.Add("$i", SqliteType.Integer);
        foreach (var vat in vats)
        {
            var entries = ReadIndex(vat);
            foreach (var at in Named(entries))
            {
                parameter.Value = BinaryPrimitives.ReadInt64LittleEndian(entries.AsSpan(at));
                if ((long)exists.ExecuteScalar()! != 0) continue;
                RandomAccess.Write(Files(vat).Index, new byte[EntrySize], at);
                dropped++;
            }
        }
        return dropped;
    }

    /// <summary>Bytes the copies hold: the index files and a page for each entry that names one (the page files are sparse).</summary>
    public long Bytes()
    {
        if (!FolderIsOurs()) return 0;
        long bytes = 0;
        foreach (var file in Directory.GetFiles(FolderPath, "*.index"))
        {
            byte[] entries;
            try
            {
                entries = File.ReadAllBytes(file);
            }
            catch (IOException)
            {
                continue;
            }
            bytes += entries.Length + (long)Named(entries).Count() * db.PageSize;
        }
        return bytes;
    }

    public void Dispose() => CloseFiles();

    /// <summary>The offsets of the entries in <paramref name="entries"/> (an index file's bytes) that name a page.</summary>
    private static IEnumerable<int> Named(byte[] entries)
    {
        for (var at = 0; at + EntrySize <= entries.Length; at += EntrySize)
            if (BinaryPrimitives.ReadInt64LittleEndian(entries.AsSpan(at)) != 0) yield return at;
    }

    private byte[] ReadIndex(long vat)
    {
        if (vat == 0 || !FolderIsOurs()) return [];
        var path = IndexPath(vat);
        if (!File.Exists(path)) return [];
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private (SafeFileHandle Index, SafeFileHandle Pages) Files(long vat)
    {
        if (_files.TryGetValue(vat, out var files)) return files;
        PrepareFolder();
        var index = Open(IndexPath(vat));
        try
        {
            return _files[vat] = (index, Open(PagesPath(vat)));
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    // Written with a system call per run of pages: a shared memory map instead was measured slower (a page fault per
    // page written back since, 1.6–1.9 ms a save against 0.7).
    private static SafeFileHandle Open(string path) =>
        File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

    private void CloseFiles()
    {
        foreach (var (index, pages) in _files.Values)
        {
            index.Dispose();
            pages.Dispose();
        }
        _files.Clear();
    }

    private string IndexPath(long vat) => System.IO.Path.Combine(FolderPath, $"{vat}.index");

    private string PagesPath(long vat) => System.IO.Path.Combine(FolderPath, $"{vat}.pages");
}

/// <summary>A copy as read for a load: where its data lies in the vat's page file.</summary>
internal readonly record struct Head(long Page, long Key, int Depth, long Offset);

/// <summary>A vat's copies, by page id, and its page file open for reading them.</summary>
internal sealed class HeadSet : IDisposable
{
    private SafeFileHandle? _pages;
    private int _pageSize;

    public Dictionary<long, Head> ByPage { get; } = [];

    public void Open(string path, int pageSize)
    {
        _pages = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _pageSize = pageSize;
    }

    /// <summary>Reads <paramref name="head"/>'s page into <paramref name="target"/> (one read; loads call this from several threads).</summary>
    public void Decode(in Head head, Span<byte> target)
    {
        if (_pages is null || target.Length != _pageSize || RandomAccess.Read(_pages, target, head.Offset) != _pageSize)
            throw new InvalidDataException($"the copy of page {head.Page} is missing from its file");
    }

    public void Dispose()
    {
        _pages?.Dispose();
        _pages = null;
    }
}

