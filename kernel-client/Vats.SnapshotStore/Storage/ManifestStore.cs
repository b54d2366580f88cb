using Microsoft.Data.Sqlite;
using Vats.SnapshotStore.Format;

namespace Vats.SnapshotStore.Storage;

/// <summary>Reads and writes rows of the <c>manifests</c> table and resolves their chains.</summary>
internal sealed class ManifestStore(Database db)
{
    public sealed record Row(long Id, SnapshotRoot Root, long Base, int Depth, byte[] Data);

    public long Insert(SqliteTransaction tx, SnapshotRoot root, long @base, int depth, byte[] data)
    {
        var command = db.Reused("INSERT INTO manifests(root, base, depth, data) VALUES ($r, $b, $d, $x) RETURNING id", tx,
            ("$r", root.Bytes.ToArray()), ("$b", @base == 0 ? null : @base), ("$d", depth), ("$x", data));
        return (long)command.ExecuteScalar()!;
    }

    public Row? ByRoot(SqliteTransaction? tx, SnapshotRoot root) =>
        Single(tx, "SELECT id, root, base, depth, data FROM manifests WHERE root = $v", root.Bytes.ToArray());

    public Row? ById(SqliteTransaction? tx, long id) => Single(tx, "SELECT id, root, base, depth, data FROM manifests WHERE id = $v", id);

    /// <summary>Decodes a manifest, reading its chain of bases (throws <see cref="InvalidDataException"/> when damaged).</summary>
    public ResolvedManifest Resolve(SqliteTransaction? tx, Row row, Dictionary<long, ResolvedManifest>? cache = null)
    {
        var chain = new List<Row> { row };
        ResolvedManifest? start = null;
        while (chain[^1].Base != 0)
        {
            if (chain.Count > PageStore.ChainGuard) throw new InvalidDataException("a manifest chain is too long");
            if (cache is not null && cache.TryGetValue(chain[^1].Base, out start)) break;
            chain.Add(ById(tx, chain[^1].Base) ?? throw new InvalidDataException($"manifest {chain[^1].Base}, a base, is missing"));
        }
        var current = start;
        for (var n = chain.Count - 1; n >= 0; n--)
        {
            if (chain[n].Base == 0 && current is not null && start is null) throw new InvalidDataException("a manifest chain is inconsistent");
            current = StoredManifest.Decode(chain[n].Data, chain[n].Base == 0 ? null : current);
            cache?.TryAdd(chain[n].Id, current);
        }
        return current!;
    }

    /// <summary>Every manifest row, bases before the manifests stored against them.</summary>
    public List<Row> All(SqliteTransaction? tx)
    {
        using var command = db.Command("SELECT id, root, base, depth, data FROM manifests ORDER BY id", tx);
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read()) rows.Add(Read(reader));
        return rows;
    }

    private Row? Single(SqliteTransaction? tx, string sql, object value)
    {
        using var reader = db.Reused(sql, tx, ("$v", value)).ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    private static Row Read(SqliteDataReader reader)
    {
        var root = reader.GetFieldValue<byte[]>(1);
        return new Row(reader.GetInt64(0), root.Length == 32 ? new SnapshotRoot(root) : new SnapshotRoot(new byte[32]),
            reader.IsDBNull(2) ? 0 : reader.GetInt64(2), reader.GetInt32(3), reader.GetFieldValue<byte[]>(4));
    }
}
