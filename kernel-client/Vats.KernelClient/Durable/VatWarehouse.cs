using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vats.Protocol;
using Vats.SnapshotStore;

namespace Vats.KernelClient.Durable;

/// <summary>
/// Many vats in one store with a bounded number of workers, as SwingSet's vat warehouse: at most
/// <see cref="VatWarehouseOptions.MaxOnline"/> vats have a worker; using another evicts the least recently used one
/// (checkpoint, then stop) and brings the requested one back from its latest snapshot, in a warmed-up spare worker.
/// Not thread-safe: one kernel thread drives it.
/// </summary>
public sealed partial class VatWarehouse : IAsyncDisposable
{
    private readonly Dictionary<string, DurableVat> _vats = new(StringComparer.Ordinal);
    private readonly LinkedList<DurableVat> _online = new();
    private readonly Dictionary<DurableVat, LinkedListNode<DurableVat>> _nodes = [];

    /// <summary>Creates a warehouse over <paramref name="store"/> (which the caller keeps and disposes).</summary>
    public VatWarehouse(SnapshotStore.SnapshotStore store, VatWarehouseOptions? options = null)
    {
        Store = store;
        Options = options ?? new VatWarehouseOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxOnline);
        Logger = Options.Worker.Logger ?? NullLogger.Instance;
        Bundles = Options.Bundles ?? WorkerBundles.Default;
        Pool = new WorkerPool(Options.Worker with { Name = "spare" }, Options.SpareWorkers);
    }

    /// <summary>The store of snapshots and transcripts.</summary>
    public SnapshotStore.SnapshotStore Store { get; }

    /// <summary>The settings.</summary>
    public VatWarehouseOptions Options { get; }

    /// <summary>Vats with a worker now.</summary>
    public int OnlineCount => _online.Count;

    /// <summary>Completes when the spare workers (<see cref="VatWarehouseOptions.SpareWorkers"/>) have started and warmed up.</summary>
    public Task WhenSparesReadyAsync(CancellationToken cancellationToken = default) => Pool.WhenWarmAsync(cancellationToken);

    internal ILogger Logger { get; }

    internal WorkerBundles Bundles { get; }

    internal WorkerPool Pool { get; }

    /// <summary>
    /// Creates vat <paramref name="vatId"/>: boots a worker, installs the bundle, saves the position-0 snapshot and
    /// delivers <c>startVat</c>. Throws <see cref="ArgumentException"/> if the store already has the vat.
    /// </summary>
    public async Task<(DurableVat Vat, VatDeliveryReport StartVat)> CreateVatAsync(string vatId, string bundleJson, CapData vatParameters,
        SyscallHandler syscalls, CancellationToken cancellationToken = default)
    {
        if (_vats.ContainsKey(vatId) || Store.Latest(vatId) is not null) throw new ArgumentException($"the store already has a vat {vatId}", nameof(vatId));
        var vat = new DurableVat(this, vatId, 0);
        await MakeRoomAsync(vat).ConfigureAwait(false);
        _vats[vatId] = vat;
        try
        {
            var start = await vat.CreateAsync(bundleJson, vatParameters, syscalls, cancellationToken).ConfigureAwait(false);
            Touch(vat);
            return (vat, start);
        }
        catch
        {
            _vats.Remove(vatId);
            Forget(vat);
            throw;
        }
    }

    /// <summary>A vat of the store (without bringing it online: that happens at its next use).</summary>
    public DurableVat GetVat(string vatId)
    {
        if (_vats.TryGetValue(vatId, out var vat)) return vat;
        var latest = Store.Latest(vatId) ?? throw new KeyNotFoundException($"the store has no vat {vatId}");
        vat = new DurableVat(this, vatId, Store.TranscriptEnd(vatId) is { } end && end > latest.Position ? end : latest.Position);
        _vats[vatId] = vat;
        return vat;
    }

    /// <summary>Delivers to <paramref name="vatId"/> (see <see cref="DurableVat.DeliverAsync"/>).</summary>
    public Task<VatDeliveryReport> DeliverAsync(string vatId, VatDeliveryObject delivery, SyscallHandler syscalls, CancellationToken cancellationToken = default) =>
        GetVat(vatId).DeliverAsync(delivery, syscalls, cancellationToken);

    /// <summary>Evicts every online vat (checkpoint, stop) and stops the spare workers.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var vat in _online.ToArray())
        {
            await vat.EvictAsync().ConfigureAwait(false);
            Forget(vat);
        }
        // Vats whose worker died may still be saving their last checkpoint.
        foreach (var vat in _vats.Values) await vat.DrainSaveAsync().ConfigureAwait(false);
        await Pool.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Marks <paramref name="vat"/> most recently used.</summary>
    internal void Touch(DurableVat vat)
    {
        if (_nodes.TryGetValue(vat, out var node)) _online.Remove(node);
        _nodes[vat] = _online.AddFirst(vat);
    }

    /// <summary>Evicts least recently used vats until <paramref name="coming"/> fits.</summary>
    internal async Task MakeRoomAsync(DurableVat coming)
    {
        Forget(coming);
        while (_online.Count >= Options.MaxOnline)
        {
            var victim = _online.Last!.Value;
            Forget(victim);
            Logger.LogDebug("evicting vat {Vat} (least recently used) for {Coming}", victim.VatId, coming.VatId);
            await victim.EvictAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Loads stored snapshot <paramref name="root"/> (verified) into a spare worker named <paramref name="name"/>;
    /// with <paramref name="replenish"/> false the caller starts the spare's replacement later. Also returns the
    /// snapshot's identity and the load's time in milliseconds (the worker's part is the rest).
    /// </summary>
    internal async Task<(Vat Vat, SnapshotIdentity Identity, long LoadMs)> RestoreSnapshotAsync(SnapshotRoot root, string name, bool replenish,
        CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The memory is encoded for the worker straight from the store's copy, into a pooled array: a vat's memory is
        // 16 MiB, and every array of that size allocated anew costs thousands of page faults.
        byte[]? message = null;
        try
        {
            var (identity, length) = Store.Load(root, loaded =>
            {
                var pages = WorkerCheckpoint.NonZeroPages(loaded.Memory);
                message = ArrayPool<byte>.Shared.Rent(WorkerCheckpoint.SizeOf(loaded.State.Length, pages.Count));
                return (loaded.Identity, WorkerCheckpoint.Encode(loaded.State, loaded.Memory, pages, message));
            });
            var loadMs = clock.ElapsedMilliseconds;
            var vat = await Vat.RestoreAsync(message.AsMemory(0, length), Pool, Options.Worker with { Name = name }, cancellationToken, replenish)
                .ConfigureAwait(false);
            return (vat, identity, loadMs);
        }
        finally
        {
            if (message is not null) ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <summary>What the snapshots of a vat are restorable with: the engine, the worker and its boot bundles.</summary>
    internal SnapshotIdentity IdentityOf(Hello hello, WorkerBundles? bundles = null)
    {
        bundles ??= Bundles;
        return new SnapshotIdentity(hello.QuickJsSha256, $"vats-worker {hello.Worker} snapshot {hello.SnapshotFormat}",
            [Hash(bundles.LockdownSource), Hash(bundles.SupervisorSource)]);
    }

    /// <summary>A snapshot of another vat whose pages a first full save may patch against (all vats share the boot image).</summary>
    internal SnapshotRoot? SimilarSnapshot(string vatId) =>
        Store.Vats().Where(v => v != vatId).Select(Store.Latest).OfType<SnapshotInfo>().Select(s => (SnapshotRoot?)s.Root).FirstOrDefault();

    private void Forget(DurableVat vat)
    {
        if (_nodes.Remove(vat, out var node)) _online.Remove(node);
    }

    private static string Hash(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
}
