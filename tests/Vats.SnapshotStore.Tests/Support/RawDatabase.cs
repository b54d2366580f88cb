using Microsoft.Data.Sqlite;

namespace Vats.SnapshotStore.Tests.Support;

/// <summary>Direct access to a store's SQLite file, to damage it or count its rows (the store must be closed).</summary>
internal sealed class RawDatabase : IDisposable
{
    private readonly SqliteConnection _connection;

    public RawDatabase(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
    }

    public List<long> Ids(string table)
    {
        var ids = new List<long>();
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {table} ORDER BY id";
        using var reader = command.ExecuteReader();
        while (reader.Read()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    public long Count(string table) => (long)Scalar($"SELECT count(*) FROM {table}")!;

    public object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public byte[] Data(string table, long id) => (byte[])Scalar($"SELECT data FROM {table} WHERE id = {id}")!;

    public void SetData(string table, long id, byte[] data)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"UPDATE {table} SET data = $d WHERE id = {id}";
        command.Parameters.AddWithValue("$d", data);
        command.ExecuteNonQuery();
    }

    /// <summary>Flips one bit of a row's data at <paramref name="at"/> (modulo its length); returns the original.</summary>
    public byte[] Flip(string table, long id, int at)
    {
        var original = Data(table, id);
        var damaged = (byte[])original.Clone();
        damaged[at % damaged.Length] ^= 0x10;
        SetData(table, id, damaged);
        return original;
    }

    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
