using Microsoft.Data.Sqlite;

namespace Vats.SnapshotStore.Transcripts;

/// <summary>
/// Strings stored exactly: as SQLite TEXT (UTF-8) when they are valid UTF-16, else — a lone surrogate would not
/// survive UTF-8 — as a BLOB of their UTF-16LE code units.
/// </summary>
internal static class ExactText
{
    public static object ToDb(string text) => IsWellFormed(text) ? text : System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()).ToArray();

    public static string FromDb(SqliteDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(byte[]) ? FromUtf16(reader.GetFieldValue<byte[]>(ordinal)) : reader.GetString(ordinal);

    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else return false;
        }
        return true;
    }

    public static string FromUtf16(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 2 != 0) throw new InvalidDataException("a UTF-16 text has an odd number of bytes");
        return new string(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(bytes));
    }
}
