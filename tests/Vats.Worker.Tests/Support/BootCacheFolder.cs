using System.Runtime.InteropServices;
using Vats.Worker.BootImages;

namespace Vats.Worker.Tests.Support;

/// <summary>
/// A boot-image cache folder seen from outside: its entries, each checked the way the worker checks it (the answer's
/// checksum on a hit, the whole file's before a restore), and a way to tell whether a worker used an entry in place.
/// </summary>
internal static class BootCacheFolder
{
    public const string Extension = ".vatsboot";

    /// <summary>An entry: its key (from the file name), path, and what the worker reads from it (null when corrupt).</summary>
    public sealed record Entry(string KeyHex, string Path, BootImage? Answer, bool SnapshotIntact);

    /// <summary>The entries of <paramref name="folder"/>, checked without changing anything (a copy is checked).</summary>
    public static List<Entry> Entries(string folder)
    {
        var entries = new List<Entry>();
        if (!Directory.Exists(folder)) return entries;
        foreach (var path in Directory.GetFiles(folder, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var keyHex = System.IO.Path.GetFileNameWithoutExtension(path);
            // The cache deletes what fails a check: check a copy, so looking changes nothing.
            using var scratch = new TempFolder();
            File.Copy(path, scratch.File(System.IO.Path.GetFileName(path)));
            var cache = new BootImageCache(scratch.Path, 100, _ => { });
            var key = Convert.FromHexString(keyHex);
            var answer = cache.TryLoad(key);
            bool snapshotIntact;
            try
            {
                cache.LoadSnapshot(key);
                snapshotIntact = true;
            }
            catch (InvalidDataException)
            {
                snapshotIntact = false;
            }
            entries.Add(new Entry(keyHex, path, answer, snapshotIntact));
        }
        return entries;
    }

    /// <summary>
    /// Makes a hard link to <paramref name="path"/> in <paramref name="side"/> and dates both (one inode) in the past.
    /// A worker that hits the entry touches it in place (its least-recently-used mark), which the link sees; a worker
    /// that evaluated instead writes a new file under the name, and the link keeps the old date.
    /// </summary>
    public static string Watch(string path, string side)
    {
        var link = System.IO.Path.Combine(side, System.IO.Path.GetFileName(path) + ".link");
        if (Link(path, link) != 0) throw new IOException($"link({path}, {link}) failed: errno {Marshal.GetLastPInvokeError()}");
        File.SetLastWriteTimeUtc(link, Watched);
        return link;
    }

    /// <summary>True when the entry behind <paramref name="link"/> was used in place since <see cref="Watch"/>.</summary>
    public static bool WasHit(string link) => File.GetLastWriteTimeUtc(link) > Watched;

    private static readonly DateTime Watched = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [DllImport("libc", EntryPoint = "link", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int Link(string existing, string created);
}
