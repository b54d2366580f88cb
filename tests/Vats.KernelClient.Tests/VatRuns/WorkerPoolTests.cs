using System.Security.Cryptography;
using Vats.KernelClient.Local;
using Vats.Protocol;

namespace Vats.KernelClient.Tests.VatRuns;

/// <summary>A pool of warmed-up workers: a vat restored into a pooled worker continues exactly; the pool refills.</summary>
[Parallelizable(ParallelScope.Self)]
public sealed class WorkerPoolTests
{
    [Test]
    public async Task AVatRestoredIntoAPooledWorkerContinuesExactly()
    {
        var (vat, kernel, _) = await VatTestSupport.StartAsync("pool-source", VatTestSupport.Example("counter"));
        byte[] checkpoint;
        byte[] expected;
        await using (vat)
        {
            await kernel.SendAsync(vat, "add", "[5]");
            var full = await vat.Worker.CheckpointAsync(full: true);
            checkpoint = WorkerCheckpoint.EncodeFull(full.State.Span, full.BuildMemory());
            await kernel.SendAsync(vat, "increment", "[]");
            expected = SHA256.HashData(await vat.SnapshotAsync());
        }

        await using var pool = new WorkerPool(VatTestSupport.Options("pool"), size: 1);
        await using var restored = await Vat.RestoreAsync(checkpoint, pool);
        var continued = MiniKernel.FromState(kernel.SaveState());
        // The same message the source got after its checkpoint, with the same result promise.
        var outcome = await restored.DeliverAsync(new MessageDelivery(MiniKernel.RootVref, new VatMessage(Smallcaps.EncodeMethargs("increment", "[]"), "p-62")),
            continued.Handle);
        Assert.That(outcome.Syscalls.Single().Json, Is.EqualTo("""["resolve",[["p-62",false,{"body":"#6","slots":[]}]]]"""));
        Assert.That(SHA256.HashData(await restored.SnapshotAsync()), Is.EqualTo(expected), "the same heap as the worker that never stopped");
        Assert.That(pool.Waiting, Is.EqualTo(1), "a replacement started");
    }
}
