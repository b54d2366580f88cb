using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class SharingTests
{
    [Test]
    public void TwoVatsBootedFromTheSameImageShareTheirPages()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        using var first = Heaps.Booted();
        using var second = Heaps.Booted();
        Heaps.MutateBooted(first, 1);
        Heaps.MutateBooted(second, 2);
        var a = store.SaveFull("v1", 1, Heaps.Identity, first.SnapshotWithoutMemory(), first.Memory);
        var b = store.SaveFull("v2", 1, Heaps.Identity, second.SnapshotWithoutMemory(), second.Memory);
        var inspected = store.Inspect(b.Root);
        TestContext.Progress.WriteLine(
            $"vat v2: {inspected.NonZeroPages} non-zero pages, {inspected.SharedWithOtherVats} shared with v1, {b.PagesFound} found by content, {b.PagesWritten} written ({b.BytesWritten:N0} bytes; v1 wrote {a.BytesWritten:N0})");
        Assert.Multiple(() =>
        {
            Assert.That(inspected.SharedWithOtherVats, Is.GreaterThan(inspected.NonZeroPages * 9 / 10), "the boot image is stored once");
            Assert.That(b.PagesWritten, Is.EqualTo(inspected.NonZeroPages - inspected.SharedWithOtherVats));
            Assert.That(b.BytesWritten, Is.LessThan(a.BytesWritten / 10));
            Assert.That(store.Inspect(a.Root).SharedWithOtherVats, Is.EqualTo(inspected.SharedWithOtherVats));
        });
        Assert.That(store.Load(b.Root).Memory, Is.EqualTo(second.Memory.ToArray()));
    }

    [Test]
    public void AVatsFirstSnapshotCanBeStoredAgainstAnotherVats()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        using var first = Heaps.Small("x");
        using var second = Heaps.Small("y");
        var a = store.SaveFull("v1", 0, Heaps.Identity, first.SnapshotWithoutMemory(), first.Memory);
        var alone = new TempFolder();
        using (alone)
        {
            using var other = alone.Open();
            other.SaveFull("v1", 0, Heaps.Identity, first.SnapshotWithoutMemory(), first.Memory);
            var plain = other.SaveFull("v2", 0, Heaps.Identity, second.SnapshotWithoutMemory(), second.Memory);
            var similar = store.SaveFull("v2", 0, Heaps.Identity, second.SnapshotWithoutMemory(), second.Memory, similarTo: a.Root);
            Assert.That(similar.Root, Is.EqualTo(plain.Root));
            Assert.That(similar.PagesAsDeltas, Is.GreaterThan(0));
            Assert.That(similar.BytesWritten, Is.LessThan(plain.BytesWritten), "patches against the similar vat's pages are smaller");
            Assert.That(store.Load(similar.Root).Memory, Is.EqualTo(second.Memory.ToArray()));
        }
    }
}
