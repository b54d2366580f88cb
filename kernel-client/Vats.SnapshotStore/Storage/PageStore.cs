using System.Buffers.Binary;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Vats.Protocol;
using Vats.SnapshotStore.Format;

namespace Vats.SnapshotStore.Storage;

/// <summary>Reads and writes rows of the <c>pages</c> table and rebuilds pages from their patch chains.</summary>
internal sealed class PageStore(Database db) : IDisposable
{
    /// <summary>A chain longer than this is corrupt whatever the options said when it was written.</summary>
    public const int ChainGuard = 1001;

    private readonly Dictionary<long, byte[]> _decoded = [];
    private readonly Queue<long> _decodedOrder = new();
    private const int DecodedCacheEntries = 4096;

    public int PageSize => db.PageSize;

    public static long KeyOf(ReadOnlySpan<byte> sha256) => BinaryPrimitives.ReadInt64BigEndian(sha256);

    // Prepared once through the C API (see Insert); the other statements are the database's reused commands.
    private sqlite3_stmt? _insert, _insertBatch;

    /// <summary>The id the next stored page gets (ids are never reused: the table is AUTOINCREMENT).</summary>
    public long NextId(SqliteTransaction tx) =>
        Math.Max(db.Scalar<long>("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'pages'), 0)", tx),
            db.Scalar<long>("SELECT coalesce(max(id), 0) FROM pages", tx)) + 1;

    /// <summary>Stores new pages (their ids chosen by the caller from <see cref="NextId"/>).</summary>
    /// <remarks>
    /// Straight through SQLite's C API with statements prepared once, 16 rows a statement: a save inserts hundreds of
    /// rows, and a command's execution through Microsoft.Data.Sqlite (parameter objects, a data reader per row) cost
    /// 5.5 µs a row, twice the insert itself (see RATIONALE.md). Runs in <paramref name="tx"/>, which is the connection's.
    /// </remarks>
    public void Insert(SqliteTransaction tx, IReadOnlyList<PageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var handle = db.Connection.Handle!;
        _insert ??= Prepare(1);
        _insertBatch ??= Prepare(Batch);
        var n = 0;
        for (; n + Batch <= rows.Count; n += Batch)
        {
            for (var k = 0; k < Batch; k++) Bind(_insertBatch, k * 6, rows[n + k]);
            Step(_insertBatch);
        }
        for (; n < rows.Count; n++)
        {
            Bind(_insert, 0, rows[n]);
            Step(_insert);
        }

        sqlite3_stmt Prepare(int count)
        {
            var sql = new StringBuilder("INSERT INTO pages(id, key, base, depth, codec, data) VALUES ");
            for (var k = 0; k < count; k++)
            {
                if (k > 0) sql.Append(", ");
                sql.Append('(');
                for (var c = 1; c <= 6; c++) sql.Append(c > 1 ? ", ?" : "?").Append(k * 6 + c);
                sql.Append(')');
            }
            Check(raw.sqlite3_prepare_v2(handle, sql.ToString(), out var statement));
            return statement;
        }

        void Bind(sqlite3_stmt statement, int at, PageRow row)
        {
            Check(raw.sqlite3_bind_int64(statement, at + 1, row.Id));
            Check(raw.sqlite3_bind_int64(statement, at + 2, row.Key));
            Check(row.Base == 0 ? raw.sqlite3_bind_null(statement, at + 3) : raw.sqlite3_bind_int64(statement, at + 3, row.Base));
            Check(raw.sqlite3_bind_int(statement, at + 4, row.Depth));
            Check(raw.sqlite3_bind_int(statement, at + 5, row.Codec));
            Check(raw.sqlite3_bind_blob(statement, at + 6, row.Data));
        }

        void Step(sqlite3_stmt statement)
        {
            var rc = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (rc != raw.SQLITE_DONE) Check(rc);
        }

        void Check(int rc)
        {
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
        }
    }

    // Rows per multi-row statement: each statement execution also updates the table's AUTOINCREMENT counter, and
    // binding a statement of 16 rows cost less than 16 executions (store bench, 1,000 checkpoints: a save's inserts
    // 0.88–0.90 → 0.64–0.68 ms).
    private const int Batch = 16;

    /// <summary>Finalizes the statements prepared through the C API (before the connection closes).</summary>
    public void Dispose()
    {
        _insert?.Dispose();
        _insertBatch?.Dispose();
        (_insert, _insertBatch) = (null, null);
    }

