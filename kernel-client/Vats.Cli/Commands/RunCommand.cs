using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Vats.Bundler;
using Vats.KernelClient;
using Vats.KernelClient.Durable;
using Vats.KernelClient.Local;
using Vats.SnapshotStore;

namespace Vats.Cli.Commands;

/// <summary>
/// `vats run`: runs a vat in a worker process under the built-in <see cref="MiniKernel"/>: bundles the entry if
/// needed, boots the worker, starts the vat, sends messages to its root object, prints each syscall and each
/// result, and optionally writes a checkpoint to continue from later.
/// Exit codes: 0 success, 1 bad input, 3 the worker's compute limit was exceeded, 4 the vat or its worker failed.
/// </summary>
internal static class RunCommand
{
    private const int ExitBadInput = 1;
    private const int ExitComputeLimit = 3;
    private const int ExitVatFailed = 4;

    /// <summary>The vat data key under which <c>vats run --db</c> keeps its built-in kernel's state.</summary>
    internal const string KernelStateKey = "vats-cli.kernel";

    public static Command Create()
    {
        var vat = new Argument<string?>("VAT")
        {
            Description = "The vat: an ES module exporting buildRootObject (bundled on the fly), or a bundle file (.bundle / .json); not needed with --snapshot-in",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var send = new Option<string[]>("--send", "-s")
        {
            Description = "Send METHOD with ARGS_JSON (a JSON array, e.g. '[1,\"x\"]') to the root object; repeatable, in order",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
            HelpName = "METHOD ARGS_JSON",
        };
        var script = new Option<FileInfo?>("--script")
        {
            Description = "A JSON file of steps, run after the --send messages: [{\"send\":\"increment\",\"args\":[]}, {\"bringOutYourDead\":true}, …]",
        };
        var snapshotOut = new Option<FileInfo?>("--snapshot-out") { Description = "At the end, write a checkpoint (heap snapshot + kernel state) here" };
        var snapshotIn = new Option<FileInfo?>("--snapshot-in") { Description = "Continue the vat from a checkpoint written by --snapshot-out" };
        var limit = new Option<long?>("--limit") { Description = "Compute limit per delivery, in fuel (wasm instructions); default none" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the results, not the syscalls" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Progress and timings on stderr; the worker's own log lines too" };
        var worker = new Option<string?>("--worker") { Description = "The vats-worker executable (default: next to vats, then $VATS_WORKER_PATH)" };
        var noBootCache = new Option<bool>("--no-boot-cache") { Description = "Evaluate the lockdown and supervisor bundles instead of restoring the cached boot image" };
        var db = new Option<FileInfo?>("--db")
        {
            Description = "Keep the vat in this snapshot store across runs: the first run (with VAT) creates it, later runs (without) continue it; every delivery is recorded and checkpointed",
        };
        var vatId = new Option<string>("--vat-id") { Description = "The vat's id in the store (default v1)", DefaultValueFactory = _ => "v1" };
        var command = new Command("run", "Run a vat: start it, send messages to its root object, print syscalls and results")
        {
            vat, send, script, snapshotOut, snapshotIn, db, vatId, limit, quiet, verbose, worker, noBootCache,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var run = new Run
            {
                VatPath = parse.GetValue(vat),
                Sends = Pairs(parse.GetValue(send) ?? []),
                Script = parse.GetValue(script),
                SnapshotOut = parse.GetValue(snapshotOut),
                SnapshotIn = parse.GetValue(snapshotIn),
                Db = parse.GetValue(db),
                VatId = parse.GetValue(vatId)!,
                Quiet = parse.GetValue(quiet),
                Verbose = parse.GetValue(verbose),
                Options = new VatWorkerOptions
                {
                    Name = "vats-run",
                    WorkerPath = parse.GetValue(worker),
                    ComputeLimit = parse.GetValue(limit),
                    UseBootCache = !parse.GetValue(noBootCache),
                },
            };
            return await run.ExecuteAsync(cancellationToken);
        });
        return command;
    }

    private static List<Step> Pairs(string[] tokens)
    {
        var steps = new List<Step>();
        for (var i = 0; i + 1 < tokens.Length; i += 2) steps.Add(new Step(tokens[i], tokens[i + 1], false));
        return steps;
    }

    private sealed record Step(string? Method, string? ArgsJson, bool BringOutYourDead);

