using System.Diagnostics;
using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class CapacityTests
{
    /// <summary>xsnap's gzipped counter-vat snapshot: the per-checkpoint budget is 5 % of it.</summary>
    private const long XsnapSnapshotBytes = 2_070_000;

    [Test]
    public void AThousandCheckpointsOfABootedVatStayWithinTheBudget()
    {
        const int Checkpoints = 1000;
        using var folder = new TempFolder();
        using var store = folder.Open();
        using var engine = Heaps.Booted();
        var checkpointer = new Checkpointer(store, "v1", engine) { RecordHashes = false };
        checkpointer.Checkpoint();
        store.Flush();
        var afterFirst = store.FileBytes;
        long changed = 0, written = 0;
        string? middle = null;
        for (var i = 1; i <= Checkpoints; i++)
        {
            Heaps.MutateBooted(engine, i);
            var saved = checkpointer.Checkpoint();
            changed += saved.PagesChanged;
            written += saved.BytesWritten;
            if (i == Checkpoints / 2) middle = Heaps.Sha256(engine.Memory);
        }
        store.Flush();
        var perCheckpoint = (store.FileBytes - afterFirst) / Checkpoints;
        var saves = checkpointer.SaveMilliseconds.Skip(1).Order().ToList();
        TestContext.Progress.WriteLine(
            $"{Checkpoints} checkpoints: first {afterFirst:N0} bytes, then {perCheckpoint:N0} bytes each ({changed / Checkpoints} pages changed, {written / Checkpoints:N0} data bytes); " +
            $"database {store.FileBytes:N0} bytes (xsnap: 5 x {XsnapSnapshotBytes:N0}); save median {saves[Checkpoints / 2]:F2} ms, 90th percentile {saves[Checkpoints * 9 / 10]:F2} ms");
        Assert.That(perCheckpoint, Is.LessThan(XsnapSnapshotBytes / 20), "a checkpoint costs at most 5 % of xsnap's snapshot");
        var started = Stopwatch.GetTimestamp();
        var latest = store.LoadLatest("v1")!;
        TestContext.Progress.WriteLine($"loading the latest: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
        Assert.That(latest.Memory, Is.EqualTo(engine.Memory.ToArray()));
        Assert.That(Heaps.Sha256(store.Load(checkpointer.Saved[Checkpoints / 2].Root).Memory), Is.EqualTo(middle));
    }
}
