using System.Globalization;
using Microsoft.Extensions.Logging;
using Vats.Protocol;
using Vats.SnapshotStore;

namespace Vats.KernelClient.Durable;

/// <summary>
/// A vat kept in a <see cref="SnapshotStore"/>: every delivery is recorded in its transcript, checkpoints are saved
/// as the policy says (as deltas: only the pages that changed), and whenever it has no worker — evicted, or its worker
/// died — it comes back from its latest snapshot with the transcript since replayed, every replayed syscall checked
/// against the recorded one. Positions: 0 is the snapshot taken after <c>setBundle</c>; delivery n is position n
/// (<c>startVat</c> is 1). Obtained from a <see cref="VatWarehouse"/>; not thread-safe (a kernel delivers in one thread).
/// </summary>
public sealed class DurableVat
{
    private readonly VatWarehouse _warehouse;
    private Vat? _vat;
    private SnapshotIdentity? _identity;
    // The snapshot the worker's page tracker is based on: a delta checkpoint applies to it.
    private SnapshotRoot? _parent;
    private long _checkpointPosition = -1;
    // The warehouse's pool owes a spare worker since this vat's restore took one.
    private bool _replenish;
    // The store's save of the last capture, when it runs in the background (VatWarehouseOptions.SaveInBackground).
    private Task<SaveResult>? _pendingSave;

    internal DurableVat(VatWarehouse warehouse, string vatId, long position)
    {
        _warehouse = warehouse;
        VatId = vatId;
        Position = position;
    }

    /// <summary>The vat's id.</summary>
    public string VatId { get; }

    /// <summary>The position of the last recorded delivery (0: none since setBundle).</summary>
    public long Position { get; private set; }

    /// <summary>True while the vat has a worker.</summary>
    public bool IsOnline => _vat is { Worker.IsRunning: true };

    /// <summary>How many times the vat was brought back after its worker died.</summary>
    public int Restarts { get; private set; }

    /// <summary>Checkpoints whose save failed (logged; the vat came back from an earlier snapshot if needed).</summary>
    public int FailedSaves { get; private set; }

    /// <summary>Deliveries replayed when the vat last came back (0 with a checkpoint after every delivery).</summary>
    public int LastReplayCount { get; private set; }

