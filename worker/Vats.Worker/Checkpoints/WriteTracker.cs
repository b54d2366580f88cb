using System.Runtime.InteropServices;

namespace Vats.Worker.Checkpoints;

/// <summary>
/// Which 4 KiB pages of a memory range were written since the last look, from the Linux kernel: the range is
/// registered with a userfaultfd in asynchronous write-protect mode (the kernel lifts a page's protection itself at its
/// first write and marks it written, with no handler thread), and <c>PAGEMAP_SCAN</c> lists the written pages and
/// protects them again in one call. A look at 16 MiB takes tens of microseconds where comparing it with a copy took
/// about 3 ms; each page's first write after a look costs a minor fault. The result is a superset of the pages that
/// changed (a page written with the same bytes is listed too), so the caller still compares the listed pages.
/// Needs Linux 6.7 or later on x64, and userfaultfd allowed (a container's seccomp profile may forbid it);
/// <see cref="TryCreate"/> returns null otherwise.
/// </summary>
internal sealed unsafe class WriteTracker : IDisposable
{
    private const int OsPage = 4096;

    // <linux/userfaultfd.h> and <linux/fs.h>.
    private const long SysUserfaultfd = 323;
    private const ulong UffdApi = 0xAA;
    private const ulong FeatureWpUnpopulated = 1 << 13, FeatureWpAsync = 1 << 15;
    private const ulong IoctlApi = 0xC018AA3F, IoctlRegister = 0xC020AA00, IoctlUnregister = 0x8010AA01, IoctlWriteProtect = 0xC018AA06;
    private const ulong RegisterModeWp = 1 << 1, WriteProtectModeWp = 1 << 0;
    private const ulong IoctlPagemapScan = 0xC0606610;
    private const ulong ScanWpMatching = 1 << 0, ScanCheckWpAsync = 1 << 1, PageIsWritten = 1 << 1;

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int ioctl(int fd, ulong request, void* argument);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    private readonly int _uffd, _pagemap;
    private readonly ulong[] _regions = new ulong[3 * 512];
    private bool _disposed;

    private WriteTracker(int uffd, int pagemap, nint start, long length)
    {
        (_uffd, _pagemap, Start, Length) = (uffd, pagemap, start, length);
    }

    /// <summary>The first byte tracked (page-aligned).</summary>
    public nint Start { get; }

    /// <summary>Bytes tracked (whole pages).</summary>
    public long Length { get; }

    /// <summary>
    /// A tracker of the whole pages inside [<paramref name="start"/>, <paramref name="start"/> +
    /// <paramref name="length"/>), every page protected (none written yet); null where the kernel cannot do it.
    /// </summary>
    public static WriteTracker? TryCreate(nint start, long length)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        var first = (start + OsPage - 1) & ~(nint)(OsPage - 1);
        var end = (nint)((start + length) & ~(long)(OsPage - 1));
        if (end <= first) return null;
        int uffd = -1, pagemap = -1;
        try
        {
            // UFFD_USER_MODE_ONLY lets a process without privileges use it (the default since Linux 5.11); only
            // writes from user mode are seen, and nothing has the kernel write into the engine's memory (socket reads
            // land in arrays of their own).
            uffd = (int)syscall(SysUserfaultfd, 0x80000 | 0x800 | 1); // O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY
            if (uffd < 0) return null;
            var api = stackalloc ulong[3] { UffdApi, FeatureWpUnpopulated | FeatureWpAsync, 0 };
            if (ioctl(uffd, IoctlApi, api) != 0) return Fail();
            var register = stackalloc ulong[4] { (ulong)first, (ulong)(end - first), RegisterModeWp, 0 };
            if (ioctl(uffd, IoctlRegister, register) != 0) return Fail();
            pagemap = open("/proc/self/pagemap", 0x80000); // O_RDONLY | O_CLOEXEC
            if (pagemap < 0) return Fail();
            var tracker = new WriteTracker(uffd, pagemap, first, end - first);
            if (!tracker.ProtectAll())
            {
                tracker.Dispose();
                return null;
            }
            return tracker;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Fail();
        }

        WriteTracker? Fail()
        {
            if (pagemap >= 0) close(pagemap);
            if (uffd >= 0) close(uffd);
            return null;
        }
    }

    /// <summary>Protects every page again: all count as unwritten from now on.</summary>
    public bool ProtectAll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var protect = stackalloc ulong[3] { (ulong)Start, (ulong)Length, WriteProtectModeWp };
        return ioctl(_uffd, IoctlWriteProtect, protect) == 0;
    }

    /// <summary>
    /// Adds to <paramref name="written"/> the byte ranges (offsets from <see cref="Start"/>) of the pages written since
    /// the last call (or <see cref="ProtectAll"/>), and protects them again; false if the kernel refused (the caller
    /// must then compare everything).
    /// </summary>
    public bool TakeWritten(List<(long Start, long End)> written)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var at = (ulong)Start;
        var end = (ulong)(Start + (nint)Length);
        // struct pm_scan_arg: size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted,
        // category_mask, category_anyof_mask, return_mask.
        var scan = stackalloc ulong[12];
        fixed (ulong* regions = _regions)
        {
            while (at < end)
            {
                scan[0] = 96;
                scan[1] = ScanWpMatching | ScanCheckWpAsync;
                scan[2] = at;
                scan[3] = end;
                scan[4] = 0;
                scan[5] = (ulong)regions;
                scan[6] = (ulong)(_regions.Length / 3);
                scan[7] = 0;
                scan[8] = 0;
                scan[9] = PageIsWritten;
                scan[10] = 0;
                scan[11] = PageIsWritten;
                var count = ioctl(_pagemap, IoctlPagemapScan, scan);
                if (count < 0) return false;
                for (var n = 0; n < count; n++) written.Add(((long)(regions[3 * n] - (ulong)Start), (long)(regions[3 * n + 1] - (ulong)Start)));
                var walkEnd = scan[4];
                if (walkEnd <= at) return false;
                at = walkEnd;
            }
        }
        return true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var range = stackalloc ulong[2] { (ulong)Start, (ulong)Length };
        ioctl(_uffd, IoctlUnregister, range);
        close(_pagemap);
        close(_uffd);
    }
}
