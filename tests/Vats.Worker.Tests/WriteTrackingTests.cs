using Vats.Worker.Checkpoints;

namespace Vats.Worker.Tests;

/// <summary>
/// Where the kernel reports written pages (userfaultfd in asynchronous write-protect mode and <c>PAGEMAP_SCAN</c>),
/// the page tracker compares only those: its deltas must equal the ones comparing every page gives, whatever is
/// written — the same bytes again, zero pages, the partial pages at the array's ends, a memory that grows.
/// </summary>
[TestFixture]
public sealed class WriteTrackingTests
{
    [Test]
    public void DeltasFromWrittenPagesEqualDeltasFromComparingEverything([Values(1, 2, 3)] int seed)
    {
        const int Page = 4096;
        var random = new Random(seed);
        var memory = GC.AllocateArray<byte>(4 << 20, pinned: true);
        for (var i = 0; i < 300; i++) memory[random.Next(memory.Length / 2)] = (byte)random.Next(1, 256);
        using var kernel = new PageTracker();
        using var everything = new PageTracker(compareAll: true);
        kernel.AdvanceFull(memory);
        everything.AdvanceFull(memory);
        if (!kernel.TracksWrites) Assert.Ignore("this kernel does not report written pages to this process (userfaultfd write-protect with PAGEMAP_SCAN)");
        Assert.That(everything.TracksWrites, Is.False);
        for (var round = 0; round < 40; round++)
        {
            var writes = random.Next(0, 60);
            for (var w = 0; w < writes; w++)
            {
                var at = random.Next(6) switch
                {
                    0 => random.Next(Page),                                  // the first page
                    1 => memory.Length - 1 - random.Next(Page),              // the last page
                    _ => random.Next(memory.Length),
                };
                // A third of the writes put back the byte that is there: written, not changed.
                memory[at] = random.Next(3) == 0 ? memory[at] : (byte)random.Next(256);
            }
            var a = kernel.AdvanceDelta(memory);
            var (pages, lengths, patches) = (a.Pages.ToArray(), a.PatchLengths.ToArray(), a.Patches.ToArray());
            var b = everything.AdvanceDelta(memory);
            Assert.That(pages, Is.EqualTo(b.Pages.ToArray()), $"round {round}: the pages that changed");
            Assert.That(lengths, Is.EqualTo(b.PatchLengths.ToArray()));
            Assert.That(patches, Is.EqualTo(b.Patches.ToArray()));
            Assert.That(kernel.TracksWrites, Is.True, "the kernel kept reporting");
        }
    }

    [Test]
    public void AGrownMemoryIsComparedWholeOnceThenWatched()
    {
        var memory = GC.AllocateArray<byte>(1 << 20, pinned: true);
        memory[10] = 1;
        using var tracker = new PageTracker();
        tracker.AdvanceFull(memory);
        if (!tracker.TracksWrites) Assert.Ignore("this kernel does not report written pages to this process (userfaultfd write-protect with PAGEMAP_SCAN)");
        var grown = GC.AllocateArray<byte>(2 << 20, pinned: true);
        memory.CopyTo(grown, 0);
        grown[(1 << 20) + 5000] = 7;
        grown[20] = 3;
        Assert.That(tracker.AdvanceDelta(grown).Pages.ToArray(), Is.EqualTo(new[] { 0, ((1 << 20) + 5000) / 4096 }));
        grown[(2 << 20) - 1] = 9;
        Assert.That(tracker.AdvanceDelta(grown).Pages.ToArray(), Is.EqualTo(new[] { (2 << 20) / 4096 - 1 }));
        Assert.That(tracker.TracksWrites, Is.True);
    }
}