    private sealed class Run
    {
        public string? VatPath { get; init; }
        public List<Step> Sends { get; init; } = [];
        public FileInfo? Script { get; init; }
        public FileInfo? SnapshotOut { get; init; }
        public FileInfo? SnapshotIn { get; init; }
        public FileInfo? Db { get; init; }
        public string VatId { get; init; } = "v1";
        public bool Quiet { get; init; }
        public bool Verbose { get; init; }
        public required VatWorkerOptions Options { get; init; }

        private readonly Stopwatch _clock = new();

        public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            List<Step> steps;
            string? bundleJson = null;
            VatCheckpoint? checkpoint = null;
            try
            {
                if (Db is not null && SnapshotIn is not null) return BadInput("--db and --snapshot-in do not go together: a store keeps its own snapshots");
                if (Db is null && (VatPath is null) == (SnapshotIn is null))
                    return BadInput("give either a VAT (a module or bundle file) or --snapshot-in FILE");
                steps = [.. Sends, .. ReadScript()];
                if (SnapshotIn is not null) checkpoint = VatCheckpoint.FromBytes(File.ReadAllBytes(SnapshotIn.FullName));
                else if (VatPath is not null) bundleJson = LoadBundle(VatPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException or BundleException)
            {
                return BadInput(e.Message);
            }

            var options = Options with
            {
                OnConsole = line => Console.WriteLine($"  console.{line.Level} ({line.Source}): {line.Text}"),
                Logger = Verbose ? new StderrLogger() : null,
            };
            try
            {
                return Db is not null
                    ? await RunDurableAsync(options, bundleJson, steps, cancellationToken)
                    : await RunInWorkerAsync(options, bundleJson, checkpoint, steps, cancellationToken);
            }
            catch (WorkerExitedException e) when (e.Reason == WorkerExitReason.ComputeMeterExceeded)
            {
                Console.Error.WriteLine($"vats run: {e.Message}");
                return ExitComputeLimit;
            }
            catch (VatWorkerException e)
            {
                Console.Error.WriteLine($"vats run: {e.Message}");
                return ExitVatFailed;
            }
            catch (FileNotFoundException e)
            {
                Console.Error.WriteLine($"vats run: {e.Message}");
                return ExitVatFailed;
            }
            catch (SnapshotStoreException e)
            {
                Console.Error.WriteLine($"vats run: {Db!.Name}: {e.Message}");
                // Not a store (or another schema) is bad input; a damaged one is the vat's failure.
                return e is SnapshotFormatException ? ExitBadInput : ExitVatFailed;
            }
        }

        /// <summary>A vat in one worker, from its bundle or a checkpoint file, gone when the run ends.</summary>
        private async Task<int> RunInWorkerAsync(VatWorkerOptions options, string? bundleJson, VatCheckpoint? checkpoint, List<Step> steps,
            CancellationToken cancellationToken)
        {
            Vat started;
            MiniKernel kernel;
            if (checkpoint is not null)
            {
                Progress("starting the worker from the checkpoint");
                kernel = MiniKernel.FromState(checkpoint.KernelState);
                started = await Vat.RestoreAsync(checkpoint.WorkerSnapshot, options, cancellationToken);
                Done();
            }
            else
            {
                Progress("booting the worker (lockdown and supervisor bundles)");
                started = await Vat.BootAsync(options, cancellationToken: cancellationToken);
                Done();
                kernel = new MiniKernel();
                Progress($"starting vat {kernel.VatId} (setBundle, startVat)");
                var start = await kernel.StartVatAsync(started, bundleJson!, cancellationToken);
                Done();
                if (!PrintDeliveries(start)) return ExitVatFailed;
                Console.WriteLine($"vat {kernel.VatId} started");
            }
            await using var vat = started;
            var exit = await RunStepsAsync(kernel, vat.DeliverAsync, steps, cancellationToken);
            if (exit != 0) return exit;
            await WriteCheckpointAsync(kernel, vat, cancellationToken);
            return 0;
        }

