using System.Diagnostics;
using System.Globalization;

namespace Vats.SnapshotStore.Bench;

/// <summary>
/// The snapshot store alone, on a recording of a real worker's checkpoints (the counter vat, a checkpoint after every
/// delivery): the store's part of a save, bytes per checkpoint, file growth, and loads of the latest snapshot from a
/// freshly opened store. `record` makes the recording.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: Vats.SnapshotStore.Bench record FILE [--deliveries N]     record the counter vat's checkpoints (default 1050)
               Vats.SnapshotStore.Bench [replay] FILE [options]          replay a recording into a new store and time it
        replay options: --checkpoints N (default: all)  --warm N (deltas before measuring, default 50)  --reps N (loads, default 15)
                        --level N (CompressionLevel)  --head-interval N  --max-chain N  --threads N (MaxDegreeOfParallelism)
                        --keep DB (keep the store there)
                        --whole-pages (give the saves whole pages instead of patches, as a worker sends them)
        FILE defaults to $VATS_CHECKPOINT_RECORDING.
        """;

    private static async Task<int> Main(string[] args)
    {
#if DEBUG
        Console.WriteLine("WARNING: Debug build; use `dotnet run -c Release` for meaningful timings.");
#endif
        var list = args.ToList();
        string? Option(string name)
        {
            var at = list.IndexOf(name);
            if (at < 0) return null;
            if (at + 1 >= list.Count) throw new ArgumentException($"{name} needs a value");
            var value = list[at + 1];
            list.RemoveRange(at, 2);
            return value;
        }
        int? Number(string name) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        try
        {
            if (list.Count > 0 && list[0] is "help" or "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return 0;
            }
            var command = list.Count > 0 && list[0] is "record" or "replay" ? list[0] : "replay";
            if (list.Count > 0 && list[0] == command) list.RemoveAt(0);
            if (command == "record")
            {
                var deliveries = Number("--deliveries") ?? 1050;
                if (list.Count != 1) throw new ArgumentException("record needs one output file");
                await Recorder.RunAsync(list[0], deliveries, FindRoot());
                return 0;
            }
            var options = new SnapshotStoreOptions();
            if (Number("--level") is { } level) options = options with { CompressionLevel = level };
            if (Number("--head-interval") is { } interval) options = options with { HeadInterval = interval };
            if (Number("--max-chain") is { } chain) options = options with { MaxDeltaChain = chain };
            if (Number("--threads") is { } threads) options = options with { MaxDegreeOfParallelism = threads };
            var wholePages = list.Remove("--whole-pages");
            var settings = new ReplaySettings(Number("--checkpoints") ?? int.MaxValue, Number("--warm") ?? 50, Number("--reps") ?? 15, Option("--keep"), wholePages);
            var file = list.Count > 0 ? list[0] : Environment.GetEnvironmentVariable("VATS_CHECKPOINT_RECORDING");
            if (string.IsNullOrEmpty(file) || !File.Exists(file)) throw new ArgumentException("name a recording (or set VATS_CHECKPOINT_RECORDING); `record FILE` makes one");
            Replay.Run(file, options, settings);
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{e.Message}\n{Usage}");
            return 2;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vats.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Vats.sln above {AppContext.BaseDirectory}");
    }
}

internal sealed record ReplaySettings(int Checkpoints, int Warm, int Reps, string? Keep, bool WholePages);

/// <summary>Replays a recording into a new store, then loads its latest snapshot from freshly opened stores.</summary>
internal static class Replay
{
    public static void Run(string recording, SnapshotStoreOptions options, ReplaySettings settings)
    {
        var checkpoints = RecordedCheckpoint.ReadAll(recording, settings.Checkpoints == int.MaxValue ? int.MaxValue : settings.Checkpoints + 1);
        var folder = Directory.CreateTempSubdirectory("vats-store-bench-");
        var db = settings.Keep ?? Path.Combine(folder.FullName, "store.db");
        try
        {
            var identity = new SnapshotIdentity("engine", "runtime", ["lockdown", "supervisor"]);
            var saves = new List<double>();
            var saveCpu = new List<double>();
            long pages = 0, written = 0, growth;
            SnapshotRoot latest, middle = default;
            var measured = 0;
            using (var store = SnapshotStore.Open(db, options))
            {
                var first = checkpoints[0];
                var memory = first.Memory();
                var root = store.SaveFull("v1", 0, identity, first.State, memory).Root;
                var warm = Math.Min(settings.Warm, checkpoints.Count - 1);
                long before = 0;
                for (var i = 1; i < checkpoints.Count; i++)
                {
                    if (i == warm + 1)
                    {
                        store.Flush();
                        before = store.FileBytes;
                    }
                    var checkpoint = checkpoints[i];
                    var changes = settings.WholePages ? checkpoint.Changes() : checkpoint.PatchesAgainst(ref memory);
                    var cpu = Cpu();
                    var started = Stopwatch.GetTimestamp();
                    var saved = store.SaveDelta("v1", i, identity, root, checkpoint.State, checkpoint.MemoryBytes, changes);
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    cpu = Cpu() - cpu;
                    root = saved.Root;
                    if (i == (checkpoints.Count + warm) / 2) middle = root;
                    if (i <= warm) continue;
                    measured++;
                    saves.Add(ms);
                    saveCpu.Add(cpu);
                    pages += saved.PagesChanged;
                    written += saved.BytesWritten;
                }
                store.Flush();
                growth = store.FileBytes - before;
                latest = root;
                Console.WriteLine($"{measured} delta saves after {warm} unmeasured (options: level {options.CompressionLevel}, head interval {options.HeadInterval}, " +
                    $"max chain {options.MaxDeltaChain}); database {store.FileBytes:N0} bytes");
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            checkpoints = [];
            GC.Collect();
            Line("save (SaveDelta), median", Median(saves), "ms", $"10th percentile {Percentile(saves, 0.1):F2} ms, 90th {Percentile(saves, 0.9):F2} ms, mean {saves.Average():F2} ms; " +
                $"CPU (all threads) median {Median(saveCpu):F2} ms, mean {saveCpu.Average():F2} ms");
            Line("pages changed per checkpoint", pages / (double)measured, "", "");
            Line("bytes written per checkpoint (pages, manifest, state)", written / (double)measured, "B", "");
            Line($"file growth per checkpoint", growth / (double)measured, "B", $"{growth:N0} B for {measured}");

            // As a kernel restarts a vat: a store opened anew (in a warm process), its latest snapshot loaded.
            var loads = new List<double>();
            var opens = new List<double>();
            var loadCpu = new List<double>();
            var fresh = double.NaN;
            for (var i = 0; i < settings.Reps + 1; i++)
            {
                var cpu = Cpu();
                var started = Stopwatch.GetTimestamp();
                using var store = SnapshotStore.Open(db, options);
                var opened = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var loaded = store.LoadLatest("v1") ?? throw new InvalidOperationException("no snapshot");
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                cpu = Cpu() - cpu;
                if (loaded.Root != latest) throw new InvalidOperationException("the latest snapshot is not the last saved");
                if (i == 0) fresh = ms;
                else
                {
                    loads.Add(ms);
                    loadCpu.Add(cpu);
                    opens.Add(opened);
                }
            }
            Line("Open + LoadLatest, first in the process", fresh, "ms", "");
            Line("Open + LoadLatest, median", Median(loads), "ms", $"min {loads.Min():F1}, max {loads.Max():F1}; Open alone {Median(opens):F1} ms; CPU (all threads) median {Median(loadCpu):F1} ms");

            // As a vat warehouse brings a vat back: the memory read without a copy for the caller (Load(root, use)) and
            // its non-zero pages counted, as the warehouse does to encode them for the worker.
            var handed = new List<double>();
            for (var i = 0; i < settings.Reps + 1; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var store = SnapshotStore.Open(db, options);
                var nonZero = store.Load(latest, loaded => Vats.Protocol.WorkerCheckpoint.NonZeroPages(loaded.Memory).Count);
                if (nonZero == 0) throw new InvalidOperationException("an empty memory");
                if (i > 0) handed.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            Line("Open + Load(root, use) for a worker, median", Median(handed), "ms", $"min {handed.Min():F1}, max {handed.Max():F1}");
            var older = new List<double>();
            var verify = new List<double>();
            using (var store = SnapshotStore.Open(db, options with { CacheLoadedSnapshots = false }))
            {
                for (var i = 0; i < Math.Max(3, settings.Reps / 3); i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    store.Load(middle);
                    older.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    started = Stopwatch.GetTimestamp();
                    store.Verify(latest);
                    verify.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            Line("Load of the middle snapshot, median", Median(older), "ms", "");
            Line("Verify of the latest (chains only), median", Median(verify), "ms", "");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The process's CPU time so far (ms): a figure that a machine busy with other work disturbs far less than wall time.</summary>
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    private static void Line(string label, double value, string unit, string note) =>
        Console.WriteLine($"{label,-56} {value,12:N2} {unit,-3} {note}");

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
    }
}
