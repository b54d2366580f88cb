using System.CommandLine;
using System.Text.Json;
using Vats.QuickJs;
using Vats.Wasm.Errors;

namespace Vats.Cli.Commands;

/// <summary>
/// `vats eval FILE.js`: a deterministic `qjs`. Evaluates a script in the Vats QuickJS engine (optionally after
/// booting the xsnap lockdown and supervisor bundles, or from an engine snapshot), runs promise jobs and
/// setImmediate callbacks to quiescence, and prints the completion value as JSON.
/// Exit codes: 0 success, 1 JavaScript error or bad input, 3 fuel exhausted.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The script to evaluate (sloppy mode, global scope)" };
        var lockdown = new Option<FileInfo?>("--lockdown") { Description = "A bundle (e.g. @agoric/xsnap-lockdown's lockdown.bundle) to evaluate first" };
        var supervisor = new Option<FileInfo?>("--supervisor") { Description = "A bundle (e.g. @agoric/swingset-xsnap-supervisor's supervisor.bundle) to evaluate after the lockdown bundle" };
        var fuel = new Option<long?>("--fuel") { Description = "Fuel (wasm instructions) for each step: each bundle, the script, the run to quiescence" };
        var snapshotOut = new Option<FileInfo?>("--snapshot-out") { Description = "Write an engine snapshot here at the end" };
        var snapshotIn = new Option<FileInfo?>("--snapshot-in") { Description = "Start from this engine snapshot instead of a fresh engine" };
        var command = new Command("eval", "Evaluate JavaScript in the deterministic QuickJS engine and print the completion value as JSON")
        {
            file, lockdown, supervisor, fuel, snapshotOut, snapshotIn,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(parse.GetValue(file)!, parse.GetValue(lockdown), parse.GetValue(supervisor), parse.GetValue(fuel),
                    parse.GetValue(snapshotOut), parse.GetValue(snapshotIn));
            }
            catch (Exception e) when (e is WasmException or EngineFaultedException or QuickJsBinaryException or IOException
                                           or UnauthorizedAccessException or JsonException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(FileInfo file, FileInfo? lockdown, FileInfo? supervisor, long? fuel, FileInfo? snapshotOut, FileInfo? snapshotIn)
    {
        var options = new EngineOptions { FuelPerCall = fuel, Print = Console.Out.WriteLine };
        using var engine = snapshotIn is null ? QuickJsEngine.Create(options) : QuickJsEngine.Restore(File.ReadAllBytes(snapshotIn.FullName), options);
        if (snapshotIn is not null) engine.MeterLimit = fuel;
        foreach (var bundle in new[] { lockdown, supervisor })
        {
            if (bundle is null) continue;
            var outcome = Step(engine, BundleSource(bundle), bundle.Name);
            if (!outcome.IsValue) return Report(outcome, bundle.Name);
        }
        var result = Step(engine, File.ReadAllText(file.FullName), file.Name);
        if (!result.IsValue) return Report(result, file.Name);
        if (snapshotOut is not null) File.WriteAllBytes(snapshotOut.FullName, engine.Snapshot());
        Console.WriteLine(result.Json ?? "undefined");
        return 0;
    }

    /// <summary>Evaluates, then runs the event loop; the outcome is the evaluation's unless the loop failed.</summary>
    private static JsOutcome Step(QuickJsEngine engine, string source, string fileName)
    {
        var outcome = engine.Evaluate(source, fileName);
        if (outcome.Kind == JsOutcomeKind.FuelExhausted) return outcome;
        var loop = engine.RunToQuiescence();
        return outcome.IsValue && !loop.IsValue ? loop : outcome;
    }

    private static int Report(JsOutcome outcome, string what)
    {
        if (outcome.Kind == JsOutcomeKind.FuelExhausted)
        {
            Console.Error.WriteLine($"error: fuel exhausted while running {what}");
            return 3;
        }
        var error = outcome.Error!;
        Console.Error.WriteLine($"error: {error}");
        if (error.Stack.Length > 0) Console.Error.Write(error.Stack);
        return 1;
    }

    /// <summary>The evaluate string xsnap's parent sends for a nestedEvaluate/getExport bundle: `(${source}\n)()`.</summary>
    internal static string BundleSource(FileInfo bundle)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(bundle.FullName));
        var root = document.RootElement;
        var format = root.TryGetProperty("moduleFormat", out var f) ? f.GetString() : null;
        if (format is not ("nestedEvaluate" or "getExport") || !root.TryGetProperty("source", out var source))
            throw new InvalidDataException($"{bundle.Name} is not a nestedEvaluate or getExport bundle (moduleFormat {format ?? "missing"})");
        return $"({source.GetString()}\n)()".Trim();
    }
}
