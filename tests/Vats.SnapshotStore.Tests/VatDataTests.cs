using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

/// <summary>Vat data (a kernel's state beside the vat) and roots computed without storing.</summary>
public sealed class VatDataTests
{
    [Test]
    public void VatDataIsKeptReplacedDeletedAndTravelsThroughExport()
    {
        using var folder = new TempFolder();
        using var stream = new MemoryStream();
        using (var store = folder.Open("a.db"))
        {
            Assert.That(store.GetVatData("v1", "kernel"), Is.Null);
            store.SetVatData("v1", "kernel", "first"u8);
            store.SetVatData("v1", "kernel", "second"u8);
            store.SetVatData("v1", "other", [0, 1, 2]);
            store.SetVatData("v2", "kernel", "v2's"u8);
            Assert.That(store.GetVatData("v1", "kernel"), Is.EqualTo("second"u8.ToArray()));
            Assert.That(store.DeleteVatData("v1", "other"), Is.True);
            Assert.That(store.DeleteVatData("v1", "other"), Is.False);
            Assert.That(store.GetVatData("v1", "other"), Is.Null);
            using var engine = Heaps.Small("x");
            new Checkpointer(store, "v1", engine).Checkpoint();
            store.Export(stream, "v1");
        }
        using (var reopened = SnapshotStore.Open(folder.File("a.db")))
            Assert.That(reopened.GetVatData("v2", "kernel"), Is.EqualTo("v2's"u8.ToArray()), "kept across opens");
        using var copy = folder.Open("b.db");
        stream.Position = 0;
        copy.Import(stream);
        Assert.That(copy.GetVatData("v1", "kernel"), Is.EqualTo("second"u8.ToArray()));
        Assert.That(copy.GetVatData("v2", "kernel"), Is.Null, "a one-vat export carries only that vat's data");
    }

    [Test]
    public void RootOfIsTheRootASaveWouldGive()
    {
        using var folder = new TempFolder();
        using var store = folder.Open("a.db");
        using var engine = Heaps.Small("y");
        var checkpointer = new Checkpointer(store, "v1", engine);
        checkpointer.Checkpoint();
        Heaps.Mutate(engine, 1);
        var saved = checkpointer.Checkpoint();
        var loaded = store.Load(saved.Root);
        Assert.That(store.RootOf("v1", loaded.Position, loaded.Identity, loaded.State, loaded.Memory), Is.EqualTo(saved.Root));
        var changed = (byte[])loaded.Memory.Clone();
        changed[changed.Length / 2] ^= 1;
        Assert.That(store.RootOf("v1", loaded.Position, loaded.Identity, loaded.State, changed), Is.Not.EqualTo(saved.Root));
        Assert.That(store.RootOf("v1", loaded.Position + 1, loaded.Identity, loaded.State, loaded.Memory), Is.Not.EqualTo(saved.Root));
    }
}