        /// <summary>
        /// A vat kept in a store across runs: created on the first run (VAT given), continued on the next ones; every
        /// delivery recorded and checkpointed; the built-in kernel's state kept in the store beside the vat (vat data
        /// <see cref="KernelStateKey"/>), written after every step.
        /// </summary>
        private async Task<int> RunDurableAsync(VatWorkerOptions options, string? bundleJson, List<Step> steps, CancellationToken cancellationToken)
        {
            // Continuing needs an existing store: do not leave an empty one behind.
            if (bundleJson is null && !Db!.Exists) return BadInput($"{Db.Name} has no vat {VatId}: give the VAT to create it");
            using var store = SnapshotStore.SnapshotStore.Open(Db!.FullName);
            await using var warehouse = new VatWarehouse(store, new VatWarehouseOptions { Worker = options, SpareWorkers = 0 });
            MiniKernel kernel;
            DurableVat vat;
            if (store.Latest(VatId) is not null)
            {
                if (bundleJson is not null) return BadInput($"{Db.Name} already has vat {VatId}: leave out VAT to continue it, or give another --vat-id");
                if (store.GetVatData(VatId, KernelStateKey) is not { } state)
                    return BadInput($"{Db.Name} has vat {VatId} but not the built-in kernel's state for it (a vat stored by another kernel?)");
                kernel = MiniKernel.FromState(System.Text.Encoding.UTF8.GetString(state));
                vat = warehouse.GetVat(VatId);
                Progress($"bringing vat {VatId} back from {Db.Name}");
                await vat.WorkerAsync(cancellationToken);
                Done($"snapshot {store.Latest(VatId)!.Position}, {vat.LastReplayCount} deliveries replayed");
                Console.WriteLine($"vat {VatId} continued at delivery {vat.Position}");
            }
            else
            {
                if (bundleJson is null) return BadInput($"{Db.Name} has no vat {VatId}: give the VAT to create it");
                kernel = new MiniKernel(VatId);
                Progress($"creating vat {VatId} in {Db.Name} (boot, setBundle, startVat)");
                var (created, start) = await warehouse.CreateVatAsync(VatId, bundleJson, MiniKernel.VatParameters, kernel.Handle, cancellationToken);
                vat = created;
                var owed = await kernel.DeliverOwedAsync(vat.DeliverAsync, cancellationToken);
                SaveKernel(store, kernel);
                Done();
                if (!PrintDeliveries([(new StartVatDelivery(MiniKernel.VatParameters), start), .. owed])) return ExitVatFailed;
                Console.WriteLine($"vat {VatId} started");
            }
            try
            {
                var exit = await RunStepsAsync(kernel, vat.DeliverAsync, steps, cancellationToken, () => SaveKernel(store, kernel));
                if (exit != 0) return exit;
                await WriteCheckpointAsync(kernel, await vat.WorkerAsync(cancellationToken), cancellationToken);
                Console.WriteLine($"{Db.Name}: vat {VatId} at delivery {vat.Position}, {store.List(VatId).Count} snapshots, {store.FileBytes:N0} bytes");
                return 0;
            }
            finally
            {
                SaveKernel(store, kernel);
            }
        }

        private void SaveKernel(SnapshotStore.SnapshotStore store, MiniKernel kernel) =>
            store.SetVatData(VatId, KernelStateKey, System.Text.Encoding.UTF8.GetBytes(kernel.SaveState()));

        private async Task<int> RunStepsAsync(MiniKernel kernel, Deliverer deliver, List<Step> steps, CancellationToken cancellationToken, Action? afterStep = null)
        {
            foreach (var step in steps)
            {
                if (step.BringOutYourDead)
                {
                    var boyd = await kernel.BringOutYourDeadAsync(deliver, cancellationToken);
                    if (!PrintDeliveries([(new BringOutYourDeadDelivery(), boyd)])) return ExitVatFailed;
                    Console.WriteLine($"bringOutYourDead → {boyd.Result}");
                    afterStep?.Invoke();
                    continue;
                }
                Progress($"sending {step.Method}");
                SendOutcome outcome;
                try
                {
                    outcome = await kernel.SendAsync(deliver, step.Method!, step.ArgsJson!, cancellationToken);
                }
                catch (LiveslotsFormatException e)
                {
                    return BadInput($"--send {step.Method} {step.ArgsJson}: {e.Message}");
                }
                Done();
                afterStep?.Invoke();
                if (!PrintDeliveries(outcome.Deliveries)) return ExitVatFailed;
                Console.WriteLine($"{step.Method}({Arguments(step.ArgsJson!)}) → {Describe(outcome.Resolution)}");
                if (kernel.Exited)
                {
                    Console.WriteLine("the vat exited");
                    break;
                }
            }
            return 0;
        }

        private async Task WriteCheckpointAsync(MiniKernel kernel, Vat vat, CancellationToken cancellationToken)
        {
            if (SnapshotOut is null) return;
            Progress("taking a checkpoint");
            var snapshot = await vat.SnapshotAsync(cancellationToken);
            var bytes = new VatCheckpoint(kernel.SaveState(), snapshot).ToBytes();
            WriteAtomically(SnapshotOut.FullName, bytes);
            Done();
            Console.WriteLine($"checkpoint written to {SnapshotOut.Name} ({bytes.Length:N0} bytes, heap snapshot {snapshot.Length:N0} bytes, {kernel.VatStoreCount} vatstore entries)");
        }

