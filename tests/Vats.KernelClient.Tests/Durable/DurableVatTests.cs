using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Vats.KernelClient.Durable;
using Vats.KernelClient.Local;
using Vats.KernelClient.Tests.VatRuns;
using Vats.SnapshotStore;

namespace Vats.KernelClient.Tests.Durable;

/// <summary>
/// Vats kept in a snapshot store: checkpoints after deliveries, transcripts, crash restarts with replay checked
/// syscall by syscall, and eviction under a bound on online workers.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class DurableVatTests
{
    private string _folder = "";

    [OneTimeSetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("vats-durable-").FullName;

    [OneTimeTearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private (SnapshotStore.SnapshotStore Store, VatWarehouse Warehouse) Open(string name, CheckpointPolicy? policy = null, int maxOnline = 50,
        bool saveInBackground = false)
    {
        var store = SnapshotStore.SnapshotStore.Open(Path.Combine(_folder, name + ".db"));
        var warehouse = new VatWarehouse(store, new VatWarehouseOptions
        {
            Worker = VatTestSupport.Options(name),
            Checkpoints = policy ?? CheckpointPolicy.EveryDelivery,
            MaxOnline = maxOnline,
            SaveInBackground = saveInBackground,
        });
        return (store, warehouse);
    }

    private static async Task<string> SendAsync(DurableVat vat, MiniKernel kernel, string method, string args = "[]")
    {
        var message = kernel.NewMessage(method, args);
        await vat.DeliverAsync(new MessageDelivery(MiniKernel.RootVref, message), kernel.Handle);
        return Smallcaps.Describe(kernel.ResolutionOf(message.Result!)!.Data);
    }

    [Test]
    public async Task ACrashedWorkerComesBackFromTheLatestCheckpointWithNothingToReplay()
    {
        var (store, warehouse) = Open("every");
        using var _ = store;
        await using var __ = warehouse;
        var kernel = new MiniKernel();
        var (vat, start) = await warehouse.CreateVatAsync("v1", VatTestSupport.Example("counter"), MiniKernel.VatParameters, kernel.Handle);
        Assert.That(start.Result.IsOk, Is.True);
        for (var i = 1; i <= 5; i++) Assert.That(await SendAsync(vat, kernel, "increment"), Is.EqualTo(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(store.List("v1").Select(s => s.Position), Is.EqualTo(Enumerable.Range(0, 7).Select(i => (long)i)), "a snapshot after setBundle and after every delivery");

        vat.Kill(); // as kill -9
        Assert.That(await SendAsync(vat, kernel, "increment"), Is.EqualTo("6"));
        Assert.That(vat.LastReplayCount, Is.Zero, "checkpointed after every delivery: nothing to replay");
        Assert.That(vat.Position, Is.EqualTo(7));
    }

    [Test]
    public async Task SavesInTheBackgroundAreFinishedBeforeACrashedWorkerComesBack()
    {
        var (store, warehouse) = Open("background", saveInBackground: true);
        using var _ = store;
        await using var __ = warehouse;
        var kernel = new MiniKernel();
        var (vat, _) = await warehouse.CreateVatAsync("v1", VatTestSupport.Example("counter"), MiniKernel.VatParameters, kernel.Handle);
        for (var i = 1; i <= 4; i++) Assert.That(await SendAsync(vat, kernel, "increment"), Is.EqualTo(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        vat.Kill(); // while the last delivery's checkpoint may still be saving
        Assert.That(await SendAsync(vat, kernel, "increment"), Is.EqualTo("5"));
        Assert.That(vat.LastReplayCount, Is.Zero, "the pending save was finished and restored from");
        Assert.That(vat.FailedSaves, Is.Zero);
        Assert.That((await vat.CheckpointAsync())?.Position ?? store.Latest("v1")!.Position, Is.EqualTo(6), "CheckpointAsync waits for the save");
        Assert.That(store.List("v1").Select(s => s.Position), Is.EqualTo(Enumerable.Range(0, 7).Select(i => (long)i)));
        var check = await warehouse.VerifyReplayAsync("v1", fromPosition: 0, compareEverySnapshot: true);
        Assert.That((check.Replayed, check.SnapshotsCompared), Is.EqualTo((6, 6)), "the background saves hold the heaps a replay reaches");
    }

    [Test]
    public async Task WithAnIntervalTheDeliveriesSinceTheCheckpointAreReplayedAndChecked()
    {
        var (store, warehouse) = Open("interval", CheckpointPolicy.EveryN(5));
        using var _ = store;
        await using var __ = warehouse;
        var kernel = new MiniKernel();
        var (vat, _) = await warehouse.CreateVatAsync("v1", VatTestSupport.Example("collections"), MiniKernel.VatParameters, kernel.Handle);
        await SendAsync(vat, kernel, "open", "[\"alice\"]");
        for (var i = 0; i < 5; i++) await SendAsync(vat, kernel, "deposit", "[\"alice\", 2]");
        Assert.That(vat.Position, Is.EqualTo(7));
        Assert.That(store.Latest("v1")!.Position, Is.EqualTo(5));

        vat.Kill();
        Assert.That(await SendAsync(vat, kernel, "balance", "[\"alice\"]"), Is.EqualTo("10"));
        Assert.That(vat.LastReplayCount, Is.EqualTo(2), "deliveries 6 and 7 replayed");
    }

    [Test]
    public async Task AKilledDeliveryIsNotRecordedAndTheVatGoesOnAsIfItNeverStarted()
    {
        var (store, warehouse) = Open("killed");
        using var _ = store;
        await using var __ = warehouse;
        var kernel = new MiniKernel();
        var (vat, _) = await warehouse.CreateVatAsync("v1", VatTestSupport.TestVat("trouble"), MiniKernel.VatParameters, kernel.Handle);
        Assert.That(await SendAsync(vat, kernel, "ping"), Is.EqualTo("\"pong\""));
        var worker = await vat.WorkerAsync();
        var spinning = SendAsync(vat, kernel, "spin");
        await Task.Delay(500);
        Process.GetProcessById(worker.Worker.ProcessId).Kill();
        var failure = Assert.ThrowsAsync<WorkerExitedException>(() => spinning);
        Assert.That(failure!.Reason, Is.EqualTo(WorkerExitReason.Signal));
        Assert.That((vat.IsOnline, vat.Restarts, vat.Position), Is.EqualTo((true, 1, 2L)), "back already, at the position before the killed delivery");
        Assert.That(store.TranscriptEnd("v1"), Is.EqualTo(2));
        Assert.That(await SendAsync(vat, kernel, "ping"), Is.EqualTo("\"pong\""));
    }

    [Test]
    public async Task ATamperedTranscriptIsReportedAsADivergence()
    {
        var (store, warehouse) = Open("diverge", CheckpointPolicy.Never);
        using var _ = store;
        await using var __ = warehouse;
        var kernel = new MiniKernel();
        var (vat, _) = await warehouse.CreateVatAsync("v1", VatTestSupport.Example("counter"), MiniKernel.VatParameters, kernel.Handle);
        await SendAsync(vat, kernel, "add", "[3]");
        vat.Kill();
        using (var db = new SqliteConnection($"Data Source={store.Path}"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "UPDATE transcript_syscalls SET syscall = replace(syscall, '#3', '#4') WHERE syscall LIKE '%resolve%#3%'";
            Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1), "the recorded resolve of add(3)");
        }
        var divergence = Assert.ThrowsAsync<ReplayDivergenceException>(() => SendAsync(vat, kernel, "get"));
        Assert.Multiple(() =>
        {
            Assert.That(divergence!.Position, Is.EqualTo(2));
            Assert.That(divergence.Expected, Does.Contain("#4"));
            Assert.That(divergence.Actual, Does.Contain("#3"));
        });
    }

    [Test]
    public async Task TheWarehouseKeepsAtMostMaxOnlineWorkersAndBringsEvictedVatsBack()
    {
        var (store, warehouse) = Open("lru", maxOnline: 2);
        using var _ = store;
        await using var __ = warehouse;
        var kernels = new Dictionary<string, MiniKernel>();
        foreach (var id in new[] { "v1", "v2", "v3" })
        {
            kernels[id] = new MiniKernel(id);
            await warehouse.CreateVatAsync(id, VatTestSupport.Example("counter"), MiniKernel.VatParameters, kernels[id].Handle);
            Assert.That(warehouse.OnlineCount, Is.LessThanOrEqualTo(2));
        }
        Assert.That(warehouse.GetVat("v1").IsOnline, Is.False, "the least recently used was evicted");
        for (var round = 1; round <= 2; round++)
            foreach (var id in new[] { "v1", "v2", "v3" })
                Assert.That(await SendAsync(warehouse.GetVat(id), kernels[id], "add", $"[{round}]"), Is.EqualTo(round == 1 ? "1" : "3"));
        Assert.That(warehouse.OnlineCount, Is.EqualTo(2));
    }

    [Test]
    public async Task ComingBackFromTheStoreGivesTheSameHeapAsNeverStopping()
    {
        var (store, warehouse) = Open("same-heap", maxOnline: 1);
        using var _ = store;
        await using var __ = warehouse;
        var kernel = new MiniKernel();
        var (vat, _) = await warehouse.CreateVatAsync("v1", VatTestSupport.Example("counter"), MiniKernel.VatParameters, kernel.Handle);
        await SendAsync(vat, kernel, "add", "[2]");
        await vat.EvictAsync();
        await SendAsync(vat, kernel, "increment");
        var restored = SHA256.HashData(await (await vat.WorkerAsync()).SnapshotAsync());

        var (straight, straightKernel, _) = await VatTestSupport.StartAsync("same-heap-straight", VatTestSupport.Example("counter"));
        await using (straight)
        {
            await straightKernel.SendAsync(straight, "add", "[2]");
            await straightKernel.SendAsync(straight, "increment", "[]");
            Assert.That(SHA256.HashData(await straight.SnapshotAsync()), Is.EqualTo(restored));
        }
    }
}
