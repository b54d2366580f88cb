using Vats.SnapshotStore;

// Saves snapshots of a synthetic vat into the store given, printing "saved N ROOT" after each commit; with
// "hang-before-commit K" the save after the K-th waits inside its transaction (printing "saving") until killed,
// with "loop" it saves until killed. The crash tests kill it and check what the store kept.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: CrashHelper DB (hang-before-commit K | loop)");
    return 1;
}
var hangAfter = args[1] == "hang-before-commit" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue;
using var store = SnapshotStore.Open(args[0]);
var identity = new SnapshotIdentity("engine", "runtime", ["boot"]);
var memory = new byte[1 << 20];
var random = new Random(7);
random.NextBytes(memory.AsSpan(0, 256 << 10));
var saved = store.SaveFull("v1", 0, identity, [1, 2, 3], memory);
Console.WriteLine($"saved 0 {saved.Root}");
for (var n = 1; ; n++)
{
    var changes = new List<PageChange>();
    foreach (var index in Enumerable.Range(0, 64).Select(_ => random.Next(memory.Length / 4096)).Distinct().Order())
    {
        random.NextBytes(memory.AsSpan(index * 4096 + random.Next(4000), 16));
        changes.Add(new PageChange(index, memory.AsMemory(index * 4096, 4096).ToArray()));
    }
    if (n > hangAfter)
    {
        store.BeforeCommit = () =>
        {
            Console.WriteLine("saving");
            Thread.Sleep(Timeout.Infinite);
        };
    }
    saved = store.SaveDelta("v1", n, identity, saved.Root, [1, 2, (byte)n], memory.Length, changes);
    Console.WriteLine($"saved {n} {saved.Root}");
}
