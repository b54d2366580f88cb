using Microsoft.Data.Sqlite;
using Vats.SnapshotStore.Format;

namespace Vats.SnapshotStore.Storage;

/// <summary>
/// Whole copies (LZ4) of a vat's recent patch pages, so that loading its latest snapshot reads one copy per page
/// instead of walking patch chains: a save copies each new patch page whose depth is a multiple of
/// <see cref="SnapshotStoreOptions.HeadInterval"/>, replacing the vat's previous copy at that index; a
/// chain walk stops at the first page it has a copy of. A cache of page contents: every copy is checked like the page
/// itself, and a load falls back to the chains when one is damaged or stale.
/// </summary>
internal sealed class HeadStore(Database db)
{
    private readonly Dictionary<string, long> _vatNumbers = new(StringComparer.Ordinal);

    // Prepared once: these run for every copied page, and once per load.
    private SqliteCommand? _upsert, _read, _pageIds;

    // Kept between loads (they take turns under the store's lock): megabytes that would otherwise be allocated and
    // faulted in anew by every load.
    private byte[] _arena = new byte[1 << 20];

    /// <summary>The id of the copy of page <paramref name="index"/> of vat number <paramref name="vat"/>.</summary>
    private static long Slot(long vat, int index) => (vat << 32) | (uint)index;

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

    /// <summary>Forgets the remembered vat numbers (after a rollback, or a collection that may drop them).</summary>
    public void Forget() => _vatNumbers.Clear();

    /// <summary>The page ids the vat has copies of (without their data); empty when none.</summary>
    public HashSet<long> PageIds(SqliteTransaction? tx, string vatId)
    {
        var ids = new HashSet<long>();
        var vat = VatNumber(tx, vatId, create: false);
        if (vat == 0) return ids;
        using var reader = ReadRange(ref _pageIds, "page", tx, vat);
        while (reader.Read()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>The vat's copies, their data one after another in one buffer (one sequential scan of the vat's range).</summary>
    public HeadSet? Read(SqliteTransaction? tx, string vatId)
    {
        var vat = VatNumber(tx, vatId, create: false);
        if (vat == 0) return null;
        using var reader = ReadRange(ref _read, "id, page, key, depth, codec, data", tx, vat);
        var set = new HeadSet();
        var arena = _arena;
        var used = 0;
        while (reader.Read())
        {
            var length = (int)reader.GetBytes(5, 0, null, 0, 0);
            if (arena.Length - used < length) Array.Resize(ref arena, Math.Max(arena.Length * 2, used + length));
            reader.GetBytes(5, 0, arena, used, length);
            var head = new Head((int)(reader.GetInt64(0) & 0xFFFF_FFFF), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), (byte)reader.GetInt32(4),
                used, length);
            used += length;
            set.ByPage[head.Page] = head;
        }
        set.Arena = _arena = arena;
        return set.ByPage.Count == 0 ? null : set;
    }

    /// <summary>Stores <paramref name="data"/> (a page packed by <see cref="Pack"/>) as the vat's copy of page id <paramref name="pageId"/> at <paramref name="index"/>.</summary>
    public void Put(SqliteTransaction tx, long vat, int index, long pageId, long key, int depth, (byte Codec, byte[] Data) data)
    {
        _upsert ??= Prepare("INSERT OR REPLACE INTO heads(id, page, key, depth, codec, data) VALUES ($i, $p, $k, $e, $c, $d)",
            "$i", "$p", "$k", "$e", "$c", "$d");
        _upsert.Transaction = tx;
        _upsert.Parameters[0].Value = Slot(vat, index);
        _upsert.Parameters[1].Value = pageId;
        _upsert.Parameters[2].Value = key;
        _upsert.Parameters[3].Value = depth;
        _upsert.Parameters[4].Value = (int)data.Codec;
        _upsert.Parameters[5].Value = data.Data;
        _upsert.ExecuteNonQuery();
    }

    /// <summary>A page as a copy holds it: LZ4 fast (copies are rewritten often; decoding speed is the same), raw when it does not compress.</summary>
    public static (byte Codec, byte[] Data) Pack(ReadOnlySpan<byte> page) =>
        Lz4.Compress(page, 0) is { } packed ? (PageCodec.Lz4, packed) : (PageCodec.Raw, page.ToArray());

    public static void Decode(HeadSet set, in Head head, Span<byte> target)
    {
        var data = set.Arena.AsSpan(head.Offset, head.Length);
        if (head.Codec == PageCodec.Lz4) Lz4.Decompress(data, target);
        else if (head.Codec == PageCodec.Raw && data.Length == target.Length) data.CopyTo(target);
        else throw new InvalidDataException($"the copy of page {head.Page} has codec {head.Codec}");
    }

    /// <summary>Drops copies of pages that are no longer stored.</summary>
    public int DropOrphans(SqliteTransaction? tx) => db.Execute("DELETE FROM heads WHERE page NOT IN (SELECT id FROM pages)", tx);

    /// <summary><paramref name="columns"/> of vat number <paramref name="vat"/>'s copies, in page index order (the command prepared once).</summary>
    private SqliteDataReader ReadRange(ref SqliteCommand? command, string columns, SqliteTransaction? tx, long vat)
    {
        command ??= Prepare($"SELECT {columns} FROM heads WHERE id BETWEEN $lo AND $hi", "$lo", "$hi");
        command.Transaction = tx;
        command.Parameters[0].Value = Slot(vat, 0);
        command.Parameters[1].Value = Slot(vat, -1);
        return command.ExecuteReader();
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = db.Command(sql);
        foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }
}

/// <summary>A copy as read for a load: where its data lies in <see cref="HeadSet.Arena"/>.</summary>
internal readonly record struct Head(int Index, long Page, long Key, int Depth, byte Codec, int Offset, int Length);

/// <summary>A vat's copies, by page id, with their data in one buffer.</summary>
internal sealed class HeadSet
{
    public Dictionary<long, Head> ByPage { get; } = [];
    public byte[] Arena { get; set; } = [];
}
