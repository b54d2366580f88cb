using Vats.SnapshotStore.Storage;

namespace Vats.SnapshotStore;

/// <summary>
/// Vat checkpoints and transcripts in one SQLite database: memory pages stored once each by content (compressed, or
/// as patches against the previous version of the page), manifests naming a snapshot's pages, roots that identify a
/// snapshot on any machine, and each vat's transcript. See README.md for the format and RATIONALE.md for the choices.
/// </summary>
/// <remarks>
/// Thread-safety: every method takes the store's lock, so one instance may be shared by threads, which then take
/// turns. One writer per database: two stores (or processes) writing the same file are serialized by SQLite, but
/// each keeps its own memory of the last snapshots, so a store must not save against snapshots another writer deletes.
/// Readers in other processes see only committed saves (WAL mode).
/// </remarks>
public sealed partial class SnapshotStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Database _db;
    private readonly PageStore _pages;
    private readonly ManifestStore _manifests;
    private readonly HeadStore _heads;

    // A read-only second connection, opened at the first load that uses it: a load reads a vat's page copies on one
    // connection and the other pages' chains on this one at the same time.
    private (Database Db, PageStore Pages)? _reader;
    private readonly TipCache _tips;
    private bool _disposed;

    private SnapshotStore(string path, SnapshotStoreOptions options)
    {
        Options = options;
        _db = new Database(path, options.PageSize, options.Durable);
        _pages = new PageStore(_db);
        _manifests = new ManifestStore(_db);
        _heads = new HeadStore(_db);
        _tips = new TipCache(options.TipCacheBytes);
    }

    /// <summary>
    /// Opens the store in <paramref name="path"/>, creating it if needed. Throws <see cref="SnapshotFormatException"/>
    /// for a file that is not a store of this format or has another page size.
    /// </summary>
    public static SnapshotStore Open(string path, SnapshotStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SnapshotStoreOptions();
        options.Validate();
        return new SnapshotStore(path, options);
    }

    /// <summary>The options the store was opened with.</summary>
    public SnapshotStoreOptions Options { get; }

    /// <summary>The database file.</summary>
    public string Path => _db.Path;

    /// <summary>Bytes per page.</summary>
    public int PageSize => _db.PageSize;

    /// <summary>Bytes of the database file and its write-ahead log now.</summary>
    public long FileBytes
    {
        get
        {
            lock (_gate) return _db.FileBytes();
        }
    }

    /// <summary>
    /// Bytes held by the whole page copies kept beside the database for fast loads (<c>{database}-copies/</c>): a cache of
    /// at most each vat's memory, not counted in <see cref="FileBytes"/>.
    /// </summary>
    public long CopyBytes
    {
        get
        {
            lock (_gate)
            {
                ThrowIfDisposed();
                WriteCopies();
                return _heads.Bytes();
            }
        }
    }

    /// <summary>Moves the write-ahead log into the database file (SQLite's checkpoint), so <see cref="FileBytes"/> is the data's size.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            _db.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /// <summary>Tests: runs inside every save's transaction, just before it commits (to crash or fail there).</summary>
    internal Action? BeforeCommit { get; set; }

    /// <summary>Closes the database.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            WriteCopies();
            _disposed = true;
            _tips.Clear();
            _heads.Dispose();
            _pages.Dispose();
            _reader?.Pages.Dispose();
            _reader?.Db.Dispose();
            _db.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void Forget()
    {
        _tips.Clear();
        _pages.Forget();
        _heads.Forget();
    }
}
