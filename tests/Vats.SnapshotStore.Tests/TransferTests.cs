using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class TransferTests
{
    private static readonly TranscriptEntry Odd = new(3, "[\"message\",\"o+0\",{\"methargs\":{\"body\":\"#[\\\"é\\\"]\"}}]",
        [new TranscriptSyscall("[\"vatstoreGet\",\"k\ud800\"]", "[\"ok\",null]")], "[\"ok\",null,{\"compute\":5}]");

    [Test]
    public void AnExportImportsIntoANewStoreAndLoadsTheSame()
    {
        using var folder = new TempFolder();
        var export = folder.File("all.vats-export");
        List<(SnapshotRoot Root, long Position, string StateSha256, string MemorySha256)> v1, v2;
        using (var store = folder.Open("a.db"))
        {
            v1 = Build(store, "v1", "x", 6);
            v2 = Build(store, "v2", "y", 3);
            store.AppendTranscript("v1", new TranscriptEntry(1, "[\"startVat\"]", [], "[\"ok\"]"));
            store.AppendTranscript("v1", Odd);
            using var stream = File.Create(export);
            var report = store.Export(stream);
            Assert.That(report.Snapshots, Is.EqualTo(9));
            Assert.That(report.TranscriptEntries, Is.EqualTo(2));
            TestContext.Progress.WriteLine($"export: {report.Bytes:N0} bytes; store {store.FileBytes:N0} bytes");
        }
        using (var store = folder.Open("b.db"))
        {
            using (var stream = File.OpenRead(export))
            {
                var report = store.Import(stream);
                Assert.That(report.Snapshots, Is.EqualTo(9));
            }
            foreach (var (root, position, stateSha, memorySha) in v1.Concat(v2))
            {
                var loaded = store.Load(root);
                Assert.That(Heaps.Sha256(loaded.Memory), Is.EqualTo(memorySha), $"memory at {position}");
                Assert.That(Heaps.Sha256(loaded.State), Is.EqualTo(stateSha), $"state at {position}");
            }
            Assert.That(store.List().Select(s => (s.VatId, s.Position, s.Root)),
                Is.EqualTo(v1.Select(s => ("v1", s.Position, s.Root)).Concat(v2.Select(s => ("v2", s.Position, s.Root)))));
            Assert.That(store.ReadTranscript("v1"), Has.Count.EqualTo(2));
            Assert.That(store.ReadTranscript("v1")[1], Is.EqualTo(Odd), "texts come back exactly, a lone surrogate too");
            // Importing the same export again changes nothing.
            using (var stream = File.OpenRead(export)) store.Import(stream);
            Assert.That(store.List(), Has.Count.EqualTo(9));
            // One vat alone.
            using var one = new MemoryStream();
            Assert.That(store.Export(one, "v2").Snapshots, Is.EqualTo(3));
        }
    }

    [Test]
    public void ADamagedOrTruncatedExportImportsNothing()
    {
        using var folder = new TempFolder();
        byte[] bytes;
        using (var store = folder.Open("a.db"))
        {
            Build(store, "v1", "x", 4);
            using var stream = new MemoryStream();
            store.Export(stream);
            bytes = stream.ToArray();
        }
        foreach (var at in new[] { 20, bytes.Length / 3, bytes.Length / 2, bytes.Length - 40 })
        {
            var damaged = (byte[])bytes.Clone();
            damaged[at] ^= 0x01;
            using var store = folder.Open($"damaged-{at}.db");
            Assert.Throws<SnapshotFormatException>(() => store.Import(new MemoryStream(damaged)), $"a flipped bit at {at}");
            Assert.That(store.List(), Is.Empty);
        }
        using (var store = folder.Open("truncated.db"))
        {
            Assert.Throws<SnapshotFormatException>(() => store.Import(new MemoryStream(bytes, 0, bytes.Length - 10)));
            Assert.Throws<SnapshotFormatException>(() => store.Import(new MemoryStream("not an export at all"u8.ToArray())));
            Assert.That(store.List(), Is.Empty);
        }
    }

    private static List<(SnapshotRoot Root, long Position, string StateSha256, string MemorySha256)> Build(SnapshotStore store, string vat, string seed, int count)
    {
        using var engine = Heaps.Small(seed);
        var checkpointer = new Checkpointer(store, vat, engine);
        checkpointer.Checkpoint();
        for (var i = 1; i < count; i++)
        {
            Heaps.Mutate(engine, i);
            checkpointer.Checkpoint();
        }
        return checkpointer.Saved;
    }
}
