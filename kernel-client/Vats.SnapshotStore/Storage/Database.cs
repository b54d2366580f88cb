using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vats.SnapshotStore.Storage;

/// <summary>The SQLite connection, the schema (see README) and small command helpers.</summary>
internal sealed class Database : IDisposable
{
    /// <summary>3: whole page copies in files beside the database (see <see cref="HeadStore"/>), vat numbers in <c>head_vats</c>.</summary>
    public const int SchemaVersion = 3;

    private const string Schema = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE pages(id INTEGER PRIMARY KEY AUTOINCREMENT, key INTEGER NOT NULL, base INTEGER, depth INTEGER NOT NULL, codec INTEGER NOT NULL, data BLOB NOT NULL);
        CREATE INDEX pages_by_key ON pages(key) WHERE depth = 0;
        CREATE TABLE manifests(id INTEGER PRIMARY KEY AUTOINCREMENT, root BLOB NOT NULL UNIQUE, base INTEGER, depth INTEGER NOT NULL, data BLOB NOT NULL);
        CREATE TABLE snapshots(vat TEXT NOT NULL, position INTEGER NOT NULL, manifest INTEGER NOT NULL, memory_size INTEGER NOT NULL,
            seq INTEGER NOT NULL, PRIMARY KEY(vat, position)) WITHOUT ROWID;
        CREATE INDEX snapshots_by_manifest ON snapshots(manifest);
        CREATE TABLE transcript(vat TEXT NOT NULL, position INTEGER NOT NULL, delivery NOT NULL, result NOT NULL, syscalls INTEGER NOT NULL,
            PRIMARY KEY(vat, position)) WITHOUT ROWID;
        CREATE TABLE transcript_syscalls(vat TEXT NOT NULL, position INTEGER NOT NULL, n INTEGER NOT NULL, syscall NOT NULL, result NOT NULL,
            PRIMARY KEY(vat, position, n)) WITHOUT ROWID;
        CREATE TABLE transcript_ends(vat TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
        """ + HeadTables + VatDataTable;

    // Schema 3: the copies themselves are in files (schemas 1 and 2 kept them in a `heads` table); the vats' numbers,
    // which name those files, stay here.
    private const string HeadTables = """

        CREATE TABLE IF NOT EXISTS head_vats(n INTEGER PRIMARY KEY, vat TEXT NOT NULL UNIQUE);
        """;

    // Added after schema 1 was first written: stores made before it gain the table when opened (additive, so the
    // schema version stays 1).
    private const string VatDataTable = """

        CREATE TABLE IF NOT EXISTS vat_data(vat TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY(vat, key)) WITHOUT ROWID;
        """ + SeqIndex;

    // Added with schema 3, additive like vat_data: a save numbers its snapshot max(seq) + 1, which without an index
    // read every snapshot row (0.1 ms a save after 1,000, growing with the history).
    private const string SeqIndex = """

        CREATE INDEX IF NOT EXISTS snapshots_by_seq ON snapshots(seq);
        """;

    public Database(string path, int pageSize, bool durable)
    {
        Path = System.IO.Path.GetFullPath(path);
        Connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        Connection.Open();
        try
        {
            Execute("PRAGMA busy_timeout = 10000");
            var fresh = Scalar<long>("SELECT count(*) FROM sqlite_master") == 0;
            if (fresh) Execute("PRAGMA auto_vacuum = INCREMENTAL");
            Execute("PRAGMA journal_mode = WAL");
            Execute(durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            Execute("PRAGMA cache_size = -65536");
            Execute("PRAGMA temp_store = MEMORY");
            // Reads through a memory map: a store opened to restart a vat reads megabytes of pages that are in the OS's
            // cache, and a read() per 4 KiB SQLite page cost more than the rows themselves.
            Execute("PRAGMA mmap_size = 1073741824");
            if (fresh)
            {
                using var tx = Connection.BeginTransaction();
                Execute(Schema, tx);
                Execute("INSERT INTO meta(key, value) VALUES ('schema', $v), ('page_size', $p)", tx, ("$v", SchemaVersion), ("$p", pageSize));
                tx.Commit();
            }
            var schema = Scalar<string>("SELECT value FROM meta WHERE key = 'schema'");
            if (schema is "1" or "2") schema = MigrateCopies();
            if (schema != SchemaVersion.ToString(CultureInfo.InvariantCulture))
                throw new SnapshotFormatException($"{Path} has snapshot store schema {schema}; this build reads {SchemaVersion}");
            PageSize = int.Parse(Scalar<string>("SELECT value FROM meta WHERE key = 'page_size'")!, CultureInfo.InvariantCulture);
            if (PageSize != pageSize)
                throw new SnapshotFormatException($"{Path} stores {PageSize}-byte pages; the options ask for {pageSize}");
            if (!fresh) Execute(VatDataTable);
        }
        catch (SqliteException e)
        {
            Connection.Dispose();
            throw new SnapshotFormatException($"{Path} is not a snapshot store: {e.Message}", e);
        }
        catch
        {
            Connection.Dispose();
            throw;
        }
    }

    private Database(string path, int pageSize, SqliteConnection connection)
    {
        Path = path;
        PageSize = pageSize;
        Connection = connection;
    }

    /// <summary>
    /// A second, read-only connection to the same file, for reading in parallel with this one (WAL mode: it sees every
    /// committed transaction, none in progress on this connection).
    /// </summary>
    public Database OpenReader()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        var reader = new Database(Path, PageSize, connection);
        try
        {
            reader.Execute("PRAGMA busy_timeout = 10000");
            reader.Execute("PRAGMA cache_size = -65536");
            reader.Execute("PRAGMA mmap_size = 1073741824");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return reader;
    }

    /// <summary>
    /// Schemas 1 and 2 → 3: only the whole page copies changed, and they are a cache; the old ones are dropped, and the
    /// next save of each vat writes new ones (a load meanwhile reads the patch chains).
    /// </summary>
    private string MigrateCopies()
    {
        using var tx = Connection.BeginTransaction();
        Execute("DROP TABLE IF EXISTS heads", tx);
        Execute(HeadTables, tx);
        Execute("UPDATE meta SET value = $v WHERE key = 'schema'", tx, ("$v", SchemaVersion));
        tx.Commit();
        return SchemaVersion.ToString(CultureInfo.InvariantCulture);
    }

    public string Path { get; }

    public int PageSize { get; }

    public SqliteConnection Connection { get; }

    public SqliteCommand Command(string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    // Commands kept by their text, so that a statement a save runs each time is compiled once (Microsoft.Data.Sqlite
    // keeps a command's compiled statement while its text is unchanged; a new command compiles it again).
    private readonly Dictionary<string, SqliteCommand> _reused = new(StringComparer.Ordinal);

    /// <summary>
    /// The connection's command for <paramref name="sql"/>, made once and kept (not to be disposed by the caller, nor
    /// used again before its reader is closed), with <paramref name="parameters"/> bound.
    /// </summary>
    public SqliteCommand Reused(string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        if (!_reused.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _reused[sql] = command;
        }
        command.Transaction = tx;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public int Execute(string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters) =>
        Reused(sql, tx, parameters).ExecuteNonQuery();

    public T? Scalar<T>(string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        var value = Reused(sql, tx, parameters).ExecuteScalar();
        if (value is null or DBNull) return default;
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes of the database file and its WAL.</summary>
    public long FileBytes()
    {
        long Size(string p) => File.Exists(p) ? new FileInfo(p).Length : 0;
        return Size(Path) + Size(Path + "-wal");
    }

    public void Dispose()
    {
        foreach (var command in _reused.Values) command.Dispose();
        _reused.Clear();
        Connection.Dispose();
    }
}
