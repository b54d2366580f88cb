using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class CorruptionTests
{
    /// <summary>A vat with a few delta checkpoints, its snapshots' expected memory hashes, in a closed store.</summary>
    private static (TempFolder Folder, List<(SnapshotRoot Root, long Position, string StateSha256, string MemorySha256)> Saved) Build(SnapshotStoreOptions options,
        int seed = 0)
    {
        var folder = new TempFolder();
        using var store = folder.Open("store.db", options);
        using var engine = Heaps.Small();
        var checkpointer = new Checkpointer(store, "v1", engine);
        checkpointer.Checkpoint();
        for (var i = 0; i < 4; i++)
        {
            Heaps.Mutate(engine, i + seed);
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
            var copies = CopyFiles.Entries(path);
            Assert.That(copies, Is.Not.Empty);
            foreach (var (file, index, _) in copies) CopyFiles.Flip(file, index, 100);
            using var store = SnapshotStore.Open(path, new SnapshotStoreOptions { HeadInterval = 1 });
            foreach (var (root, _, _, memorySha) in saved) Assert.That(Heaps.Sha256(store.Load(root).Memory), Is.EqualTo(memorySha));
        }
    }

    [Test]
    public void ACopyThatNamesTheWrongPageFallsBackToThePatchChain()
    {
        var (folder, saved) = Build(new SnapshotStoreOptions { HeadInterval = 1 });
        using (folder)
        {
            var path = folder.File("store.db");
            var copies = CopyFiles.Entries(path);
            Assert.That(copies, Has.Count.GreaterThan(1));
            // Each entry names the next one's page: consistent copies (data and key agree) of the wrong pages.
            var bytes = File.ReadAllBytes(copies[0].IndexFile);
            var first = bytes.AsSpan(copies[0].Index * CopyFiles.EntrySize, CopyFiles.EntrySize).ToArray();
            for (var n = 0; n < copies.Count - 1; n++)
                bytes.AsSpan(copies[n + 1].Index * CopyFiles.EntrySize, 8).CopyTo(bytes.AsSpan(copies[n].Index * CopyFiles.EntrySize));
            first.AsSpan(0, 8).CopyTo(bytes.AsSpan(copies[^1].Index * CopyFiles.EntrySize));
            File.WriteAllBytes(copies[0].IndexFile, bytes);
            using var store = SnapshotStore.Open(path);
            foreach (var (root, _, _, memorySha) in saved) Assert.That(Heaps.Sha256(store.Load(root).Memory), Is.EqualTo(memorySha));
        }
    }

    [Test]
    public void CopiesLeftByAnotherDatabaseAreReplacedNotMixedIn()
    {
        var (a, _) = Build(new SnapshotStoreOptions { HeadInterval = 1 });
        var (b, saved) = Build(new SnapshotStoreOptions { HeadInterval = 1 }, seed: 10);
        using (a)
        using (b)
        {
            var path = b.File("store.db");
            Assert.That(File.ReadAllText(Path.Combine(CopyFiles.Folder(path), "store")),
                Is.Not.EqualTo(File.ReadAllText(Path.Combine(CopyFiles.Folder(a.File("store.db")), "store"))), "each database marks its own copies");
            // Another database's copies (the same page ids and vat number, other contents) where this one's were.
            Directory.Delete(CopyFiles.Folder(path), recursive: true);
            CopyDirectory(CopyFiles.Folder(a.File("store.db")), CopyFiles.Folder(path));
            Assert.That(CopyFiles.Entries(path), Has.Count.GreaterThan(1));
            using var store = SnapshotStore.Open(path, new SnapshotStoreOptions { HeadInterval = 1, CacheLoadedSnapshots = false });
            var latest = saved[^1];
            var loaded = store.Load(latest.Root);
            Assert.That(Heaps.Sha256(loaded.Memory), Is.EqualTo(latest.MemorySha256));
            // One page changed by a byte: its patch is copied, into a folder emptied of the other database's copies.
            var index = Enumerable.Range(0, loaded.Memory.Length / 4096).First(i => loaded.Memory.AsSpan(i * 4096, 4096).ContainsAnyExcept((byte)0));
            var page = loaded.Memory.AsSpan(index * 4096, 4096).ToArray();
            page[17] ^= 1;
            store.SaveDelta("v1", latest.Position + 1, Heaps.Identity, latest.Root, loaded.State, loaded.Memory.Length, [new PageChange(index, page)]);
            // (CopyBytes writes the copies first if they are still pending.)
            Assert.That(store.CopyBytes, Is.EqualTo(4096 + (index + 1) * CopyFiles.EntrySize), "one page and the index up to its entry");
            Assert.That(CopyFiles.Entries(path).Select(e => e.Index), Is.EqualTo(new[] { index }));
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    [Test]
    public void VerifyReadsThePatchChainsBehindTheWholeCopies()
    {
        var (folder, saved) = Build(new SnapshotStoreOptions { HeadInterval = 1 });
        using (folder)
        {
            var path = folder.File("store.db");
            var copied = CopyFiles.Entries(path).Select(e => e.PageId).ToHashSet();
            long victim;
            using (var raw = new RawDatabase(path))
            {
                // A patch page of the latest snapshot that has a whole copy: Load reads the copy, Verify the patch.
                victim = raw.Ids("pages").Where(copied.Contains).Where(id => (long)raw.Scalar($"SELECT codec FROM pages WHERE id = {id}")! == 2).Max();
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

    [TestCase("1")]
    [TestCase("2")]
    public void AStoreOfAnEarlierSchemaIsMigratedAndOneOfALaterSchemaIsRefused(string schema)
    {
        var (folder, saved) = Build(new SnapshotStoreOptions { HeadInterval = 1 });
        using (folder)
        {
            var path = folder.File("store.db");
            Directory.Delete(CopyFiles.Folder(path), recursive: true);
            using (var raw = new RawDatabase(path))
            {
                // The whole page copies of schema 1 (keyed by vat and index through an index) and 2 (in the database).
                raw.Execute(schema == "1"
                    ? "DROP TABLE head_vats; CREATE TABLE heads(id INTEGER PRIMARY KEY, vat TEXT NOT NULL, idx INTEGER NOT NULL, page INTEGER NOT NULL, " +
                      "key INTEGER NOT NULL, depth INTEGER NOT NULL, codec INTEGER NOT NULL, data BLOB NOT NULL); CREATE UNIQUE INDEX heads_by_slot ON heads(vat, idx)"
                    : "CREATE TABLE heads(id INTEGER PRIMARY KEY, page INTEGER NOT NULL, key INTEGER NOT NULL, depth INTEGER NOT NULL, codec INTEGER NOT NULL, " +
                      "data BLOB NOT NULL)");
                raw.Execute($"UPDATE meta SET value = '{schema}' WHERE key = 'schema'");
            }
            using (var store = SnapshotStore.Open(path))
            {
                foreach (var (root, _, _, memorySha) in saved) Assert.That(Heaps.Sha256(store.Load(root).Memory), Is.EqualTo(memorySha));
            }
            using (var raw = new RawDatabase(path))
            {
                Assert.That(raw.Scalar("SELECT value FROM meta WHERE key = 'schema'"), Is.EqualTo("3"));
                Assert.That(raw.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'heads'"), Is.EqualTo(0L));
                raw.Execute("UPDATE meta SET value = '4' WHERE key = 'schema'");
            }
            var refused = Assert.Throws<SnapshotFormatException>(() => SnapshotStore.Open(path).Dispose());
            Assert.That(refused!.Message, Does.Contain("schema 4"));
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
