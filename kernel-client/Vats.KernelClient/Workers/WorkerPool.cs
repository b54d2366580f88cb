using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vats.KernelClient;

/// <summary>
/// Worker processes started ahead of need and warmed up (<see cref="VatWorkerOptions.WarmUp"/>), so that bringing a
/// vat back from a snapshot costs a load into a waiting process (about 50 ms for a counter vat) instead of a process
/// start, a module compilation and a cold JIT (several hundred). Taking a worker starts a replacement in the
/// background. Workers of a pool share one options object; each gets its own name (<c>NAME-N</c>).
/// </summary>
public sealed class WorkerPool : IAsyncDisposable
{
    private readonly VatWorkerOptions _options;
    private readonly int _size;
    private readonly Queue<Task<VatWorker>> _ready = new();
    private readonly object _lock = new();
    private readonly ILogger _logger;
    private int _started;
    private bool _disposed;

    /// <summary>Creates the pool and starts <paramref name="size"/> workers.</summary>
    public WorkerPool(VatWorkerOptions options, int size = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        _options = options with { WarmUp = true };
        _size = size;
        _logger = options.Logger ?? NullLogger.Instance;
        lock (_lock)
            for (var i = 0; i < size; i++) _ready.Enqueue(StartOne());
    }

    /// <summary>Workers started and not yet taken (some may still be starting).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock) return _ready.Count;
        }
    }

    /// <summary>Completes when every waiting worker has started and warmed up (failures to start included).</summary>
    public async Task WhenWarmAsync(CancellationToken cancellationToken = default)
    {
        Task<VatWorker>[] waiting;
        lock (_lock) waiting = [.. _ready];
        try
        {
            await Task.WhenAll(waiting).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (VatWorkerException)
        {
            // TakeAsync drops a worker that failed to start.
        }
    }

    /// <summary>
    /// A worker that has not used its engine: ready to <see cref="VatWorker.LoadAsync"/> a snapshot or to boot. Starts
    /// one now if none is waiting; a replacement starts in the background at once.
    /// </summary>
    public async Task<VatWorker> TakeAsync(CancellationToken cancellationToken = default) => await TakeAsync(true, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A worker as <see cref="TakeAsync(CancellationToken)"/> gives; with <paramref name="replenish"/> false no
    /// replacement starts until the caller calls <see cref="Replenish"/>, when it is done with the time-critical part
    /// (a new worker's start-up takes a core for about a second, and on a small machine it would slow the restore
    /// the taken worker is doing).
    /// </summary>
    public async Task<VatWorker> TakeAsync(bool replenish, CancellationToken cancellationToken = default)
    {
        for (;;)
        {
            Task<VatWorker> next;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                next = _ready.Count > 0 ? _ready.Dequeue() : StartOne();
                if (replenish) ReplenishLocked();
            }
            VatWorker worker;
            try
            {
                worker = await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (VatWorkerException e)
            {
                // A spare that failed to start is dropped; the caller gets the next one.
                _logger.LogWarning("a pooled worker failed to start: {Message}", e.Message);
                continue;
            }
            if (worker.IsRunning) return worker;
            await worker.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts workers until the pool has its size again (see <see cref="TakeAsync(bool, CancellationToken)"/>).</summary>
    public void Replenish()
    {
        lock (_lock)
        {
            if (!_disposed) ReplenishLocked();
        }
    }

    private void ReplenishLocked()
    {
        while (_ready.Count < _size) _ready.Enqueue(StartOne());
    }

    /// <summary>Stops the waiting workers.</summary>
    public async ValueTask DisposeAsync()
    {
        Task<VatWorker>[] waiting;
        lock (_lock)
        {
            _disposed = true;
            waiting = [.. _ready];
            _ready.Clear();
        }
        foreach (var task in waiting)
        {
            try
            {
                await (await task.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (VatWorkerException)
            {
                // It never started.
            }
        }
    }

    private Task<VatWorker> StartOne()
    {
        var options = _options with { Name = $"{_options.Name}-{++_started}" };
        return Task.Run(async () =>
        {
            var worker = await VatWorker.StartAsync(options).ConfigureAwait(false);
            // Answered once the warm-up is done.
            await worker.IsReadyAsync().ConfigureAwait(false);
            return worker;
        });
    }
}