    /// <summary>The standalone pages whose SHA-256 starts with <paramref name="key"/> (only those are indexed: see RATIONALE.md).</summary>
    public List<long> FindByKey(SqliteTransaction? tx, long key)
    {
        using var reader = db.Reused("SELECT id FROM pages WHERE key = $k AND depth = 0 ORDER BY id", tx, ("$k", key)).ExecuteReader();
        var ids = new List<long>();
        while (reader.Read()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary><see cref="FindByKey"/> for many keys in one query: the candidates by key.</summary>
    public Dictionary<long, List<long>> FindByKeys(SqliteTransaction? tx, IReadOnlyCollection<long> keys)
    {
        var found = new Dictionary<long, List<long>>();
        if (keys.Count == 0) return found;
        var list = new StringBuilder("[");
        foreach (var key in keys) list.Append(key).Append(',');
        list[^1] = ']';
        using var reader = db.Reused("SELECT key, id FROM pages WHERE depth = 0 AND key IN (SELECT value FROM json_each($keys)) ORDER BY id", tx,
            ("$keys", list.ToString())).ExecuteReader();
        while (reader.Read())
        {
            var key = reader.GetInt64(0);
            if (!found.TryGetValue(key, out var ids)) found[key] = ids = [];
            ids.Add(reader.GetInt64(1));
        }
        return found;
    }

    public PageRow? Row(SqliteTransaction? tx, long id)
    {
        using var reader = db.Reused("SELECT key, base, depth, codec, data FROM pages WHERE id = $id", tx, ("$id", id)).ExecuteReader();
        return reader.Read() ? Read(reader, id, 0) : null;
    }

    /// <summary>
    /// The rows of <paramref name="ids"/> and of the pages in their patch chains, down to a standalone page or a page
    /// in <paramref name="stop"/> (whose contents the caller has): one query per chain level; dense runs of ids are
    /// read as ranges, which costs SQLite far less than a lookup per id.
    /// </summary>
    public Dictionary<long, PageRow> RowsWithChains<TStop>(SqliteTransaction? tx, IEnumerable<long> ids, IReadOnlyDictionary<long, TStop>? stop = null)
    {
        var rows = new Dictionary<long, PageRow>();
        var wanted = ids.Where(id => stop is null || !stop.ContainsKey(id)).Distinct().Order().ToList();
        using var byList = db.Command("SELECT p.id, p.key, p.base, p.depth, p.codec, p.data FROM json_each($ids) j JOIN pages p ON p.id = j.value", tx);
        var list = byList.Parameters.Add("$ids", SqliteType.Text);
        using var byRange = db.Command("SELECT id, key, base, depth, codec, data FROM pages WHERE id BETWEEN $lo AND $hi", tx);
        var lo = byRange.Parameters.Add("$lo", SqliteType.Integer);
        var hi = byRange.Parameters.Add("$hi", SqliteType.Integer);
        for (var level = 0; wanted.Count > 0; level++)
        {
            if (level > ChainGuard) throw new InvalidDataException($"a patch chain is longer than {ChainGuard - 1}");
            var wantedSet = wanted.ToHashSet();
            var scattered = new StringBuilder("[");
            var next = new List<long>();
            void Take(SqliteCommand command)
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var id = reader.GetInt64(0);
                    if (!wantedSet.Contains(id) || rows.ContainsKey(id)) continue;
                    var row = Read(reader, id, 1);
                    rows[id] = row;
                    if (row.Base != 0 && (stop is null || !stop.ContainsKey(row.Base))) next.Add(row.Base);
                }
            }
            for (var start = 0; start < wanted.Count;)
            {
                // A run: ids at most 4 apart. Runs of 32 or more ids that fill at least half their range are scanned.
                var end = start + 1;
                while (end < wanted.Count && wanted[end] - wanted[end - 1] <= 4) end++;
                var count = end - start;
                if (count >= 32 && count * 2 >= wanted[end - 1] - wanted[start] + 1)
                {
                    lo.Value = wanted[start];
                    hi.Value = wanted[end - 1];
                    Take(byRange);
                }
                else for (var n = start; n < end; n++) scattered.Append(wanted[n]).Append(',');
                start = end;
            }
            if (scattered.Length > 1)
            {
                scattered[^1] = ']';
                list.Value = scattered.ToString();
                Take(byList);
            }
            wanted = next.Where(id => !rows.ContainsKey(id)).Distinct().Order().ToList();
        }
        return rows;
    }

