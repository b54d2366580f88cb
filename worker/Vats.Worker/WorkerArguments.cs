using System.Globalization;

namespace Vats.Worker;

/// <summary>
/// The command line: xsnap-worker's (non-option arguments are the name; <c>-l</c>, <c>-r</c>, <c>-i</c>, <c>-p</c>,
/// <c>-s</c>, <c>-h</c>, <c>-v</c>, <c>-n</c>) plus Vats' own long options. The environment supplies defaults a
/// parent that only knows xsnap's arguments cannot pass (<c>VATS_BOOT_CACHE</c>).
/// </summary>
internal static class WorkerArguments
{
    internal const string Usage = """
        usage: vats-worker [NAME] [-l LIMIT] [-r SNAPSHOT] [--socket PATH] [--boot-cache DIR | --no-boot-cache]

        One vat's JavaScript worker, speaking xsnap-worker's protocol. Without --socket it is a drop-in
        xsnap-worker: commands on fd 3, replies on fd 4, heap snapshots written to fd 7 and read from fd 8.

          NAME                 ignored (shown by ps)
          -l LIMIT             compute limit per command, in fuel (wasm instructions); 0 = none (default)
          -r @FD[:DESC]|PATH   start from the heap snapshot read from file descriptor FD, or from a file
          --socket PATH        socket mode: connect to the Unix domain socket at PATH, send a hello, then
                               serve commands on it (snapshots travel as messages)
          --boot-cache DIR     boot-image cache folder (default: $VATS_BOOT_CACHE, else
                               $XDG_CACHE_HOME/vats/boot-images or ~/.cache/vats/boot-images)
          --no-boot-cache      evaluate the boot bundles every time (also VATS_BOOT_CACHE=off)
          --memory-limit-mib N heap limit in MiB (default and most: 2047); beyond it the worker exits 11
          --warm-up            before the first command, run a restore and a delivery on a throwaway engine
                               (for a worker waiting in a pool: its first restore is then fast)
          -i N, -p, -s KB      accepted for compatibility with xsnap-worker, no effect
          -v, --version        print the version and exit
          -h, --help           print this help and exit

        Exit codes (as xsnap-worker): 0 quit, 1 bad usage, 2 I/O or protocol error, 11 memory limit,
        15 quit after a command that threw, 17 compute limit, 255 an exception escaped the event loop.
        """;

    /// <summary>What the command line asks for: run with options, or print something and exit.</summary>
    internal sealed record Parsed(WorkerOptions? Options, string? Output, int ExitCode);

    internal static Parsed Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new WorkerOptions { BootCacheDirectory = DefaultBootCache(environment) };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                options = options with { Name = arg };
                continue;
            }
            string? Next()
            {
                if (i + 1 >= args.Count) return null;
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help":
                    return new Parsed(null, Usage, 0);
                case "-v" or "--version":
                    return new Parsed(null, WorkerVersion.Describe(), 0);
                case "-n":
                    return new Parsed(null, "deprecated", 0);
                case "-p":
                    break;
                case "-i" or "-s":
                    if (Next() is null) return Bad($"{arg} needs a value");
                    break;
                case "-l":
                    if (Next() is not { } limit) return Bad("-l needs a value");
                    var value = AtoI(limit);
                    options = options with { MeterLimit = value > 0 ? value : null };
                    break;
                case "-r":
                    if (Next() is not { } source) return Bad("-r needs a snapshot path or @FD");
                    options = options with { SnapshotSource = source };
                    break;
                case "--socket":
                    if (Next() is not { } path) return Bad("--socket needs a path");
                    options = options with { SocketPath = path };
                    break;
                case "--boot-cache":
                    if (Next() is not { } dir) return Bad("--boot-cache needs a folder");
                    options = options with { BootCacheDirectory = Path.GetFullPath(dir) };
                    break;
                case "--no-boot-cache":
                    options = options with { BootCacheDirectory = null };
                    break;
                case "--warm-up":
                    options = options with { WarmUp = true };
                    break;
                case "--memory-limit-mib":
                    if (Next() is not { } mib || !int.TryParse(mib, NumberStyles.None, CultureInfo.InvariantCulture, out var mebibytes)
                        || mebibytes is < 16 or > 2047)
                        return Bad("--memory-limit-mib needs a whole number from 16 to 2047");
                    options = options with { MemoryLimitBytes = Math.Min(mebibytes * (1L << 20), new WorkerOptions().MemoryLimitBytes) };
                    break;
                default:
                    return Bad($"unknown option {arg}");
            }
        }
        return new Parsed(options, null, 0);
    }

    private static Parsed Bad(string problem) => new(null, $"vats-worker: {problem}\n{Usage}", 1);

    /// <summary>
    /// C's <c>atoi</c> into xsnap's 32-bit unsigned limit: optional sign and leading digits, anything else ends the
    /// number (so "abc" is 0, i.e. no limit).
    /// </summary>
    internal static long AtoI(string text)
    {
        var s = text.AsSpan().TrimStart();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        long value = 0;
        foreach (var c in s)
        {
            if (c is < '0' or > '9') break;
            value = Math.Min(value * 10 + (c - '0'), 1L << 40);
        }
        return (uint)(negative ? -value : value);
    }

    private static string? DefaultBootCache(Func<string, string?> environment)
    {
        var configured = environment("VATS_BOOT_CACHE");
        if (configured is { Length: > 0 })
            return configured is "off" or "0" or "none" ? null : Path.GetFullPath(configured);
        var cacheHome = environment("XDG_CACHE_HOME");
        if (cacheHome is { Length: > 0 }) return Path.Combine(cacheHome, "vats", "boot-images");
        var home = environment("HOME");
        return home is { Length: > 0 } ? Path.Combine(home, ".cache", "vats", "boot-images") : null;
    }
}
