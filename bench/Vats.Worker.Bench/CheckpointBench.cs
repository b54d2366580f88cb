using System.Diagnostics;
using System.Text.Json;
using Vats.KernelClient;
using Vats.KernelClient.Durable;
using Vats.KernelClient.Local;

namespace Vats.Worker.Bench;

/// <summary>
/// The counter vat in a snapshot store with a checkpoint after every delivery, as a kernel keeps it with
/// Vats.KernelClient's <see cref="VatWarehouse"/>: per checkpoint, the capture (the worker's changed pages) and the
/// save (one SQLite transaction) and the bytes written; the store's size after the deliveries; a vat brought back
/// from the store to ready, in a warmed-up spare worker and in a new process.
/// </summary>
internal static class CheckpointBench
{
    public static async Task<Dictionary<string, Samples>> RunAsync(BenchOptions options, string counterBundle, Action<string> progress)
    {
        var results = new Dictionary<string, Samples>();
        Samples Get(string key, string unit) => results.TryGetValue(key, out var s) ? s : results[key] = new Samples(unit);
        var folder = Directory.CreateTempSubdirectory("vats-bench-store-");
        try
        {
            var db = Path.Combine(folder.FullName, "vats.db");
            var worker = new VatWorkerOptions { Name = "bench", BootCacheDirectory = Path.Combine(folder.FullName, "boot"), HandshakeTimeout = TimeSpan.FromMinutes(2) };
            var kernel = new MiniKernel();
            using (var store = SnapshotStore.SnapshotStore.Open(db))
            {
                // Checkpoints are taken here, one after each delivery, so that their time is measured apart from the delivery's.
                var log = new FieldLogger();
                await using var warehouse = new VatWarehouse(store, new VatWarehouseOptions
                {
                    Worker = worker with { Logger = log }, Checkpoints = CheckpointPolicy.Never, SpareWorkers = 0,
                });
                progress("checkpoints: creating the counter vat in a store");
                var (vat, _) = await warehouse.CreateVatAsync("v1", counterBundle, MiniKernel.VatParameters, kernel.Handle);
                await kernel.DeliverOwedAsync(vat.DeliverAsync);
                await vat.CheckpointAsync();
                for (var i = 0; i < 50; i++)
                {
                    await kernel.SendAsync(vat.DeliverAsync, "increment", "[]");
                    await vat.CheckpointAsync();
                }
                store.Flush();
                var before = store.FileBytes;
                progress($"checkpoints: {options.Deliveries} deliveries, a checkpoint after each");
                var clock = new Stopwatch();
                long written = 0;
                for (var i = 0; i < options.Deliveries; i++)
                {
                    clock.Restart();
                    var outcome = await kernel.SendAsync(vat.DeliverAsync, "increment", "[]");
                    Get("storeDeliveryMs", "ms").Add(clock.Elapsed.TotalMilliseconds);
                    Get("storeDeliveryBusyMs", "ms").Add(ClientBench.BusyMs(outcome.Deliveries[0].Report.Meter!.Timestamps));
                    clock.Restart();
                    var saved = await vat.CheckpointAsync() ?? throw new InvalidOperationException("no checkpoint was taken");
                    Get("checkpointMs", "ms").Add(clock.Elapsed.TotalMilliseconds);
                    Get("checkpointCaptureMs", "ms").Add(log.Last.GetValueOrDefault("CaptureMs", double.NaN));
                    Get("checkpointSaveMs", "ms").Add(log.Last.GetValueOrDefault("SaveMs", double.NaN));
                    Get("checkpointBytes", "B").Add(saved.BytesWritten);
                    Get("checkpointPages", "n").Add(saved.PagesChanged);
                    written += saved.BytesWritten;
                }
                store.Flush();
                Get("storeGrowth", "B").Add(store.FileBytes - before);
                Get("storeWritten", "B").Add(written);
                Get("storeFile", "B").Add(store.FileBytes);
                Get("storeCopies", "B").Add(store.CopyBytes);
            }

            // As a kernel sees it: deliveries alone, then each with its checkpoint (saved in the background while the
            // next delivery runs, the default, and saved before the delivery returns).
            var rounds = Math.Min(options.Deliveries, 200);
            foreach (var (key, policy, background) in new[]
            {
                ("kernelDeliveryOnlyMs", CheckpointPolicy.Never, true),
                ("kernelDeliveryBackgroundMs", CheckpointPolicy.EveryDelivery, true),
                ("kernelDeliveryForegroundMs", CheckpointPolicy.EveryDelivery, false),
            })
            {
                progress($"checkpoints: {rounds} deliveries as a kernel sees them ({key})");
                using var store = SnapshotStore.SnapshotStore.Open(db);
                var klog = new FieldLogger();
                await using var warehouse = new VatWarehouse(store, new VatWarehouseOptions
                {
                    Worker = worker with { Logger = klog }, Checkpoints = policy, SaveInBackground = background, SpareWorkers = 0,
                });
                var vat = warehouse.GetVat("v1");
                for (var i = 0; i < 20; i++) await kernel.SendAsync(vat.DeliverAsync, "increment", "[]");
                var clock = new Stopwatch();
                for (var i = 0; i < rounds; i++)
                {
                    clock.Restart();
                    await kernel.SendAsync(vat.DeliverAsync, "increment", "[]");
                    Get(key, "ms").Add(clock.Elapsed.TotalMilliseconds);
                    // The checkpoint's parts as the warehouse logged them (for the rest: the delivery, the transcript).
                    if (!background && klog.Last.TryGetValue("CaptureMs", out var capture))
                    {
                        Get(key + "Capture", "ms").Add(capture);
                        Get(key + "Save", "ms").Add(klog.Last.GetValueOrDefault("SaveMs", double.NaN));
                    }
                }
            }

            // Back from the store: a new warehouse as a restarted kernel has, the vat's latest snapshot loaded and sent
            // to a worker, then a first delivery.
            foreach (var spare in new[] { true, false })
            {
                var key = spare ? "restoreSpare" : "restoreNew";
                for (var i = 0; i < options.Reps; i++)
                {
                    progress($"checkpoints: back from the store ({(spare ? "a warmed-up spare worker" : "a new worker process")}) {i + 1}");
                    using var store = SnapshotStore.SnapshotStore.Open(db);
                    var log = new FieldLogger();
                    await using var warehouse = new VatWarehouse(store, new VatWarehouseOptions
                    {
                        // The first delivery below is checkpointed too, so that the next repetition replays nothing either.
                        Worker = worker with { Logger = log }, SpareWorkers = spare ? 1 : 0,
                    });
                    if (spare) await WaitForSpareAsync(warehouse);
                    var clock = Stopwatch.StartNew();
                    var vat = warehouse.GetVat("v1");
                    await vat.WorkerAsync();
                    Get(key + "Ms", "ms").Add(clock.Elapsed.TotalMilliseconds);
                    Get(key + "LoadMs", "ms").Add(log.Last.GetValueOrDefault("LoadMs", double.NaN));
                    Get(key + "WorkerMs", "ms").Add(log.Last.GetValueOrDefault("WorkerMs", double.NaN));
                    if (vat.LastReplayCount != 0) throw new InvalidOperationException($"{vat.LastReplayCount} deliveries replayed");
                    clock.Restart();
                    var copy = MiniKernel.FromState(kernel.SaveState());
                    await copy.SendAsync(vat.DeliverAsync, "get", "[]");
                    Get(key + "FirstDeliveryMs", "ms").Add(clock.Elapsed.TotalMilliseconds);
                    if (spare)
                    {
                        // The same warehouse brings the vat back again after its worker died (as after an eviction):
                        // the store still holds the snapshot it just saved in memory, and reads nothing.
                        vat.Kill();
                        await WaitForSpareAsync(warehouse);
                        clock.Restart();
                        await vat.WorkerAsync();
                        Get("restoreAgainMs", "ms").Add(clock.Elapsed.TotalMilliseconds);
                        if (vat.LastReplayCount != 0) throw new InvalidOperationException($"{vat.LastReplayCount} deliveries replayed");
                    }
                    vat.Kill();
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
        return results;
    }

    public static void Print(BenchOptions options, JsonElement? xsnap, Dictionary<string, Samples> ours)
    {
        const string Row = "{0,-52} {1,16} {2,16} {3,9}";
        double? Ours(string key) => ours.GetValueOrDefault(key)?.Median;
        double? X(string key) => Cells.Field(xsnap, key);
        void Line(string label, double? x, double? o, string unit) => Console.WriteLine(Row, label, Cells.Format(x, unit), Cells.Format(o, unit), Cells.Ratio(o, x));
        var n = options.Deliveries;
        Console.WriteLine();
        Console.WriteLine($"the counter vat kept in a store ({n} deliveries; vats: a checkpoint after every one, in SQLite; xsnap: a snapshot as " +
            $"SwingSet's swing-store saves one, every {XsnapInterval} deliveries; medians)");
        Console.WriteLine(Row, "", "xsnap-worker", "vats", "ratio");
        double? Mean(string key) => ours.GetValueOrDefault(key)?.Mean;
        Line("one checkpoint: capture + save", X("snapshotSaveMsMedian"), Ours("checkpointMs"), "ms");
        Line("  … mean (vats; beside the delivery's mean)", null, Mean("checkpointMs"), "ms");
        Line("  of which: the worker's capture (changed pages sent)", null, Ours("checkpointCaptureMs"), "ms");
        Line("  of which: the store's save (one transaction)", null, Ours("checkpointSaveMs"), "ms");
        Line("  bytes written (xsnap: gzipped snapshot)", X("snapshotCompressedBytes"), Ours("checkpointBytes"), "B");
        Line("  heap snapshot (xsnap) / pages changed (vats)", X("snapshotBytes"), Ours("checkpointPages"), "n");
        Line("the delivery itself (round trip; vats: in the store)", X("wallMsMedian"), Ours("storeDeliveryMs"), "ms");
        Line("  … mean (vats)", null, Mean("storeDeliveryMs"), "ms");
        Console.WriteLine(Row, "a checkpoint ÷ the delivery (vats: medians; means)", "",
            FormattableString.Invariant($"{Ours("checkpointMs") / Ours("storeDeliveryMs"):F2}×; {Mean("checkpointMs") / Mean("storeDeliveryMs"):F2}×"), "");
        Line("a kernel's delivery: without checkpoints", X("wallMsMedian"), Ours("kernelDeliveryOnlyMs"), "ms");
        Line("  … with a checkpoint, saved in the background", null, Ours("kernelDeliveryBackgroundMs"), "ms");
        Line("  … with a checkpoint, saved before it returns", null, Ours("kernelDeliveryForegroundMs"), "ms");
        Line("    of which: the worker's capture", null, Ours("kernelDeliveryForegroundMsCapture"), "ms");
        Line("    of which: the store's save", null, Ours("kernelDeliveryForegroundMsSave"), "ms");
        var xsnapStored = X("snapshotCompressedBytes") * Math.Ceiling(n / (double)XsnapInterval);
        Line($"stored after {n} deliveries ({Math.Ceiling(n / (double)XsnapInterval)} vs {n} snapshots)", xsnapStored, Ours("storeGrowth"), "B");
        Line("  vats: bytes of pages, manifests and states", null, Ours("storeWritten"), "B");
        Line("  vats: whole page copies beside it (a cache, per vat)", null, Ours("storeCopies"), "B");
        Line("back from the store → ready (vats: a warmed-up spare)", X("snapshotRestoreFirstEvalMsMedian"), Ours("restoreSpareMs"), "ms");
        Line("  of which: the snapshot loaded from SQLite", null, Ours("restoreSpareLoadMs"), "ms");
        Line("  of which: the worker restoring it", null, Ours("restoreSpareWorkerMs"), "ms");
        Line("  … → first delivery done", X("snapshotRestoreFirstDeliveryMsMedian"), Ours("restoreSpareMs") + Ours("restoreSpareFirstDeliveryMs"), "ms");
        Line("  … again, by the same warehouse (snapshot in memory)", X("snapshotRestoreFirstEvalMsMedian"), Ours("restoreAgainMs"), "ms");
        Line("back from the store → ready (vats: a new process)", X("snapshotRestoreFirstEvalMsMedian"), Ours("restoreNewMs"), "ms");
        Line("xsnap: from uncompressed bytes in memory → ready", X("snapshotRestoreUncompressedFirstEvalMsMedian"), null, "ms");
        Console.WriteLine("(xsnap's restore reads the gzipped snapshot as the swing-store keeps it; \"ready\": its first evaluate, our vat's worker loaded)");
        if (xsnap is null) Console.WriteLine("(no xsnap reference in this run: the xsnap-worker column is empty)");
    }

    /// <summary>SwingSet's default <c>snapshotInterval</c>.</summary>
    private const int XsnapInterval = 200;

    /// <summary>Gives the warehouse's spare worker time to start and warm up, as it has between a kernel's deliveries.</summary>
    private static async Task WaitForSpareAsync(VatWarehouse warehouse)
    {
        await warehouse.WhenSparesReadyAsync();
        // Let the JIT threads and the new process settle.
        await Task.Delay(100);
    }
}

/// <summary>Collects the numeric fields of the warehouse's log entries (e.g. a restore's LoadMs and WorkerMs).</summary>
internal sealed class FieldLogger : Microsoft.Extensions.Logging.ILogger
{
    public Dictionary<string, double> Last { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Debug;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields) return;
        lock (Last)
            foreach (var (key, value) in fields)
                if (value is long or int or double) Last[key] = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
