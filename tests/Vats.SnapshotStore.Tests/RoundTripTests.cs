using Vats.QuickJs;
using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class RoundTripTests
{
    [Test]
    public void ASavesWholeCopiesAreWrittenAfterItReturnsWithoutAnotherCall()
    {
        using var folder = new TempFolder();
        using var engine = Heaps.Small();
        using var store = folder.Open();
        var checkpointer = new Checkpointer(store, "v1", engine);
        checkpointer.Checkpoint();
        long full;
        using (var raw = new RawDatabase(folder.File("store.db"))) full = raw.Ids("pages").Max();
        Heaps.Mutate(engine, 1);
        checkpointer.Checkpoint();
        HashSet<long> patches;
        using (var raw = new RawDatabase(folder.File("store.db")))
            patches = raw.Ids("pages").Where(id => id > full && (long)raw.Scalar($"SELECT codec FROM pages WHERE id = {id}")! == 2).ToHashSet();
        Assert.That(patches, Is.Not.Empty);
        // The delta's patch pages get copies, on a pool thread: watched from outside the store.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!patches.IsSubsetOf(CopyFiles.Entries(folder.File("store.db")).Select(e => e.PageId)) && clock.Elapsed < TimeSpan.FromSeconds(20))
            Thread.Sleep(10);
        Assert.That(CopyFiles.Entries(folder.File("store.db")).Select(e => e.PageId), Is.SupersetOf(patches));
    }

    [Test]
    public void NumberingASnapshotReadsAnIndexNotEverySnapshot()
    {
        using var folder = new TempFolder();
        using (folder.Open()) { }
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={folder.File("store.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        // The query a save numbers its snapshot with.
        command.CommandText = "EXPLAIN QUERY PLAN SELECT coalesce(max(seq), 0) + 1 FROM snapshots";
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read()) plan.Add(reader.GetString(3));
        Assert.That(plan, Has.Some.Contains("snapshots_by_seq"), string.Join("; ", plan));
    }

    [Test]
    public void AFullSaveLoadsBackByteForByteAndRestoresTheSameEngine()
    {
        using var folder = new TempFolder();
        using var engine = Heaps.Small();
        var state = engine.SnapshotWithoutMemory();
        var memory = engine.Memory.ToArray();
        SnapshotRoot root;
        using (var store = folder.Open())
        {
            var saved = store.SaveFull("v1", 7, Heaps.Identity, state, memory);
            root = saved.Root;
            Assert.That(saved.PagesWritten, Is.GreaterThan(0));
        }
        using (var store = folder.Open())
        {
            var loaded = store.Load(root);
            Assert.Multiple(() =>
            {
                Assert.That(loaded.State, Is.EqualTo(state));
                Assert.That(loaded.Memory, Is.EqualTo(memory));
                Assert.That(loaded.VatId, Is.EqualTo("v1"));
                Assert.That(loaded.Position, Is.EqualTo(7));
                Assert.That(loaded.Identity, Is.EqualTo(Heaps.Identity));
            });
            using var restored = QuickJsEngine.Restore(loaded.State, loaded.Memory);
            Assert.That(restored.Snapshot(), Is.EqualTo(engine.Snapshot()), "the restored engine is the same engine");
            Assert.That(restored.Evaluate("items.length + n").Json, Is.EqualTo("2000"));
        }
    }

    [Test]
    public void DeltaSavesLoadBackEveryCheckpointInThisAndAFreshStore()
    {
        using var folder = new TempFolder();
        using var engine = Heaps.Small();
        using (var store = folder.Open())
        {
            var checkpointer = new Checkpointer(store, "v1", engine);
            checkpointer.Checkpoint();
            for (var i = 0; i < 25; i++)
            {
                Heaps.Mutate(engine, i);
                var saved = checkpointer.Checkpoint();
                Assert.That(saved.PagesChanged, Is.GreaterThan(0).And.LessThan(engine.Memory.Length / store.PageSize / 4), "a delta save stores only what changed");
            }
            AssertLoads(store, checkpointer);
            using var fresh = folder.Open("store.db", new SnapshotStoreOptions { CacheLoadedSnapshots = false });
            AssertLoads(fresh, checkpointer);
            var latest = fresh.LoadLatest("v1")!;
            Assert.That(latest.Root, Is.EqualTo(checkpointer.Last));
            using var restored = QuickJsEngine.Restore(latest.State, latest.Memory);
            Assert.That(restored.Snapshot(), Is.EqualTo(engine.Snapshot()));
            Assert.That(restored.Evaluate("n").Json, Is.EqualTo("25"));
        }
    }

    [Test]
    public void ARestoredVatSavesOnFromWhereItWas()
    {
        using var folder = new TempFolder();
        using var engine = Heaps.Small();
        SnapshotRoot middle;
        using (var store = folder.Open())
        {
            var checkpointer = new Checkpointer(store, "v1", engine);
            checkpointer.Checkpoint();
            Heaps.Mutate(engine, 1);
            middle = checkpointer.Checkpoint().Root;
        }
        // A new process: load the latest, restore, go on with delta saves against it.
        using (var store = folder.Open())
        {
            var loaded = store.LoadLatest("v1")!;
            Assert.That(loaded.Root, Is.EqualTo(middle));
            using var restored = QuickJsEngine.Restore(loaded.State, loaded.Memory);
            var tracker = new PageTracker();
            tracker.Reset(restored.Memory);
            Heaps.Mutate(restored, 2);
            Heaps.Mutate(engine, 2);
            var memory = restored.Memory.ToArray();
            var saved = store.SaveDelta("v1", 2, Heaps.Identity, middle, restored.SnapshotWithoutMemory(), memory.Length,
                PageTracker.Changes(memory, tracker.Advance(memory)));
            var again = store.Load(saved.Root);
            Assert.That(again.Memory, Is.EqualTo(engine.Memory.ToArray()), "the restored engine and the original one went on identically");
            Assert.That(store.List("v1").Select(s => s.Position), Is.EqualTo(new long[] { 0, 1, 2 }));
        }
    }

    [Test]
    public void ASaveWithoutChangesStillRecordsTheNewPosition()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        using var engine = Heaps.Small();
        var memory = engine.Memory.ToArray();
        var state = engine.SnapshotWithoutMemory();
        var first = store.SaveFull("v1", 0, Heaps.Identity, state, memory);
        var second = store.SaveDelta("v1", 1, Heaps.Identity, first.Root, state, memory.Length, []);
        Assert.Multiple(() =>
        {
            Assert.That(second.Root, Is.Not.EqualTo(first.Root), "the position is part of the root");
            Assert.That(second.PagesWritten, Is.Zero);
            Assert.That(store.Load(second.Root).Memory, Is.EqualTo(memory));
        });
        var again = store.SaveDelta("v1", 1, Heaps.Identity, first.Root, state, memory.Length, []);
        Assert.That(again.AlreadyStored, Is.True, "saving the same snapshot again is a no-op");
    }

    [Test]
    public void MemoryThatGrowsKeepsItsNewPages([Values] bool asPatch)
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        var memory = new byte[64 << 10];
        memory[5] = 1;
        var first = store.SaveFull("v1", 0, Heaps.Identity, [1], memory);
        var grown = new byte[192 << 10];
        memory.CopyTo(grown, 0);
        grown[100_000] = 9;
        var page = 100_000 / 4096;
        // A patch of a page beyond the parent's memory is against a zero page.
        var change = asPatch
            ? PageChange.Patched(page, Vats.Protocol.SparsePatch.Encode(grown.AsSpan(page * 4096, 4096), new byte[4096]))
            : new PageChange(page, grown.AsMemory(page * 4096, 4096));
        var second = store.SaveDelta("v1", 1, Heaps.Identity, first.Root, [2], grown.Length, [change]);
        Assert.That(store.Load(second.Root).Memory, Is.EqualTo(grown));
        Assert.That(store.Load(first.Root).Memory, Is.EqualTo(memory));
    }

    [Test]
    public void PagesGivenAsPatchesSaveTheSameSnapshotAsWholePages()
    {
        using var folder = new TempFolder();
        using var engine = Heaps.Small();
        var before = engine.Memory.ToArray();
        var state0 = engine.SnapshotWithoutMemory();
        Heaps.Mutate(engine, 1);
        var after = engine.Memory.ToArray();
        var state1 = engine.SnapshotWithoutMemory();
        var tracker = new PageTracker();
        tracker.Reset(before);
        var changed = tracker.Advance(after);
        Assert.That(changed, Is.Not.Empty);
        var patches = changed.Select(i => PageChange.Patched(i, Vats.Protocol.SparsePatch.Encode(after.AsSpan(i * 4096, 4096), before.AsSpan(i * 4096, 4096))))
            .ToArray();

        using var whole = folder.Open("whole.db");
        using var patched = folder.Open("patched.db");
        var (a0, b0) = (whole.SaveFull("v1", 0, Heaps.Identity, state0, before), patched.SaveFull("v1", 0, Heaps.Identity, state0, before));
        var a1 = whole.SaveDelta("v1", 1, Heaps.Identity, a0.Root, state1, after.Length, PageTracker.Changes(after, changed));
        var b1 = patched.SaveDelta("v1", 1, Heaps.Identity, b0.Root, state1, after.Length, patches);
        Assert.Multiple(() =>
        {
            Assert.That(b1.Root, Is.EqualTo(a1.Root), "the same snapshot, whichever way its pages came");
            Assert.That((b1.PagesChanged, b1.PagesWritten, b1.PagesAsDeltas, b1.BytesWritten), Is.EqualTo((a1.PagesChanged, a1.PagesWritten, a1.PagesAsDeltas, a1.BytesWritten)),
                "a patch that continues a page's chain is stored as given: what the store would have encoded");
            Assert.That(patched.Load(b1.Root).Memory, Is.EqualTo(after));
        });
    }

    [Test]
    public void APatchThatDoesNotApplyIsRefusedAndNothingIsStored()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        var memory = new byte[64 << 10];
        var first = store.SaveFull("v1", 0, Heaps.Identity, [1], memory);
        // Skip 4090 bytes, then write 10: past the page's end.
        byte[] outside = [0xFA, 0x1F, 10, .. new byte[10]];
        byte[] cut = [0, 8, 1, 2];
        foreach (var bad in new[] { outside, cut, [] })
        {
            var e = Assert.Throws<ArgumentException>(() => store.SaveDelta("v1", 1, Heaps.Identity, first.Root, [1], memory.Length,
                [PageChange.Patched(2, new byte[] { 0, 1, 7 }), PageChange.Patched(3, bad)]));
            Assert.That(e!.Message, Does.Contain("page 3"), "the error names the page");
        }
        Assert.That(store.List(), Has.Count.EqualTo(1), "nothing of a refused save is stored");
        // Page 2's patch was applied before page 3's failed: the parent is as it was.
        Assert.That(store.Load(first.Root).Memory, Is.EqualTo(memory));
        var good = store.SaveDelta("v1", 1, Heaps.Identity, first.Root, [1], memory.Length, [PageChange.Patched(2, new byte[] { 0, 1, 7 })]);
        Assert.That(store.Load(good.Root).Memory[2 * 4096], Is.EqualTo(7));
    }

    [Test]
    public void BadInputIsRefusedBeforeAnythingIsStored()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        var memory = new byte[64 << 10];
        var first = store.SaveFull("v1", 0, Heaps.Identity, [1], memory);
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => store.SaveFull("v1", 1, Heaps.Identity, [1], new byte[5000]));
            Assert.Throws<ArgumentException>(() => store.SaveDelta("v1", 1, Heaps.Identity, first.Root, [1], memory.Length, [new PageChange(99, new byte[4096])]));
            Assert.Throws<ArgumentException>(() => store.SaveDelta("v1", 1, Heaps.Identity, first.Root, [1], memory.Length, [new PageChange(1, new byte[100])]));
            Assert.Throws<ArgumentException>(() => store.SaveDelta("v1", 1, Heaps.Identity, first.Root, [1], memory.Length,
                [new PageChange(1, new byte[4096]), new PageChange(1, new byte[4096])]));
            Assert.Throws<SnapshotNotFoundException>(() => store.SaveDelta("v1", 1, Heaps.Identity, SnapshotRoot.Parse(new string('0', 64)), [1],
                memory.Length, []));
            Assert.Throws<SnapshotNotFoundException>(() => store.Load(SnapshotRoot.Parse(new string('1', 64))));
        });
        Assert.That(store.List(), Has.Count.EqualTo(1));
        Assert.That(store.LoadLatest("nobody"), Is.Null);
    }

    private static void AssertLoads(SnapshotStore store, Checkpointer checkpointer)
    {
        foreach (var (root, position, stateSha, memorySha) in checkpointer.Saved)
        {
            var loaded = store.Load(root);
            Assert.Multiple(() =>
            {
                Assert.That(Heaps.Sha256(loaded.State), Is.EqualTo(stateSha), $"state at {position}");
                Assert.That(Heaps.Sha256(loaded.Memory), Is.EqualTo(memorySha), $"memory at {position}");
                Assert.That(loaded.Position, Is.EqualTo(position));
            });
            store.Verify(root);
        }
    }
}
