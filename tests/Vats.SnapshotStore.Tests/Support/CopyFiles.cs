using System.Buffers.Binary;

namespace Vats.SnapshotStore.Tests.Support;

/// <summary>
/// Direct access to a store's whole page copies (<c>{database}-copies/</c>: per vat number an index file of 24-byte
/// entries — page id, key, depth — and a file of raw pages, both by page index), to read or damage them.
/// </summary>
internal static class CopyFiles
{
    public const int EntrySize = 24;

    public static string Folder(string database) => database + "-copies";

    /// <summary>Every entry that names a page: its vat's index file, the page index and the page id.</summary>
    public static List<(string IndexFile, int Index, long PageId)> Entries(string database)
    {
        var entries = new List<(string, int, long)>();
        if (!Directory.Exists(Folder(database))) return entries;
        foreach (var file in Directory.GetFiles(Folder(database), "*.index").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            for (var at = 0; at + EntrySize <= bytes.Length; at += EntrySize)
                if (BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at)) is var id and not 0) entries.Add((file, at / EntrySize, id));
        }
        return entries;
    }

    /// <summary>Flips the bits of byte <paramref name="at"/> of the copy at <paramref name="index"/> in <paramref name="indexFile"/>'s page file.</summary>
    public static void Flip(string indexFile, int index, int at, int pageSize = 4096)
    {
        using var pages = File.Open(Path.ChangeExtension(indexFile, ".pages"), FileMode.Open, FileAccess.ReadWrite);
        pages.Position = (long)index * pageSize + at;
        var b = pages.ReadByte();
        pages.Position--;
        pages.WriteByte((byte)(b ^ 0xFF));
    }
}