    /// <summary>The vat's worker (bringing the vat online first): for snapshots, console and diagnostics.</summary>
    public async Task<Vat> WorkerAsync(CancellationToken cancellationToken = default) =>
        await OnlineAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Delivers and records <paramref name="delivery"/>, then checkpoints if the policy says so. If the worker dies
    /// during the delivery, the exception propagates — the delivery did not happen — and, unless it was a meter fault
    /// (which ends the vat in a kernel), the vat has already been brought back to its state before it.
    /// </summary>
    public async Task<VatDeliveryReport> DeliverAsync(VatDeliveryObject delivery, SyscallHandler syscalls, CancellationToken cancellationToken = default)
    {
        var vat = await OnlineAsync(cancellationToken).ConfigureAwait(false);
        VatDeliveryReport report;
        try
        {
            report = await vat.DeliverAsync(delivery, syscalls, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VatWorkerException && !vat.Worker.IsRunning)
        {
            _vat = null;
            _parent = null;
            if (e is WorkerExitedException { Reason: WorkerExitReason.ComputeMeterExceeded or WorkerExitReason.AllocateMeterExceeded }) throw;
            _warehouse.Logger.LogWarning("vat {Vat}: its worker failed during delivery {Position} ({Message}); bringing it back", VatId, Position + 1, e.Message);
            Restarts++;
            await OnlineAsync(cancellationToken).ConfigureAwait(false);
            throw;
        }
        finally
        {
            ReplenishIfOwed();
        }
        Position++;
        _warehouse.Store.AppendTranscript(VatId, new TranscriptEntry(Position, LiveslotsJson.ToJson(delivery),
            [.. report.Syscalls.Select(s => new TranscriptSyscall(s.Json, LiveslotsJson.ToJson(s.Result)))], ResultText(report)));
        if (_warehouse.Options.Checkpoints.IsDue(Position))
            await CheckpointCoreAsync(_warehouse.Options.SaveInBackground, cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>
    /// Saves a snapshot at the current position (nothing if one is there already, or if the vat has no worker): a
    /// delta against the previous one when the worker's page base is it, else the whole memory. Returns once it is
    /// stored (a save still running in the background from an earlier delivery is finished first).
    /// </summary>
    public async Task<SaveResult?> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var saved = await CheckpointCoreAsync(background: false, cancellationToken).ConfigureAwait(false);
        return saved ?? await DrainSaveAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The worker's capture, then the store's save: in the background with <paramref name="background"/> (the next
    /// delivery runs meanwhile; the save is finished before the next capture, a restore or an eviction), else here.
    /// </summary>
    private async Task<SaveResult?> CheckpointCoreAsync(bool background, CancellationToken cancellationToken)
    {
        if (_vat is null || _checkpointPosition == Position) return null;
        // The delta this capture gives is against the previous capture: its snapshot must be stored (or the capture whole).
        await DrainSaveAsync().ConfigureAwait(false);
        var delta = _parent is not null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var checkpoint = await _vat.Worker.CheckpointAsync(full: !delta, cancellationToken).ConfigureAwait(false);
        var captureMs = clock.Elapsed.TotalMilliseconds;
        var identity = _identity ??= _warehouse.IdentityOf(_vat.Worker.Hello);
        var (position, parent) = (Position, _parent);
        _checkpointPosition = position;
        _parent = null;
        SaveResult Save()
        {
            var store = _warehouse.Store;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var saved = checkpoint.IsDelta
                ? store.SaveDelta(VatId, position, identity, parent!.Value, checkpoint.State.Span, checkpoint.MemoryBytes,
                    [.. checkpoint.PageIndexes.Select((index, n) => PageChange.Patched(index, checkpoint.Patch(n)))])
                : store.SaveFull(VatId, position, identity, checkpoint.State.Span, checkpoint.BuildMemory(), _warehouse.SimilarSnapshot(VatId));
            _warehouse.Logger.LogDebug("vat {Vat}: checkpoint at {Position}: {Pages} pages captured in {CaptureMs} ms, {Bytes} bytes saved in {SaveMs} ms",
                VatId, position, saved.PagesChanged, captureMs, saved.BytesWritten, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return saved;
        }
        if (background)
        {
            // A thread of its own: the save blocks on the store and uses the pool for its parallel parts, and the
            // kernel thread may block on the store too; on a small machine the pool alone starved (measured 35 ms a delivery).
            _pendingSave = Task.Factory.StartNew(Save, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return null;
        }
        SaveResult result;
        try
        {
            result = Save();
        }
        catch
        {
            // Nothing was stored at this position: the next checkpoint is whole (no parent), and may be taken here.
            _checkpointPosition = -1;
            throw;
        }
        _parent = result.Root;
        return result;
    }

    /// <summary>
    /// Waits for the save in progress, if any; its root becomes the next delta's parent. A save that failed leaves
    /// no parent (the next checkpoint is whole); it is logged, not thrown: the transcript holds every delivery, so the
    /// vat can still come back — from its previous snapshot, replaying more.
    /// </summary>
    internal async Task<SaveResult?> DrainSaveAsync()
    {
        if (_pendingSave is not { } pending) return null;
        _pendingSave = null;
        try
        {
            var saved = await pending.ConfigureAwait(false);
            _parent = saved.Root;
            return saved;
        }
        catch (Exception e) when (e is SnapshotStoreException or Microsoft.Data.Sqlite.SqliteException or IOException or ArgumentException)
        {
            _parent = null;
            _checkpointPosition = -1;
            FailedSaves++;
            _warehouse.Logger.LogError("vat {Vat}: a checkpoint could not be saved ({Message}); the next one is whole", VatId, e.Message);
            return null;
        }
    }

    /// <summary>Checkpoints (unless the latest snapshot is at the current position) and stops the worker.</summary>
    public async Task EvictAsync()
    {
        if (_vat is null) return;
        ReplenishIfOwed();
        if (_vat.Worker.IsRunning) await CheckpointAsync().ConfigureAwait(false);
        await DrainSaveAsync().ConfigureAwait(false);
        var vat = _vat;
        _vat = null;
        _parent = null;
        await vat.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the worker (as a crash would); the vat comes back from the store on its next use.</summary>
    public void Kill() => _vat?.Kill();

    /// <summary>Starts the new vat: a booted worker, <c>setBundle</c>, the position-0 snapshot, then <c>startVat</c> (position 1).</summary>
    internal async Task<VatDeliveryReport> CreateAsync(string bundleJson, CapData vatParameters, SyscallHandler syscalls, CancellationToken cancellationToken)
    {
        var vat = await Vat.BootAsync(_warehouse.Options.Worker with { Name = VatId }, _warehouse.Bundles, cancellationToken).ConfigureAwait(false);
        try
        {
            await vat.SetBundleAsync(VatId, bundleJson, syscalls, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await vat.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _vat = vat;
        _identity = _warehouse.IdentityOf(vat.Worker.Hello, _warehouse.Bundles);
        await CheckpointAsync(cancellationToken).ConfigureAwait(false);
        return await DeliverAsync(new StartVatDelivery(vatParameters), syscalls, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The worker, bringing the vat back from the store first if it has none (bounded attempts).</summary>
    private async Task<Vat> OnlineAsync(CancellationToken cancellationToken)
    {
        if (_vat is not null && _vat.Worker.IsRunning)
        {
            _warehouse.Touch(this);
            return _vat;
        }
        if (_vat is not null)
        {
            await _vat.DisposeAsync().ConfigureAwait(false);
            _vat = null;
        }
        await _warehouse.MakeRoomAsync(this).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _vat = await RestoreAsync(cancellationToken).ConfigureAwait(false);
                _warehouse.Touch(this);
                return _vat;
            }
            catch (Exception e) when (e is VatWorkerException and not ReplayDivergenceException && attempt < _warehouse.Options.MaxRestartAttempts)
            {
                _warehouse.Logger.LogWarning("vat {Vat}: attempt {Attempt} to bring it back failed: {Message}", VatId, attempt, e.Message);
            }
        }
    }

    private async Task<Vat> RestoreAsync(CancellationToken cancellationToken)
    {
        // A save still running belongs to the worker that died: finished, it is the snapshot to come back from.
        await DrainSaveAsync().ConfigureAwait(false);
        var store = _warehouse.Store;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = store.ReplayPlan(VatId);
        if (plan.Snapshot is not { } snapshot) throw new VatWorkerException($"vat {VatId} has no snapshot in the store");
        // The spare's replacement starts after this vat's next delivery (see DeliverAsync), not during its restore.
        var (vat, identity, loadMs) = await _warehouse.RestoreSnapshotAsync(snapshot.Root, VatId, replenish: false, cancellationToken).ConfigureAwait(false);
        _replenish = true;
        var restoreMs = clock.ElapsedMilliseconds - loadMs;
        try
        {
            var progress = _warehouse.Options.OnReplayProgress;
            progress?.Invoke(VatId, 0, plan.Entries.Count);
            for (var i = 0; i < plan.Entries.Count; i++)
            {
                await TranscriptReplay.ReplayAsync(vat, VatId, plan.Entries[i], cancellationToken).ConfigureAwait(false);
                progress?.Invoke(VatId, i + 1, plan.Entries.Count);
            }
        }
        catch
        {
            await vat.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _identity = identity;
        _parent = snapshot.Root;
        _checkpointPosition = snapshot.Position;
        Position = plan.Entries.Count > 0 ? plan.Entries[^1].Position : snapshot.Position;
        LastReplayCount = plan.Entries.Count;
        _warehouse.Logger.LogInformation("vat {Vat}: back from snapshot {Position} with {Replayed} deliveries replayed in {Ms} ms (load {LoadMs} ms, worker {WorkerMs} ms)",
            VatId, snapshot.Position, plan.Entries.Count, clock.ElapsedMilliseconds, loadMs, restoreMs);
        return vat;
    }

    /// <summary>Starts the spare worker this vat's restore took, once the time-critical part is over.</summary>
    private void ReplenishIfOwed()
    {
        if (!_replenish) return;
        _replenish = false;
        _warehouse.Pool.Replenish();
    }

    /// <summary>The transcript's result text: the delivery result and the crank's compute.</summary>
    private static string ResultText(VatDeliveryReport report) =>
        $"{{\"result\":{LiveslotsJson.ToJson(report.Result)},\"compute\":{(report.Meter?.Compute ?? 0).ToString(CultureInfo.InvariantCulture)}}}";
}
