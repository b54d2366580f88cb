namespace Vats.Worker;

/// <summary>Everything one worker process runs with, from its command line and environment.</summary>
internal sealed record WorkerOptions
{
    /// <summary>The name (xsnap's first non-option argument; only shown by <c>ps</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>Per-command compute limit in fuel (<c>-l</c>); null = unlimited (0 on the command line).</summary>
    public long? MeterLimit { get; init; }

    /// <summary>Where to read a heap snapshot from before serving commands (<c>-r</c>): <c>@FD[:description]</c> or a path.</summary>
    public string? SnapshotSource { get; init; }

    /// <summary>Socket mode: the Unix domain socket the client listens on. Null: xsnap mode (fds 3/4/7/8).</summary>
    public string? SocketPath { get; init; }

    /// <summary>The boot-image cache folder; null disables memoization.</summary>
    public string? BootCacheDirectory { get; init; }

    /// <summary>Most boot images the cache keeps (least recently used ones are removed beyond it).</summary>
    public int BootCacheMaxEntries { get; init; } = 8;

    /// <summary>Warm the restore and delivery paths up before serving the first command (a worker waiting in a pool).</summary>
    public bool WarmUp { get; init; }

    /// <summary>Most bytes the JavaScript heap (wasm memory) may grow to; beyond it the worker exits 11, as xsnap does at its 2 GiB.</summary>
    public long MemoryLimitBytes { get; init; } = (32768L - 1) * 65536;
}
