using Microsoft.Data.Sqlite;

namespace Vats.SnapshotStore;

public sealed partial class SnapshotStore
{
    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/> for the vat, replacing what was there: a small
    /// place for the state a kernel keeps about a vat (its c-lists, its vatstore) so that it travels with the vat's
    /// snapshots and transcript, export and import included. One transaction.
    /// </summary>
    public void SetVatData(string vatId, string key, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(vatId);
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var tx = _db.Connection.BeginTransaction();
            SetVatDataIn(tx, vatId, key, value.ToArray());
            tx.Commit();
        }
    }

    /// <summary>What <see cref="SetVatData"/> stored under <paramref name="key"/> for the vat, or null.</summary>
    public byte[]? GetVatData(string vatId, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(vatId);
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var command = _db.Command("SELECT value FROM vat_data WHERE vat = $v AND key = $k", null, ("$v", vatId), ("$k", key));
            return command.ExecuteScalar() as byte[];
        }
    }

    /// <summary>Deletes what is stored under <paramref name="key"/> for the vat; false when there was nothing.</summary>
    public bool DeleteVatData(string vatId, string key)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _db.Execute("DELETE FROM vat_data WHERE vat = $v AND key = $k", null, ("$v", vatId), ("$k", key)) > 0;
        }
    }

    private void SetVatDataIn(SqliteTransaction tx, string vatId, string key, byte[] value) =>
        _db.Execute("INSERT OR REPLACE INTO vat_data(vat, key, value) VALUES ($v, $k, $d)", tx, ("$v", vatId), ("$k", key), ("$d", value));

    private List<(string Vat, string Key, byte[] Value)> VatDataIn(SqliteTransaction tx, string? vatId)
    {
        using var command = vatId is null
            ? _db.Command("SELECT vat, key, value FROM vat_data ORDER BY vat, key", tx)
            : _db.Command("SELECT vat, key, value FROM vat_data WHERE vat = $v ORDER BY key", tx, ("$v", vatId));
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, byte[])>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        return rows;
    }
}
