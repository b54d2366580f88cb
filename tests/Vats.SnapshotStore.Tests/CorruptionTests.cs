using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class CorruptionTests
{
    /// <summary>A vat with a few delta checkpoints, its snapshots' expected memory hashes, in a closed store.</summary>
    private static (TempFolder Folder, List<(SnapshotRoot Root, long Position, string StateSha256, string MemorySha256)> Saved) Build(SnapshotStoreOptions options)
    {
        var folder = new TempFolder();
        using var store = folder.Open("store.db", options);
        using var engine = Heaps.Small();
        var checkpointer = new Checkpointer(store, "v1", engine);
        checkpointer.Checkpoint();
        for (var i = 0; i < 4; i++)
        {
            Heaps.Mutate(engine, i);
            checkpointer.Checkpoint();
        }
        return (folder, checkpointer.Saved);
    }

    [Test]
    public void AFlippedBitInAnyStoredPageIsNamedOrNeverReturnsWrongBytes()
    {
        var (folder, saved) = Build(new SnapshotStoreOptions { HeadInterval = 0, MaxDeltaChain = 4 });
        using (folder)
        {
            var path = folder.File("store.db");
            List<long> pages;
            using (var raw = new RawDatabase(path)) pages = raw.Ids("pages");
            int detected = 0, harmless = 0;
            // Every third row keeps the test short; the rows are of every kind (standalone, patches at every depth).
            pages = pages.Where((_, n) => n % 3 == 0).ToList();
            foreach (var page in pages)
            {
                byte[] original;
                using (var raw = new RawDatabase(path)) original = raw.Flip("pages", page, at: (int)(page * 7919 % 4093));
                using (var store = SnapshotStore.Open(path, new SnapshotStoreOptions { CacheLoadedSnapshots = false }))
                {
                    var failures = 0;
                    foreach (var (root, position, stateSha, memorySha) in saved)
                    {
                        try
                        {
                            var loaded = store.Load(root);
                            Assert.That(Heaps.Sha256(loaded.Memory), Is.EqualTo(memorySha), $"page row {page}: snapshot {position} loaded wrong bytes");
                        }
                        catch (SnapshotCorruptException e)
                        {
                            failures++;
                            Assert.Multiple(() =>
                            {
                                Assert.That(e.Root, Is.EqualTo(root));
                                Assert.That(e.PageIndex, Is.Not.Null, e.Message);
                                Assert.That(e.VatId, Is.EqualTo("v1"));
                                Assert.That(e.Position, Is.EqualTo(position));
                                Assert.That(e.Message, Does.Contain($"page {e.PageIndex}").And.Contain(root.ToString()));
                            });
                        }
                    }
                    if (failures > 0) detected++;
                    else harmless++;
                }
                using (var raw = new RawDatabase(path)) raw.SetData("pages", page, original);
            }
            TestContext.Progress.WriteLine($"{pages.Count} stored pages damaged one at a time: {detected} detected, {harmless} decoded to the right bytes anyway");
            Assert.That(detected, Is.GreaterThanOrEqualTo(pages.Count * 9 / 10));
        }
    }

    [Test]
    public void AFlippedBitInAManifestIsDetected()
    {
        var (folder, saved) = Build(new SnapshotStoreOptions { MaxManifestChain = 3 });
        using (folder)
        {
            var path = folder.File("store.db");
            List<long> manifests;
            using (var raw = new RawDatabase(path)) manifests = raw.Ids("manifests");
            var detected = 0;
            foreach (var manifest in manifests)
            {
                foreach (var at in new[] { 1, 17, 60 })
                {
                    byte[] original;
                    using (var raw = new RawDatabase(path)) original = raw.Flip("manifests", manifest, at);
                    using (var store = SnapshotStore.Open(path, new SnapshotStoreOptions { CacheLoadedSnapshots = false }))
                    {
                        var failed = false;
                        foreach (var (root, _, stateSha, memorySha) in saved)
                        {
                            try
                            {
                                var loaded = store.Load(root);
                                Assert.That(Heaps.Sha256(loaded.Memory), Is.EqualTo(memorySha));
                                Assert.That(Heaps.Sha256(loaded.State), Is.EqualTo(stateSha));
                            }
                            catch (SnapshotCorruptException e)
                            {
                                Assert.That(e.Root, Is.EqualTo(root));
                                failed = true;
                            }
                        }
                        if (failed) detected++;
                    }
                    using (var raw = new RawDatabase(path)) raw.SetData("manifests", manifest, original);
                }
            }
            Assert.That(detected, Is.GreaterThanOrEqualTo(manifests.Count * 3 * 9 / 10));
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public void LoadingForAWorkerGivesWhatLoadGivesAndRefusesDamagedPagesBeforeHandingAnythingOut(int threads)
    {
        // Default layout (whole copies every 4th version): with more than one thread the copies and the chains are read
        // on two connections at once, with one the way a load always did; both must give Load's bytes.
        var options = new SnapshotStoreOptions { MaxDegreeOfParallelism = threads };
        var (folder, saved) = Build(options);
        using (folder)
        {
            var path = folder.File("store.db");
            using (var store = SnapshotStore.Open(path, options with { CacheLoadedSnapshots = false }))
                foreach (var (root, position, stateSha, memorySha) in saved)
                {
                    var (state, memory) = store.Load(root, loaded => (Heaps.Sha256(loaded.State), Heaps.Sha256(loaded.Memory)));
                    Assert.That((state, memory), Is.EqualTo((stateSha, memorySha)), $"snapshot {position}");
                }
            List<long> pages;
            using (var raw = new RawDatabase(path)) pages = raw.Ids("pages");
            using (var raw = new RawDatabase(path))
                foreach (var page in pages) raw.Flip("pages", page, at: (int)(page * 31 % 97));
            using (var store = SnapshotStore.Open(path, options with { CacheLoadedSnapshots = false }))
            {
                var (root, position, _, _) = saved[^1];
                var handedOut = false;
                var error = Assert.Throws<SnapshotCorruptException>(() => store.Load(root, _ => handedOut = true))!;
                Assert.Multiple(() =>
                {
                    Assert.That(handedOut, Is.False, "nothing unverified reaches the caller");
                    Assert.That(error.Root, Is.EqualTo(root));
                    Assert.That(error.Position, Is.EqualTo(position));
                    Assert.That(error.PageIndex, Is.Not.Null, error.Message);
                });
            }
        }
    }

    [Test]
    public void ADamagedWholePageCopyFallsBackToThePatchChain()
    {
        var (folder, saved) = Build(new SnapshotStoreOptions { HeadInterval = 1 });
        using (folder)
        {
            var path = folder.File("store.db");
            using (var raw = new RawDatabase(path))
            {
                Assert.That(raw.Count("heads"), Is.GreaterThan(0));
                foreach (var head in raw.Ids("heads")) raw.Flip("heads", head, 100);
            }
            using var store = SnapshotStore.Open(path, new SnapshotStoreOptions { HeadInterval = 1 });
            foreach (var (root, _, _, memorySha) in saved) Assert.That(Heaps.Sha256(store.Load(root).Memory), Is.EqualTo(memorySha));
        }
    }

    [Test]
    public void VerifyReadsThePatchChainsBehindTheWholeCopies()
    {
        var (folder, saved) = Build(new SnapshotStoreOptions { HeadInterval = 1 });
        using (folder)
        {
            var path = folder.File("store.db");
            long victim;
            using (var raw = new RawDatabase(path))
            {
                // A patch page of the latest snapshot that has a whole copy: Load reads the copy, Verify the patch.
                victim = (long)raw.Scalar("SELECT p.id FROM pages p JOIN heads h ON h.page = p.id WHERE p.codec = 2 ORDER BY p.id DESC LIMIT 1")!;
                raw.Flip("pages", victim, 0);
            }
            using var store = SnapshotStore.Open(path, new SnapshotStoreOptions { CacheLoadedSnapshots = false });
            var latest = saved[^1];
            Assert.That(Heaps.Sha256(store.Load(latest.Root).Memory), Is.EqualTo(latest.MemorySha256));
            Assert.That(saved.Count(s =>
            {
                try
                {
                    store.Verify(s.Root);
                    return false;
                }
                catch (SnapshotCorruptException e)
                {
                    return e.PageIndex is not null;
                }
            }), Is.GreaterThan(0));
        }
    }

    [Test]
    public void ASchema1StoreIsMigratedAndAStoreOfALaterSchemaIsRefused()
    {
        var (folder, saved) = Build(new SnapshotStoreOptions { HeadInterval = 1 });
        using (folder)
        {
            var path = folder.File("store.db");
            using (var raw = new RawDatabase(path))
            {
                // Schema 1's whole page copies: keyed by (vat, idx) through an index.
                raw.Execute("DROP TABLE heads; DROP TABLE head_vats");
                raw.Execute("CREATE TABLE heads(id INTEGER PRIMARY KEY, vat TEXT NOT NULL, idx INTEGER NOT NULL, page INTEGER NOT NULL, " +
                    "key INTEGER NOT NULL, depth INTEGER NOT NULL, codec INTEGER NOT NULL, data BLOB NOT NULL)");
                raw.Execute("CREATE UNIQUE INDEX heads_by_slot ON heads(vat, idx)");
                raw.Execute("UPDATE meta SET value = '1' WHERE key = 'schema'");
            }
            using (var store = SnapshotStore.Open(path))
            {
                foreach (var (root, _, _, memorySha) in saved) Assert.That(Heaps.Sha256(store.Load(root).Memory), Is.EqualTo(memorySha));
            }
            using (var raw = new RawDatabase(path))
            {
                Assert.That(raw.Scalar("SELECT value FROM meta WHERE key = 'schema'"), Is.EqualTo("2"));
                raw.Execute("UPDATE meta SET value = '3' WHERE key = 'schema'");
            }
            var refused = Assert.Throws<SnapshotFormatException>(() => SnapshotStore.Open(path).Dispose());
            Assert.That(refused!.Message, Does.Contain("schema 3"));
        }
    }

    [Test]
    public void AStoreOfAnotherPageSizeOrNotAStoreAtAllIsRefused()
    {
        using var folder = new TempFolder();
        using (folder.Open()) { }
        Assert.Throws<SnapshotFormatException>(() => folder.Open("store.db", new SnapshotStoreOptions { PageSize = 1024 }));
        File.WriteAllText(folder.File("text.db"), "this is not a database, just some text that is long enough to look like a header...........");
        Assert.Throws<SnapshotFormatException>(() => folder.Open("text.db"));
        Assert.Throws<ArgumentOutOfRangeException>(() => folder.Open("x.db", new SnapshotStoreOptions { PageSize = 3000 }));
    }
}
