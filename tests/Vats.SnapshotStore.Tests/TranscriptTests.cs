using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class TranscriptTests
{
    private static TranscriptEntry Entry(long position, int syscalls = 2) => new(position,
        $"[\"message\",\"o+0\",{{\"methargs\":{{\"body\":\"#[\\\"increment\\\",[]]\",\"slots\":[]}},\"result\":\"p-{60 + position}\"}}]",
        [.. Enumerable.Range(0, syscalls).Select(n => new TranscriptSyscall($"[\"vatstoreGet\",\"key{n}\\u2028\"]", $"[\"ok\",\"{position}\"]"))],
        $"[\"ok\",null,{{\"compute\":{1000 + position}}}]");

    [Test]
    public void EntriesComeBackInOrderWithTheirTextsExactly()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        var entries = Enumerable.Range(1, 5).Select(p => Entry(p, p % 3)).ToList();
        entries.Add(new TranscriptEntry(6, "{\"a\":\"\ud83d\ude00 \udc00 <>+&\"}", [new TranscriptSyscall(" spaces ", "\u0000")], "\"x\""));
        foreach (var entry in entries) store.AppendTranscript("v1", entry);
        store.AppendTranscript("v2", Entry(1));
        Assert.That(store.ReadTranscript("v1"), Is.EqualTo(entries));
        Assert.That(store.ReadTranscript("v1", afterPosition: 3), Is.EqualTo(entries.Skip(3)));
        Assert.That(store.ReadTranscript("v2"), Has.Count.EqualTo(1));
        Assert.That(store.TranscriptEnd("v1"), Is.EqualTo(6));
        Assert.That(store.TranscriptEnd("v3"), Is.Null);
        Assert.That(store.Vats(), Is.EqualTo(new[] { "v1", "v2" }));
    }

    [Test]
    public void AnEntryNotAfterTheLastIsRefused()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        store.AppendTranscript("v1", Entry(5));
        var e = Assert.Throws<TranscriptException>(() => store.AppendTranscript("v1", Entry(5)))!;
        Assert.That(e.Position, Is.EqualTo(5));
        Assert.Throws<TranscriptException>(() => store.AppendTranscript("v1", Entry(4)));
        store.AppendTranscript("v1", Entry(7));
        Assert.That(store.ReadTranscript("v1").Select(t => t.Position), Is.EqualTo(new long[] { 5, 7 }));
    }

    [Test]
    public void TheReplayPlanIsTheLatestSnapshotAndTheEntriesAfterIt()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        var memory = new byte[64 << 10];
        Assert.That(store.ReplayPlan("v1").Snapshot, Is.Null);
        for (var p = 1; p <= 10; p++) store.AppendTranscript("v1", Entry(p));
        var snapshot = store.SaveFull("v1", 6, Heaps.Identity, [1], memory);
        var plan = store.ReplayPlan("v1");
        Assert.That(plan.Snapshot!.Root, Is.EqualTo(snapshot.Root));
        Assert.That(plan.Entries.Select(e => e.Position), Is.EqualTo(new long[] { 7, 8, 9, 10 }));
        Assert.That(store.ReadTranscript("v1"), Has.Count.EqualTo(10), "kept: the default policy keeps every entry");
        Assert.That(store.PruneTranscript("v1", 6), Is.EqualTo(6));
        Assert.That(store.ReadTranscript("v1").First().Position, Is.EqualTo(7));
        Assert.That(store.TranscriptEnd("v1"), Is.EqualTo(10));
    }

    [Test]
    public void ThePrunePolicyDropsWhatEachNewSnapshotCovers()
    {
        using var folder = new TempFolder();
        using var store = folder.Open("store.db", new SnapshotStoreOptions { TranscriptRetention = TranscriptRetention.PruneCoveredBySnapshot });
        var memory = new byte[64 << 10];
        for (var p = 1; p <= 4; p++) store.AppendTranscript("v1", Entry(p));
        store.AppendTranscript("v2", Entry(1));
        var first = store.SaveFull("v1", 3, Heaps.Identity, [1], memory);
        Assert.That(store.ReadTranscript("v1").Select(e => e.Position), Is.EqualTo(new long[] { 4 }));
        Assert.That(store.ReadTranscript("v2"), Has.Count.EqualTo(1), "another vat's transcript is untouched");
        store.AppendTranscript("v1", Entry(5));
        store.SaveDelta("v1", 5, Heaps.Identity, first.Root, [2], memory.Length, []);
        Assert.That(store.ReadTranscript("v1"), Is.Empty);
        Assert.Throws<TranscriptException>(() => store.AppendTranscript("v1", Entry(5)), "pruned positions still count");
    }
}