        private IEnumerable<Step> ReadScript()
        {
            if (Script is null) yield break;
            using var document = JsonDocument.Parse(File.ReadAllText(Script.FullName));
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{Script.Name}: a script is a JSON array of steps");
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("send", out var method) && method.ValueKind == JsonValueKind.String)
                {
                    var args = item.TryGetProperty("args", out var a) ? a : default;
                    if (args.ValueKind is not (JsonValueKind.Array or JsonValueKind.Undefined))
                        throw new InvalidDataException($"{Script.Name}: step {index}: \"args\" must be an array");
                    yield return new Step(method.GetString(), args.ValueKind == JsonValueKind.Array ? args.GetRawText() : "[]", false);
                }
                else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("bringOutYourDead", out var boyd) && boyd.ValueKind == JsonValueKind.True)
                {
                    yield return new Step(null, null, true);
                }
                else
                {
                    throw new InvalidDataException($"{Script.Name}: step {index} is neither {{\"send\": METHOD, \"args\": [...]}} nor {{\"bringOutYourDead\": true}}");
                }
                index++;
            }
        }

        private string LoadBundle(string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist", path);
            var extension = Path.GetExtension(path);
            if (extension is ".bundle" or ".json")
            {
                var text = File.ReadAllText(path);
                using var document = JsonDocument.Parse(text);
                if (!document.RootElement.TryGetProperty("moduleFormat", out _))
                    throw new InvalidDataException($"{path} is not a bundle (no moduleFormat)");
                return text;
            }
            Progress($"bundling {path}");
            // endoZipBase64: the format SwingSet installs vats from.
            var bundle = Bundle.Create(path, new BundleOptions { Format = BundleFormat.EndoZipBase64 });
            Done($"{bundle.ModuleCount} modules, {bundle.Utf8.Length:N0} bytes");
            return bundle.Json;
        }

        /// <summary>Prints the syscalls and notifies of some deliveries; false when one of them failed (the vat is dead).</summary>
        private bool PrintDeliveries(IEnumerable<(VatDeliveryObject Delivery, VatDeliveryReport Report)> deliveries)
        {
            foreach (var (delivery, report) in deliveries)
            {
                if (!Quiet)
                {
                    if (delivery is NotifyDelivery notify)
                        foreach (var r in notify.Resolutions) Console.WriteLine($"  notify {r.Vpid} {(r.IsReject ? "rejected" : "fulfilled")}: {Describe(r.Data)}");
                    foreach (var syscall in report.Syscalls) Console.WriteLine($"  syscall {syscall.Json} → {syscall.Result}");
                }
                if (Verbose) Console.Error.WriteLine($"  [{delivery.Tag}: compute {report.Meter?.Compute:N0}, {report.Syscalls.Count} syscalls]");
                if (!report.Result.IsOk)
                {
                    Console.Error.WriteLine($"vats run: the {delivery.Tag} delivery failed: {report.Result.Problem}");
                    return false;
                }
            }
            return true;
        }

        private static string Describe(VatResolution? resolution) => resolution is null
            ? "(unresolved)"
            : (resolution.IsReject ? "rejected: " : "") + Describe(resolution.Data);

        private static string Describe(CapData data)
        {
            try
            {
                return Smallcaps.Describe(data);
            }
            catch (LiveslotsFormatException)
            {
                return data.Body;
            }
        }

        /// <summary>The arguments as a call shows them: each element's JSON, separated by ", ".</summary>
        private static string Arguments(string argsJson)
        {
            try
            {
                using var document = JsonDocument.Parse(argsJson);
                if (document.RootElement.ValueKind == JsonValueKind.Array)
                    return string.Join(", ", document.RootElement.EnumerateArray().Select(e => e.GetRawText()));
            }
            catch (JsonException)
            {
                // Shown as given.
            }
            return argsJson;
        }

        private static void WriteAtomically(string path, byte[] bytes)
        {
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }

        private void Progress(string what)
        {
            if (!Verbose) return;
            Console.Error.Write($"vats run: {what}… ");
            _clock.Restart();
        }

        private void Done(string? detail = null)
        {
            if (!Verbose) return;
            Console.Error.WriteLine($"{_clock.ElapsedMilliseconds} ms{(detail is null ? "" : $" ({detail})")}");
        }

        private static int BadInput(string message)
        {
            Console.Error.WriteLine($"vats run: {message}");
            return ExitBadInput;
        }
    }
}
