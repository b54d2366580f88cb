using Vats.Bundler;
using Vats.KernelClient;
using Vats.KernelClient.Durable;
using Vats.KernelClient.Local;

namespace Vats.SnapshotStore.Bench;

/// <summary>Records the counter vat's checkpoints in a real worker: a full one, then a delta after each <c>increment</c>.</summary>
internal static class Recorder
{
    public static async Task RunAsync(string output, int deliveries, string root)
    {
        var folder = Directory.CreateTempSubdirectory("vats-store-bench-record-");
        try
        {
            var bundle = Bundle.Create(Path.Combine(root, "examples", "counter", "counter.js"), new BundleOptions { Format = BundleFormat.EndoZipBase64 });
            var worker = new VatWorkerOptions { Name = "record", BootCacheDirectory = Path.Combine(folder.FullName, "boot"), HandshakeTimeout = TimeSpan.FromMinutes(2) };
            var kernel = new MiniKernel();
            using var store = SnapshotStore.Open(Path.Combine(folder.FullName, "scratch.db"));
            // The warehouse only starts the vat; the checkpoints are taken here, from the worker, as it sends them.
            await using var warehouse = new VatWarehouse(store, new VatWarehouseOptions { Worker = worker, Checkpoints = CheckpointPolicy.Never, SpareWorkers = 0 });
            var (vat, _) = await warehouse.CreateVatAsync("v1", bundle.Json, MiniKernel.VatParameters, kernel.Handle);
            await kernel.DeliverOwedAsync(vat.DeliverAsync);
            var client = await vat.WorkerAsync();
            using var file = new BinaryWriter(File.Create(output));
            byte[] memory = [];
            for (var i = 0; i <= deliveries; i++)
            {
                if (i > 0) await kernel.SendAsync(vat.DeliverAsync, "increment", "[]");
                var checkpoint = await client.Worker.CheckpointAsync(full: i == 0);
                // A delta comes as patches; the recording keeps the changed pages whole.
                memory = checkpoint.IsDelta ? checkpoint.BuildMemory(memory) : checkpoint.BuildMemory();
                var bytes = RecordedCheckpoint.Encode(checkpoint.IsDelta, checkpoint.State.Span, checkpoint.MemoryBytes, checkpoint.PageIndexes,
                    n => memory.AsMemory(checkpoint.PageIndexes[n] * Vats.Protocol.WorkerCheckpoint.PageSize, Vats.Protocol.WorkerCheckpoint.PageSize));
                file.Write(bytes.Length);
                file.Write(bytes);
                if (i % 100 == 0) Console.Error.WriteLine($"[bench] recorded {i} of {deliveries} deliveries");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
