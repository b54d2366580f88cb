using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vats.KernelClient;
using Vats.KernelClient.Durable;
using Vats.SnapshotStore;

namespace Vats.Cli.Commands;

/// <summary>
/// `vats store list|inspect|export|import|gc --db FILE` and `vats replay --db FILE VAT`: the snapshot store from a
/// shell. Progress of long work goes to stderr; results to stdout. Exit codes: 0, 1 bad input or a damaged store,
/// 4 a replay that diverged or a worker that failed.
/// </summary>
internal static class StoreCommands
{
    public static Command CreateStore()
    {
        var store = new Command("store", "The snapshot store: snapshots and transcripts of vats (SQLite)");
        store.Subcommands.Add(List());
        store.Subcommands.Add(Inspect());
        store.Subcommands.Add(Export());
        store.Subcommands.Add(Import());
        store.Subcommands.Add(Collect());
        return store;
    }

    public static Command CreateReplay()
    {
        var db = Db();
        var vat = new Argument<string>("VAT") { Description = "The vat's id" };
        var from = new Option<long?>("--from") { Description = "Start from the stored snapshot at this delivery (0: the vat's first) instead of the latest" };
        var every = new Option<bool>("--every-snapshot") { Description = "Compare the replayed heap with every stored snapshot passed, not only the last" };
        var command = new Command("replay",
            "Check a vat's history: restore a snapshot (the latest by default), replay the transcript since, compare every syscall " +
            "with the recorded one and the heap with the stored snapshot; the store is not changed")
        {
            db, vat, from, every,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var vatId = parse.GetValue(vat)!;
            return await WithStore(parse.GetValue(db)!, mustExist: true, async store =>
            {
                if (store.Latest(vatId) is null) return Fail($"the store has no vat {vatId}");
                ReplayVerification result = null!;
                try
                {
                    var fromPosition = parse.GetValue(from);
                    var total = (int)((store.TranscriptEnd(vatId) ?? 0) - (fromPosition ?? store.Latest(vatId)!.Position));
                    await Progress($"replaying vat {vatId}", total, async report =>
                    {
                        await using var warehouse = new VatWarehouse(store, new VatWarehouseOptions { SpareWorkers = 0 });
                        result = await warehouse.VerifyReplayAsync(vatId, fromPosition, parse.GetValue(every), (done, _) => report(done), cancellationToken);
                    });
                }
                catch (ArgumentException e)
                {
                    return Fail(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
                }
                catch (VatWorkerException e)
                {
                    // Divergences (syscalls or heap) and workers that failed.
                    Console.Error.WriteLine($"vats replay: {e.Message}");
                    return 4;
                }
                Console.WriteLine($"vat {vatId}: from the snapshot at delivery {result.FromPosition}, {result.Replayed} deliveries replayed to delivery " +
                    $"{result.ToPosition} with every syscall as recorded; {result.SnapshotsCompared} stored snapshots reproduced exactly; {result.Elapsed.TotalMilliseconds:F0} ms");
                return 0;
            });
        });
        return command;
    }

