using System.Buffers.Binary;
using System.Diagnostics;
using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

/// <summary>
/// The figures of RATIONALE.md, from a recording of real checkpoints: a file of worker checkpoints
/// (<c>Vats.Protocol.WorkerCheckpoint</c> bytes, each preceded by its length as an int32 LE) — a full one, then a
/// delta after each delivery — named by <c>VATS_CHECKPOINT_RECORDING</c>. Explicit: run it by name.
/// </summary>
[Explicit("a measurement: needs VATS_CHECKPOINT_RECORDING and takes minutes")]
public sealed class MeasurementTests
{
    [Test]
    public void ReplayARecordingOfWorkerCheckpoints()
    {
        var path = Environment.GetEnvironmentVariable("VATS_CHECKPOINT_RECORDING");
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) Assert.Ignore("set VATS_CHECKPOINT_RECORDING to a recording of worker checkpoints");
        using var folder = new TempFolder();
        using var input = new BinaryReader(File.OpenRead(path));
        using var store = folder.Open();
        var identity = new SnapshotIdentity("engine", "runtime", ["lockdown", "supervisor"]);
        var first = Read(input);
        var memory = new byte[first.MemoryBytes];
        for (var n = 0; n < first.Indexes.Length; n++) first.Pages.AsSpan(n * 4096, 4096).CopyTo(memory.AsSpan(first.Indexes[n] * 4096));
        var root = store.SaveFull("v1", 0, identity, first.State, memory).Root;
        store.Flush();
        var afterFirst = store.FileBytes;
        var saves = new List<double>();
        long changed = 0, data = 0, position = 0;
        while (input.BaseStream.Position < input.BaseStream.Length)
        {
            var checkpoint = Read(input);
            var changes = checkpoint.Indexes.Select((index, n) => new PageChange(index, checkpoint.Pages.AsMemory(n * 4096, 4096))).ToList();
            var started = Stopwatch.GetTimestamp();
            var saved = store.SaveDelta("v1", ++position, identity, root, checkpoint.State, checkpoint.MemoryBytes, changes);
            saves.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            root = saved.Root;
            changed += saved.PagesChanged;
            data += saved.BytesWritten;
        }
        store.Flush();
        saves.Sort();
        var loads = new List<double>();
        using (var reader = folder.Open("store.db", new SnapshotStoreOptions { CacheLoadedSnapshots = false }))
        {
            for (var i = 0; i < 10; i++)
            {
                var started = Stopwatch.GetTimestamp();
                reader.Load(root);
                loads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        TestContext.Progress.WriteLine($"{position} checkpoints: {changed / position} pages changed, {data / position:N0} data bytes and " +
            $"{(store.FileBytes - afterFirst) / position:N0} database bytes each; database {store.FileBytes:N0} bytes; " +
            $"save median {saves[saves.Count / 2]:F1} ms, 90th percentile {saves[saves.Count * 9 / 10]:F1} ms; load of the latest {loads.Skip(1).Order().First():F1}–{loads.Skip(1).Max():F1} ms");
    }

    private static (byte[] State, long MemoryBytes, int[] Indexes, byte[] Pages) Read(BinaryReader input)
    {
        // VATSWCKP | u32 version | u8 kind | u32 page size | i64 memory bytes | u32 state length + state | u32 count | indexes | pages
        var bytes = input.ReadBytes(input.ReadInt32());
        Assert.That(bytes.AsSpan(0, 8).SequenceEqual("VATSWCKP"u8), "a worker checkpoint");
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(13)), Is.EqualTo(4096));
        var memoryBytes = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(17));
        var stateLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(25));
        var state = bytes.AsSpan(29, stateLength).ToArray();
        var at = 29 + stateLength;
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        at += 4;
        var indexes = new int[count];
        for (var n = 0; n < count; n++, at += 4) indexes[n] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        return (state, memoryBytes, indexes, bytes.AsSpan(at, count * 4096).ToArray());
    }
}
