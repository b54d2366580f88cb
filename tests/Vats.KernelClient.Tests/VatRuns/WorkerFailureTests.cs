using System.Diagnostics;

namespace Vats.KernelClient.Tests.VatRuns;

/// <summary>
/// A worker that dies, is killed, exceeds its limits, or cannot start: each a typed exception naming the cause, and
/// the client process goes on.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class WorkerFailureTests
{
    [Test]
    public async Task ExceedingTheComputeLimitEndsTheWorkerWithItsExitCode()
    {
        // Enough for the boot bundles (liveslots runs its own work unmetered), not for an endless loop.
        var (vat, kernel, _) = await VatTestSupport.StartAsync("metered", VatTestSupport.TestVat("trouble"), computeLimit: 2_000_000_000);
        await using var _vat = vat;
        Assert.That(Smallcaps.Describe((await kernel.SendAsync(vat, "ping", "[]")).Resolution!.Data), Is.EqualTo("\"pong\""));
        var failure = Assert.ThrowsAsync<WorkerExitedException>(() => kernel.SendAsync(vat, "spin", "[]"));
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Reason, Is.EqualTo(WorkerExitReason.ComputeMeterExceeded));
            Assert.That(failure.ExitCode, Is.EqualTo(17));
            Assert.That(failure.Message, Does.Contain("Compute meter exceeded"));
        });
        Assert.ThrowsAsync<WorkerExitedException>(() => kernel.SendAsync(vat, "ping", "[]"), "a dead worker stays dead");
    }

    [Test]
    public async Task AWorkerKilledMidDeliveryIsReportedAsASignal()
    {
        var (vat, kernel, _) = await VatTestSupport.StartAsync("killed", VatTestSupport.TestVat("trouble"));
        await using var _vat = vat;
        var spinning = kernel.SendAsync(vat, "spin", "[]");
        await Task.Delay(300);
        Process.GetProcessById(vat.Worker.ProcessId).Kill(); // SIGKILL, as `kill -9`
        var failure = Assert.ThrowsAsync<WorkerExitedException>(() => spinning);
        Assert.That(failure!.Reason, Is.EqualTo(WorkerExitReason.Signal));
        Assert.That(failure.ExitCode, Is.EqualTo(137));
    }

    [Test]
    public async Task CancellingADeliveryKillsTheWorkerSoNoLateReplyCanBeMisread()
    {
        var (vat, kernel, _) = await VatTestSupport.StartAsync("cancelled", VatTestSupport.TestVat("trouble"));
        await using var _vat = vat;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.That(async () => await vat.DeliverAsync(new MessageDelivery("o+0", kernel.NewMessage("spin", "[]")), kernel.Handle, cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await vat.Worker.Exited.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(137), "the worker was killed");
        var next = Assert.ThrowsAsync<VatWorkerException>(() => kernel.SendAsync(vat, "ping", "[]"));
        Assert.That(next!.Message, Does.Contain("killed because a command was cancelled"));
    }

    [Test]
    public async Task ASyscallHandlerThatThrowsKillsTheWorkerAndPropagates()
    {
        var (vat, kernel, _) = await VatTestSupport.StartAsync("handler", VatTestSupport.TestVat("trouble"));
        await using var _vat = vat;
        var message = kernel.NewMessage("ping", "[]");
        var thrown = Assert.ThrowsAsync<InvalidOperationException>(() =>
            vat.DeliverAsync(new MessageDelivery("o+0", message), _ => throw new InvalidOperationException("kernel bug")));
        Assert.That(thrown!.Message, Is.EqualTo("kernel bug"));
        Assert.That(await vat.Worker.Exited.WaitAsync(TimeSpan.FromSeconds(30)), Is.Not.Zero);
        Assert.That(vat.Worker.IsRunning, Is.False);
    }

    [Test]
    public async Task AGarbageSnapshotIsRefusedByTheWorker()
    {
        var garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        var failure = Assert.ThrowsAsync<WorkerExitedException>(() => Vat.RestoreAsync(garbage, VatTestSupport.Options("garbage")));
        Assert.That(failure!.Reason, Is.EqualTo(WorkerExitReason.ProtocolError));

        var (vat, _, _) = await VatTestSupport.StartAsync("corrupted", VatTestSupport.TestVat("trouble"));
        byte[] snapshot;
        await using (vat) snapshot = await vat.SnapshotAsync();
        snapshot[snapshot.Length / 2] ^= 0x40;
        var corrupt = Assert.ThrowsAsync<WorkerExitedException>(() => Vat.RestoreAsync(snapshot, VatTestSupport.Options("corrupted-restore")));
        Assert.That(corrupt!.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void AWorkerRunningAnotherQuickJsBuildIsRefused()
    {
        var options = VatTestSupport.Options("wrong-hash") with { ExpectedQuickJsSha256 = new string('0', 64) };
        var failure = Assert.ThrowsAsync<WorkerHandshakeException>(() => VatWorker.StartAsync(options));
        Assert.That(failure!.Message, Does.Contain(new string('0', 64)).And.Contain(global::Vats.QuickJs.Native.QuickJsBinary.Sha256));
    }

    [Test]
    public void AMissingWorkerNamesWhereItLooked()
    {
        var options = VatTestSupport.Options("missing") with { WorkerPath = "/nonexistent/vats-worker" };
        var failure = Assert.ThrowsAsync<FileNotFoundException>(() => VatWorker.StartAsync(options));
        Assert.That(failure!.Message, Does.Contain("/nonexistent/vats-worker"));
    }
}
