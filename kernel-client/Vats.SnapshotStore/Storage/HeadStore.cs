using Microsoft.Data.Sqlite;
using Vats.SnapshotStore.Format;

namespace Vats.SnapshotStore.Storage;

/// <summary>
/// Whole copies (LZ4) of some patch pages, so that loading a recent snapshot never walks a long patch chain: a save
/// copies each new patch page whose depth is a multiple of <see cref="SnapshotStoreOptions.HeadInterval"/>, replacing
/// the vat's previous copy at that index; a chain walk stops at the first page it has a copy of. A cache of page
/// contents: every copy is checked like the page itself, and a load falls back to the chains when one is damaged.
/// </summary>
internal sealed class HeadStore(Database db)
{
    public sealed record Head(int Index, long Page, long Key, int Depth, byte Codec, byte[] Data);

    private SqliteCommand? _upsert;

    /// <summary>The vat's copies, by page id.</summary>
    public Dictionary<long, Head> Read(SqliteTransaction? tx, string vatId)
    {
        using var command = db.Command("SELECT idx, page, key, depth, codec, data FROM heads WHERE vat = $v", tx, ("$v", vatId));
        using var reader = command.ExecuteReader();
        var heads = new Dictionary<long, Head>();
        while (reader.Read())
        {
            var head = new Head(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), (byte)reader.GetInt32(4),
                reader.GetFieldValue<byte[]>(5));
            heads[head.Page] = head;
        }
        return heads;
    }

    /// <summary>Copies <paramref name="page"/> (page id <paramref name="pageId"/>) as the vat's copy at <paramref name="index"/>.</summary>
    public void Put(SqliteTransaction tx, string vatId, int index, long pageId, long key, int depth, ReadOnlySpan<byte> page)
    {
        if (_upsert is null)
        {
            _upsert = db.Command("""
                INSERT INTO heads(vat, idx, page, key, depth, codec, data) VALUES ($v, $i, $p, $k, $e, $c, $d)
                ON CONFLICT(vat, idx) DO UPDATE SET page = excluded.page, key = excluded.key, depth = excluded.depth, codec = excluded.codec,
                    data = excluded.data
                """);
            foreach (var name in new[] { "$v", "$i", "$p", "$k", "$e", "$c", "$d" }) _upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        var packed = Lz4.Compress(page, 0);
        _upsert.Transaction = tx;
        _upsert.Parameters[0].Value = vatId;
        _upsert.Parameters[1].Value = index;
        _upsert.Parameters[2].Value = pageId;
        _upsert.Parameters[3].Value = key;
        _upsert.Parameters[4].Value = depth;
        _upsert.Parameters[5].Value = (int)(packed is null ? PageCodec.Raw : PageCodec.Lz4);
        _upsert.Parameters[6].Value = packed ?? page.ToArray();
        _upsert.ExecuteNonQuery();
    }

    public static void Decode(Head head, Span<byte> target)
    {
        if (head.Codec == PageCodec.Lz4) Lz4.Decompress(head.Data, target);
        else if (head.Codec == PageCodec.Raw && head.Data.Length == target.Length) head.Data.CopyTo(target);
        else throw new InvalidDataException($"the copy of page {head.Page} has codec {head.Codec}");
    }

    /// <summary>Drops copies of pages that are no longer stored.</summary>
    public int DropOrphans(SqliteTransaction? tx) => db.Execute("DELETE FROM heads WHERE page NOT IN (SELECT id FROM pages)", tx);
}
