using Microsoft.Extensions.Logging;

namespace Vats.KernelClient;

/// <summary>How to start and talk to a vat worker process. One options object per worker; the defaults suit a kernel.</summary>
public sealed record VatWorkerOptions
{
    /// <summary>The worker executable (or a folder holding it); null: next to the application, then <c>VATS_WORKER_PATH</c>.</summary>
    public string? WorkerPath { get; init; }

    /// <summary>A name for the process (shown by <c>ps</c> and in log entries and errors), e.g. <c>v6:counter</c>.</summary>
    public string Name { get; init; } = "vat";

    /// <summary>
    /// Compute limit per command in fuel (wasm instructions), xsnap's <c>-l</c>; null = unlimited. A command that goes
    /// beyond it ends the worker (<see cref="WorkerExitReason.ComputeMeterExceeded"/>).
    /// </summary>
    public long? ComputeLimit { get; init; }

    /// <summary>
    /// The worker's boot-image cache folder; null: the worker's default (<c>VATS_BOOT_CACHE</c>, else the user's cache
    /// folder). Ignored when <see cref="UseBootCache"/> is false.
    /// </summary>
    public string? BootCacheDirectory { get; init; }

    /// <summary>Whether the worker may restore the lockdown + supervisor boot from its cache instead of evaluating it.</summary>
    public bool UseBootCache { get; init; } = true;

    /// <summary>
    /// Has the worker run a throwaway restore and delivery before its first command (<c>--warm-up</c>), so that its
    /// first real restore is fast: for workers started ahead of need and kept waiting.
    /// </summary>
    public bool WarmUp { get; init; }

    /// <summary>Heap limit of the worker in MiB (16–2047); null: the worker's default (2047, like xsnap's 2 GiB).</summary>
    public int? MemoryLimitMiB { get; init; }

    /// <summary>SHA-256 of the QuickJS wasm the worker must run; null: the build this library was made with.</summary>
    public string? ExpectedQuickJsSha256 { get; init; }

    /// <summary>How long the worker has to connect and say hello.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest message the worker may send (xsnap's parent allows 12,000,000 bytes); snapshots are exempt.</summary>
    public int MaxMessageBytes { get; init; } = 12_000_000;

    /// <summary>Largest snapshot the worker may send.</summary>
    public int MaxSnapshotBytes { get; init; } = int.MaxValue;

    /// <summary>Receives the worker's diagnostics, its standard output (<c>print</c>) and console lines from the supervisor.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Called with each console line the supervisor forwards (the vat's and liveslots' <c>console</c>), besides the logger.</summary>
    public Action<VatConsoleLine>? OnConsole { get; init; }
}
