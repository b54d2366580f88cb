using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class GarbageCollectionTests
{
    [Test]
    public void KeepingTheLatestThreeFreesExactlyWhatNoKeptSnapshotNeeds()
    {
        using var folder = new TempFolder();
        var path = folder.File("store.db");
        var options = new SnapshotStoreOptions { MaxDeltaChain = 8, MaxManifestChain = 4 };
        List<(SnapshotRoot Root, long Position, string StateSha256, string MemorySha256)> saved;
        using (var store = folder.Open("store.db", options))
        {
            using var engine = Heaps.Small();
            var checkpointer = new Checkpointer(store, "v1", engine);
            checkpointer.Checkpoint();
            for (var i = 0; i < 20; i++)
            {
                Heaps.Mutate(engine, i);
                checkpointer.Checkpoint();
            }
            saved = checkpointer.Saved;
            Assert.That(store.DeleteAllButLatest("v1", 3), Is.EqualTo(18));
            var report = store.CollectGarbage();
            TestContext.Progress.WriteLine(report);
            Assert.Multiple(() =>
            {
                Assert.That(report.PagesDeleted, Is.GreaterThan(0));
                Assert.That(report.PageBytesFreed, Is.GreaterThan(0));
                Assert.That(report.ManifestsDeleted, Is.GreaterThan(0));
                Assert.That(report.BasePagesKept, Is.GreaterThan(0), "pages that are only the bases of kept patches stay");
                Assert.That(report.ManifestsKept, Is.GreaterThan(3), "the manifests the kept ones are stored against stay");
                Assert.That(store.CollectGarbage().PagesDeleted, Is.Zero, "a second collection finds nothing more");
            });
            foreach (var kept in saved.TakeLast(3)) Assert.That(Heaps.Sha256(store.Load(kept.Root).Memory), Is.EqualTo(kept.MemorySha256));
            foreach (var gone in saved.SkipLast(3)) Assert.Throws<SnapshotNotFoundException>(() => store.Load(gone.Root));
        }
        // Exactly: every page left is needed by a kept snapshot (removing any one breaks one of them).
        var collected = folder.File("collected.db");
        File.Copy(path, collected);
        List<long> pages;
        using (var raw = new RawDatabase(collected)) pages = raw.Ids("pages");
        foreach (var page in pages.Where((_, n) => n % 4 == 0))
        {
            File.Copy(collected, path, overwrite: true);
            using (var raw = new RawDatabase(path)) raw.Execute($"DELETE FROM pages WHERE id = {page}");
            using var store = SnapshotStore.Open(path, options);
            Assert.That(saved.TakeLast(3).Any(kept => Throws(() => store.Verify(kept.Root))), Is.True, $"page row {page} was kept though nothing needs it");
        }
    }

    [Test]
    public void DeletingOneVatKeepsThePagesItSharedWithAnother()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        using var first = Heaps.Small("same");
        using var second = Heaps.Small("same");
        Heaps.Mutate(second, 1);
        var a = store.SaveFull("v1", 0, Heaps.Identity, first.SnapshotWithoutMemory(), first.Memory);
        var b = store.SaveFull("v2", 0, Heaps.Identity, second.SnapshotWithoutMemory(), second.Memory);
        Assert.That(store.Inspect(b.Root).SharedWithOtherVats, Is.GreaterThan(0));
        Assert.That(store.Delete(a.Root), Is.True);
        var report = store.CollectGarbage();
        Assert.That(report.PagesDeleted, Is.LessThan(store.Inspect(b.Root).NonZeroPages / 4), "only v1's own pages went");
        Assert.That(store.Load(b.Root).Memory, Is.EqualTo(second.Memory.ToArray()));
        Assert.That(store.Delete(a.Root), Is.False);
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (SnapshotCorruptException)
        {
            return true;
        }
    }
}
