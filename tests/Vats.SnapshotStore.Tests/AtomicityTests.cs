using System.Diagnostics;
using Vats.SnapshotStore.Tests.Support;

namespace Vats.SnapshotStore.Tests;

public sealed class AtomicityTests
{
    [Test]
    public void ASaveThatFailsBeforeCommitLeavesNothingBehind()
    {
        using var folder = new TempFolder();
        using var engine = Heaps.Small();
        using var store = folder.Open();
        var checkpointer = new Checkpointer(store, "v1", engine);
        var first = checkpointer.Checkpoint();
        long pagesBefore;
        using (var raw = new RawDatabase(folder.File("store.db"))) pagesBefore = raw.Count("pages");

        Heaps.Mutate(engine, 1);
        store.BeforeCommit = () => throw new IOException("the disk went away");
        Assert.Throws<IOException>(() => checkpointer.Checkpoint());
        store.BeforeCommit = null;

        Assert.That(store.List().Select(s => s.Root), Is.EqualTo(new[] { first.Root }));
        using (var raw = new RawDatabase(folder.File("store.db")))
        {
            Assert.That(raw.Count("pages"), Is.EqualTo(pagesBefore), "no page of the failed save is stored");
            Assert.That(raw.Count("manifests"), Is.EqualTo(1));
            // Whole copies are written after the commit only: the failed save's page ids are given again by the next.
            var stored = raw.Ids("pages").ToHashSet();
            Assert.That(CopyFiles.Entries(folder.File("store.db")).Where(e => !stored.Contains(e.PageId)), Is.Empty);
        }
        Assert.That(Heaps.Sha256(store.Load(first.Root).Memory), Is.EqualTo(checkpointer.Saved[0].MemorySha256));
        // The store goes on: the next save against the first snapshot works (its memory is read back from the database).
        var memory = engine.Memory.ToArray();
        var next = store.SaveFull("v1", 1, Heaps.Identity, engine.SnapshotWithoutMemory(), memory);
        Assert.That(store.Load(next.Root).Memory, Is.EqualTo(memory));
    }

    [Test]
    public void ADivergingSnapshotAtAStoredPositionIsRefused()
    {
        using var folder = new TempFolder();
        using var store = folder.Open();
        var memory = new byte[64 << 10];
        var first = store.SaveFull("v1", 3, Heaps.Identity, [1], memory);
        memory[0] = 1;
        var e = Assert.Throws<SnapshotConflictException>(() => store.SaveFull("v1", 3, Heaps.Identity, [1], memory))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Existing, Is.EqualTo(first.Root));
            Assert.That(e.Position, Is.EqualTo(3));
            Assert.That(store.List(), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void AProcessKilledInsideASaveLeavesThePreviousSnapshotsIntact()
    {
        using var folder = new TempFolder();
        var path = folder.File("store.db");
        var (lines, _) = RunHelper(path, ["hang-before-commit", "5"], until: "saving");
        var committed = lines.Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).Select(l => SnapshotRoot.Parse(l.Split(' ')[2])).ToList();
        Assert.That(committed, Has.Count.EqualTo(6));
        AssertIntact(path, committed);
    }

    [Test]
    public void AProcessKilledAtARandomMomentLeavesOnlyWholeSnapshots()
    {
        using var folder = new TempFolder();
        var path = folder.File("store.db");
        var (lines, _) = RunHelper(path, ["loop"], until: "saved 12 ");
        var committed = lines.Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).Select(l => SnapshotRoot.Parse(l.Split(' ')[2])).ToList();
        AssertIntact(path, committed, exact: false);
    }

    /// <summary>
    /// The store holds the committed saves (exactly those when <paramref name="exact"/>; the killed helper may have
    /// committed a few more after the last line read), each whole and verified, and no stray rows.
    /// </summary>
    private static void AssertIntact(string path, List<SnapshotRoot> committed, bool exact = true)
    {
        using (var raw = new RawDatabase(path)) Assert.That(raw.Scalar("PRAGMA integrity_check"), Is.EqualTo("ok"));
        using var store = SnapshotStore.Open(path);
        var snapshots = store.List("v1");
        var listed = snapshots.Select(s => s.Root).ToList();
        Assert.That(listed.Take(committed.Count), Is.EqualTo(committed), "every committed save is there");
        if (exact) Assert.That(listed, Has.Count.EqualTo(committed.Count), "the save in progress is not visible");
        Assert.That(snapshots.Select(s => s.Position), Is.EqualTo(Enumerable.Range(0, snapshots.Count).Select(p => (long)p)), "no gap, no half save");
        foreach (var root in listed) store.Verify(root);
        var garbage = store.CollectGarbage();
        Assert.That(garbage.PagesDeleted + garbage.ManifestsDeleted, Is.Zero, "a killed save left no stray rows");
    }

    /// <summary>Runs the crash helper until it prints a line starting with <paramref name="until"/>, then kills it.</summary>
    private static (List<string> Lines, int ExitCode) RunHelper(string path, string[] arguments, string until)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Vats.SnapshotStore.CrashHelper.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(helper);
        start.ArgumentList.Add(path);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var deadline = Stopwatch.StartNew();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(until, StringComparison.Ordinal)) break;
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) break;
        }
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        Assert.That(lines, Has.Some.StartsWith(until), "the helper got there: " + process.StandardError.ReadToEnd());
        return (lines, process.ExitCode);
    }
}