    private static Command List()
    {
        var db = Db();
        var vat = new Option<string?>("--vat") { Description = "Only this vat, one line per snapshot" };
        var command = new Command("list", "The vats in the store (or one vat's snapshots)") { db, vat };
        command.SetAction(parse => WithStore(parse.GetValue(db)!, mustExist: true, store =>
        {
            if (parse.GetValue(vat) is { } vatId)
            {
                var snapshots = store.List(vatId);
                if (snapshots.Count == 0) return Task.FromResult(Fail($"the store has no vat {vatId}"));
                foreach (var s in snapshots) Console.WriteLine($"{vatId} delivery {s.Position,6}  {s.Root}  memory {s.MemorySize:N0} bytes");
                return Task.FromResult(0);
            }
            Console.WriteLine($"{store.Path}: {store.FileBytes:N0} bytes, {store.Vats().Count} vats");
            foreach (var id in store.Vats())
            {
                var latest = store.Latest(id);
                Console.WriteLine($"  {id}: {store.List(id).Count} snapshots, latest at delivery {latest?.Position.ToString(CultureInfo.InvariantCulture) ?? "-"}, " +
                    $"transcript to {store.TranscriptEnd(id)?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
            }
            return Task.FromResult(0);
        }).GetAwaiter().GetResult());
        return command;
    }

    private static Command Inspect()
    {
        var db = Db();
        var what = new Argument<string>("VAT|ROOT") { Description = "A vat's id (its latest snapshot) or a snapshot's root hash" };
        var command = new Command("inspect", "What a snapshot holds: sizes, pages shared with other snapshots and vats, patches") { db, what };
        command.SetAction(parse => WithStore(parse.GetValue(db)!, mustExist: true, store =>
        {
            var key = parse.GetValue(what)!;
            SnapshotRoot root;
            if (store.Latest(key) is { } latest) root = latest.Root;
            else if (key.Length == 64 && key.All(Uri.IsHexDigit)) root = SnapshotRoot.Parse(key);
            else return Task.FromResult(Fail($"{key} is neither a vat of the store nor a snapshot root"));
            var i = store.Inspect(root);
            Console.WriteLine($"snapshot {i.Info.Root}: vat {i.Info.VatId}, delivery {i.Info.Position}");
            Console.WriteLine($"  engine {i.Identity.EngineSha256}, {i.Identity.RuntimeVersion}");
            Console.WriteLine($"  boot bundles {string.Join(", ", i.Identity.BootBundleHashes)}");
            Console.WriteLine($"  state {i.StateBytes:N0} bytes; memory {i.Info.MemorySize:N0} bytes = {i.Pages} pages, {i.NonZeroPages} not zero, {i.DistinctPages} distinct");
            Console.WriteLine($"  shared: {i.SharedWithOtherSnapshots} pages with other snapshots of the vat, {i.SharedWithOtherVats} with other vats");
            Console.WriteLine($"  stored: {i.StandalonePages} whole pages, {i.DeltaPages} patches (depth max {i.MaxDeltaDepth}, mean {i.MeanDeltaDepth:F1}); " +
                $"{i.PageDataBytes:N0} bytes of pages, manifest {i.ManifestBytes:N0} bytes at depth {i.ManifestDepth}");
            store.Verify(root);
            Console.WriteLine("  verified: every page, the state and the root");
            return Task.FromResult(0);
        }).GetAwaiter().GetResult());
        return command;
    }

    private static Command Export()
    {
        var db = Db();
        var output = new Option<FileInfo>("--output", "-o") { Description = "The export file", Required = true };
        var vat = new Option<string?>("--vat") { Description = "Only this vat (default: everything)" };
        var command = new Command("export", "Write the store's snapshots and transcripts (or one vat's) to a self-checking file") { db, output, vat };
        command.SetAction(async parse => await WithStore(parse.GetValue(db)!, mustExist: true, async store =>
        {
            var file = parse.GetValue(output)!;
            var temporary = file.FullName + ".tmp";
            TransferReport report = null!;
            await using (var stream = new CountingStream(File.Create(temporary)))
            {
                await Status("exporting", () => $"{stream.Count:N0} bytes written", () => report = store.Export(stream, parse.GetValue(vat)));
            }
            File.Move(temporary, file.FullName, overwrite: true);
            Console.WriteLine($"exported {report.Snapshots} snapshots and {report.TranscriptEntries} transcript entries to {file.Name} ({report.Bytes:N0} bytes)");
            return 0;
        }));
        return command;
    }

    private static Command Import()
    {
        var db = Db();
        var input = new Argument<FileInfo>("FILE") { Description = "An export file" };
        var command = new Command("import", "Read an export into the store (created if missing)") { db, input };
        command.SetAction(async parse =>
        {
            var target = parse.GetValue(db)!;
            if (!parse.GetValue(input)!.Exists) return Fail($"{parse.GetValue(input)!.Name} does not exist");
            var created = !target.Exists;
            var exit = await ImportInto(target, parse.GetValue(input)!);
            if (exit != 0 && created)
            {
                // Nothing was imported: leave no empty store behind.
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(target.FullName + suffix);
            }
            return exit;
        });
        return command;
    }

    private static Task<int> ImportInto(FileInfo db, FileInfo file) =>
        WithStore(db, mustExist: false, async store =>
        {
            TransferReport report = null!;
            await using (var stream = new CountingStream(file.OpenRead()))
            {
                var total = file.Length;
                await Progress($"importing {file.Name}", (int)Math.Min(int.MaxValue, total / 1024), async tick =>
                {
                    using var timer = new Timer(_ => tick((int)(stream.Count / 1024)), null, 0, 100);
                    report = await Task.Run(() => store.Import(stream));
                });
            }
            Console.WriteLine($"imported {report.Snapshots} snapshots and {report.TranscriptEntries} transcript entries ({report.Bytes:N0} bytes)");
            return 0;
        });

    private static Command Collect()
    {
        var db = Db();
        var keep = new Option<int>("--keep") { Description = "Snapshots to keep per vat, the latest ones (default 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("gc", "Delete all but the latest snapshots of each vat, then free what no kept snapshot needs") { db, keep };
        command.SetAction(async parse => await WithStore(parse.GetValue(db)!, mustExist: true, async store =>
        {
            var k = parse.GetValue(keep);
            if (k < 1) return Fail("--keep must be at least 1");
            var deleted = store.Vats().Sum(v => store.DeleteAllButLatest(v, k));
            GarbageReport report = null!;
            await Status("collecting garbage", () => "", () => report = store.CollectGarbage());
            Console.WriteLine($"deleted {deleted} snapshots; freed {report.PagesDeleted} pages ({report.PageBytesFreed:N0} bytes) and {report.ManifestsDeleted} manifests; " +
                $"kept {report.PagesKept} pages ({report.BasePagesKept} as bases of patches); file {report.FileBytesBefore:N0} → {report.FileBytesAfter:N0} bytes");
            return 0;
        }));
        return command;
    }

    private static Option<FileInfo> Db() => new("--db") { Description = "The store (a SQLite file)", Required = true };

    private static async Task<int> WithStore(FileInfo db, bool mustExist, Func<SnapshotStore.SnapshotStore, Task<int>> action)
    {
        if (mustExist && !db.Exists) return Fail($"{db.Name} does not exist");
        try
        {
            using var store = SnapshotStore.SnapshotStore.Open(db.FullName);
            return await action(store);
        }
        catch (SnapshotStoreException e)
        {
            return Fail($"{db.Name}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return Fail($"{db.Name}: {e.Message}");
        }
    }

    /// <summary>A progress bar on stderr (a plain line where stderr is not a terminal).</summary>
    private static async Task Progress(string what, int total, Func<Action<int>, Task> work)
    {
        var console = Stderr();
        if (!console.Profile.Capabilities.Interactive)
        {
            Console.Error.WriteLine($"{what}…");
            await work(_ => { });
            return;
        }
        await console.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask(what, maxValue: Math.Max(total, 1));
            await work(done => task.Value = done);
            task.Value = task.MaxValue;
        });
    }

    /// <summary>A spinner on stderr with a changing detail (a plain line where stderr is not a terminal).</summary>
    private static async Task Status(string what, Func<string> detail, Action work)
    {
        var console = Stderr();
        if (!console.Profile.Capabilities.Interactive)
        {
            Console.Error.WriteLine($"{what}…");
            await Task.Run(work);
            return;
        }
        await console.Status().StartAsync(what, async context =>
        {
            var running = Task.Run(work);
            while (await Task.WhenAny(running, Task.Delay(100)) != running) context.Status($"{what}: {detail()}");
            await running;
        });
    }

    private static IAnsiConsole Stderr() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"vats store: {message}");
        return 1;
    }

    /// <summary>Counts the bytes that pass, for progress.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Interlocked.Add(ref _count, read);
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Interlocked.Add(ref _count, read);
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Interlocked.Add(ref _count, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Interlocked.Add(ref _count, buffer.Length);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