    /// <summary>
    /// Rebuilds page <paramref name="id"/> into <paramref name="target"/> from <paramref name="rows"/> (which must hold
    /// its chain), starting from a whole copy in <paramref name="heads"/> where the chain meets one.
    /// </summary>
    public static void Decode(long id, IReadOnlyDictionary<long, PageRow> rows, Span<byte> target, HeadSet? heads = null)
    {
        Span<long> small = stackalloc long[16];
        var chain = small;
        var length = 0;
        var current = id;
        var fromHead = false;
        Head head = default;
        while (true)
        {
            if (heads is not null && heads.ByPage.TryGetValue(current, out head))
            {
                fromHead = true;
                break;
            }
            if (length == ChainGuard) throw new InvalidDataException($"page {id}'s patch chain is longer than {ChainGuard - 1}");
            if (!rows.TryGetValue(current, out var row)) throw new InvalidDataException($"page {current} (in the chain of page {id}) is missing");
            if (length == chain.Length)
            {
                var larger = new long[chain.Length * 4];
                chain.CopyTo(larger);
                chain = larger;
            }
            chain[length++] = current;
            if (row.Base == 0) break;
            current = row.Base;
        }
        if (fromHead) heads!.Decode(head, target);
        for (var n = length - 1; n >= 0; n--) Apply(rows[chain[n]], target, first: !fromHead && n == length - 1);
    }

    /// <summary>Rebuilds page <paramref name="id"/> reading its chain from the database (recent pages are kept decoded).</summary>
    public byte[] Decode(SqliteTransaction? tx, long id)
    {
        if (_decoded.TryGetValue(id, out var cached)) return cached;
        var chain = new List<PageRow>();
        byte[]? start = null;
        var current = id;
        while (true)
        {
            if (chain.Count == ChainGuard) throw new InvalidDataException($"page {id}'s patch chain is longer than {ChainGuard - 1}");
            if (chain.Count > 0 && _decoded.TryGetValue(current, out start)) break;
            var row = Row(tx, current) ?? throw new InvalidDataException($"page {current} (in the chain of page {id}) is missing");
            chain.Add(row);
            if (row.Base == 0) break;
            current = row.Base;
        }
        var page = new byte[PageSize];
        var first = start is null;
        if (start is not null) start.CopyTo(page, 0);
        for (var n = chain.Count - 1; n >= 0; n--)
        {
            Apply(chain[n], page, first && n == chain.Count - 1);
        }
        Remember(id, page);
        return page;
    }

    /// <summary>
    /// The id of the standalone page at the start of <paramref name="id"/>'s chain: one recursive query (a save asks
    /// for a few pages at the chain bound each time; a query per level cost ≈ 0.3 ms a page).
    /// </summary>
    public long ChainStart(SqliteTransaction? tx, long id)
    {
        using var reader = db.Reused($"""
            WITH RECURSIVE chain(id, base, n) AS (
                SELECT id, base, 0 FROM pages WHERE id = $id
                UNION ALL SELECT p.id, p.base, chain.n + 1 FROM pages p JOIN chain ON p.id = chain.base WHERE chain.n < {ChainGuard})
            SELECT id, base, n FROM chain ORDER BY n DESC LIMIT 1
            """, tx, ("$id", id)).ExecuteReader();
        if (!reader.Read()) throw new InvalidDataException($"page {id} is missing");
        if (!reader.IsDBNull(1))
        {
            throw reader.GetInt64(2) >= ChainGuard
                ? new InvalidDataException($"page {id}'s patch chain is too long")
                : new InvalidDataException($"page {reader.GetInt64(1)} (in the chain of page {id}) is missing");
        }
        return reader.GetInt64(0);
    }

    private void Remember(long id, byte[] page)
    {
        if (_decoded.TryAdd(id, page))
        {
            _decodedOrder.Enqueue(id);
            if (_decodedOrder.Count > DecodedCacheEntries) _decoded.Remove(_decodedOrder.Dequeue());
        }
    }

    public void Forget()
    {
        _decoded.Clear();
        _decodedOrder.Clear();
    }

    private static void Apply(PageRow row, Span<byte> target, bool first)
    {
        switch (row.Codec)
        {
            case PageCodec.Raw when first && row.Base == 0:
                if (row.Data.Length != target.Length) throw new InvalidDataException($"raw page {row.Id} has {row.Data.Length} bytes");
                row.Data.CopyTo(target);
                break;
            case PageCodec.Lz4 when first && row.Base == 0:
                Lz4.Decompress(row.Data, target);
                break;
            case PageCodec.Patch when !first && row.Base != 0:
                SparsePatch.Apply(row.Data, target);
                break;
            default:
                throw new InvalidDataException($"page {row.Id} has codec {row.Codec} and base {row.Base}, which do not fit its place in a chain");
        }
    }

    private static PageRow Read(SqliteDataReader reader, long id, int at) =>
        new(id, reader.GetInt64(at), reader.IsDBNull(at + 1) ? 0 : reader.GetInt64(at + 1), reader.GetInt32(at + 2), (byte)reader.GetInt32(at + 3),
            reader.GetFieldValue<byte[]>(at + 4));
}
