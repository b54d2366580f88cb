using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Vats.QuickJs;

namespace Vats.QuickJs.Bench;

/// <summary>
/// Benchmark of the deterministic QuickJS engine: boots the xsnap lockdown and supervisor bundles, runs a JS loop,
/// snapshots and restores, on Vats.Wasm and in the Node reference host, and prints medians and ratios.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: Vats.QuickJs.Bench [--runs N] [--loop N] [--lockdown BUNDLE] [--supervisor BUNDLE] [--no-node] [--engine E]
          --runs N        timed runs per engine (default 3); each run boots a fresh engine
          --loop N        iterations of the JS loop (default 3000000)
          --lockdown      lockdown bundle (default: tests/Vats.QuickJs.Tests/node_modules/@agoric/xsnap-lockdown/dist/lockdown.bundle)
          --supervisor    supervisor bundle (default: …/@agoric/swingset-xsnap-supervisor/dist/supervisor.bundle)
          --no-node       skip the Node reference host
          --engine E      interpreter, compiler or both (default both): the wasm engine(s) to time
          --save-compiled PATH   write the QuickJS module's compiled code as an assembly (for crossgen2) and exit
          --precompiled PATH     use that assembly (e.g. after crossgen2) as the compiled engine's code
        """;

    private static int Main(string[] args)
    {
        var runs = 3;
        var loop = 3_000_000;
        string? lockdownPath = null, supervisorPath = null;
        var node = true;
        var engines = new List<Vats.Wasm.ExecutionEngineKind> { Vats.Wasm.ExecutionEngineKind.Interpreter, Vats.Wasm.ExecutionEngineKind.Compiler };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--loop": loop = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--lockdown": lockdownPath = args[++i]; break;
                case "--supervisor": supervisorPath = args[++i]; break;
                case "--no-node": node = false; break;
                case "--save-compiled":
                    Vats.Wasm.PrecompiledModules.Save(Vats.QuickJs.Native.QuickJsBinary.Module, args[++i]);
                    Console.WriteLine($"wrote {args[i]}");
                    return 0;
                case "--precompiled":
                    Vats.Wasm.PrecompiledModules.Register(System.Reflection.Assembly.LoadFrom(Path.GetFullPath(args[++i])));
                    break;
                case "--engine":
                    engines = args[++i] switch
                    {
                        "interpreter" => [Vats.Wasm.ExecutionEngineKind.Interpreter],
                        "compiler" => [Vats.Wasm.ExecutionEngineKind.Compiler],
                        _ => engines,
                    };
                    break;
                default:
                    Console.WriteLine(Usage);
                    return args[i] is "--help" or "-h" ? 0 : 2;
            }
        }
        var root = FindRoot();
        var agoric = Path.Combine(root, "tests", "Vats.QuickJs.Tests", "node_modules", "@agoric");
        lockdownPath ??= Path.Combine(agoric, "xsnap-lockdown", "dist", "lockdown.bundle");
        supervisorPath ??= Path.Combine(agoric, "swingset-xsnap-supervisor", "dist", "supervisor.bundle");
        foreach (var path in new[] { lockdownPath, supervisorPath })
        {
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"{path} not found: run `npm ci` in tests/Vats.QuickJs.Tests");
                return 2;
            }
        }

#if DEBUG
        Console.WriteLine("WARNING: Debug build; use `dotnet run -c Release` for meaningful timings.");
#endif
        Console.WriteLine($"Vats.QuickJs benchmark: {runs} runs per engine, loop of {loop:N0} iterations; " +
            $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}");
        var loopSource = $"let n = 0; for (let i = 0; i < {loop}; i++) {{ n = (n + i) | 0 }} n";
        var compileClock = Stopwatch.StartNew();
        if (engines.Contains(Vats.Wasm.ExecutionEngineKind.Compiler))
        {
            // First compiled engine in the process: loads the precompiled code the build shipped, or else translates
            // the module to IL (the JIT then compiles each function at its first call).
            using var first = QuickJsEngine.Create(new EngineOptions { Print = _ => { }, WasmEngine = Vats.Wasm.ExecutionEngineKind.Compiler });
            var precompiled = Vats.Wasm.PrecompiledModules.RegisteredFor(Vats.QuickJs.Native.QuickJsBinary.Module);
            Console.WriteLine($"  first compiled engine created in {compileClock.Elapsed.TotalMilliseconds:F0} ms (" +
                (precompiled is null ? "no precompiled code: IL emission of the QuickJS module included"
                    : $"precompiled code loaded from {Path.GetFileName(precompiled.Location)}") + ")");
        }
        var ours = engines.ToDictionary(e => e, e => RunOurs(runs, BundleSource(lockdownPath), BundleSource(supervisorPath), loopSource, e));
        Dictionary<string, double>? reference = null;
        if (node)
        {
            var output = RunNode(Path.Combine(root, "engine", "Vats.QuickJs", "reference-host", "quickjs-host.cjs"),
                "bench", "--lockdown", lockdownPath, "--supervisor", supervisorPath, "--runs", runs.ToString(CultureInfo.InvariantCulture),
                "--loop", loop.ToString(CultureInfo.InvariantCulture));
            reference = JsonSerializer.Deserialize<Dictionary<string, double>>(output);
        }

        Console.WriteLine();
        Console.WriteLine("  " + "median".PadRight(26) + string.Concat(engines.Select(e => e.ToString().PadLeft(16)))
            + (reference is null ? "" : "Node (V8)".PadLeft(16) + string.Concat(engines.Select(e => ("/V8 " + e.ToString()[..4]).PadLeft(12)))));
        void Line(string label, string key, string unit)
        {
            var theirs = reference is not null && reference.TryGetValue(key, out var r) ? r : (double?)null;
            var format = unit == "ms" ? "F1" : "N0";
            var text = "  " + label.PadRight(26);
            foreach (var e in engines) text += (Median(ours[e][key]).ToString(format, CultureInfo.InvariantCulture) + " " + unit).PadLeft(16);
            if (theirs is not null)
            {
                text += (theirs.Value.ToString(format, CultureInfo.InvariantCulture) + " " + unit).PadLeft(16);
                foreach (var e in engines)
                    text += (theirs > 0 ? (Median(ours[e][key]) / theirs.Value).ToString("F2", CultureInfo.InvariantCulture) + "x" : "").PadLeft(12);
            }
            Console.WriteLine(text);
        }
        Line("lockdown bundle", "lockdownMs", "ms");
        Line("supervisor bundle", "supervisorMs", "ms");
        Line($"loop {loop:N0}", "loopMs", "ms");
        Line("snapshot", "snapshotMs", "ms");
        Line("snapshot size", "snapshotBytes", "B");
        Line("restore", "restoreMs", "ms");
        foreach (var e in engines) Console.WriteLine($"  (fuel of the loop on Vats.Wasm, {e}: {Median(ours[e]["loopFuel"]):N0} wasm instructions)");
        return 0;
    }

    private static Dictionary<string, List<double>> RunOurs(int runs, string lockdown, string supervisor, string loopSource,
        Vats.Wasm.ExecutionEngineKind wasmEngine)
    {
        var times = new Dictionary<string, List<double>>();
        void Add(string key, double value) => (times.TryGetValue(key, out var list) ? list : times[key] = []).Add(value);
        for (var run = 0; run < runs; run++)
        {
            Console.WriteLine($"  Vats.Wasm ({wasmEngine}) run {run + 1}/{runs} …");
            using var engine = QuickJsEngine.Create(new EngineOptions { Print = _ => { }, WasmEngine = wasmEngine });
            var clock = Stopwatch.StartNew();
            Check(engine.Evaluate(lockdown, "lockdown.bundle"));
            Check(engine.RunToQuiescence());
            Add("lockdownMs", clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            Check(engine.Evaluate(supervisor, "supervisor.bundle"));
            Check(engine.RunToQuiescence());
            Add("supervisorMs", clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            Check(engine.Evaluate(loopSource, "loop.js"));
            Add("loopMs", clock.Elapsed.TotalMilliseconds);
            Add("loopFuel", engine.FuelUsed);
            clock.Restart();
            var snapshot = engine.Snapshot();
            Add("snapshotMs", clock.Elapsed.TotalMilliseconds);
            Add("snapshotBytes", snapshot.Length);
            clock.Restart();
            using var restored = QuickJsEngine.Restore(snapshot, new EngineOptions { Print = _ => { }, WasmEngine = wasmEngine });
            Add("restoreMs", clock.Elapsed.TotalMilliseconds);
            if (restored.Evaluate("typeof handleCommand").Json != "\"function\"") throw new InvalidOperationException("the restored engine lost the supervisor");
        }
        return times;
    }

    private static void Check(JsOutcome outcome)
    {
        if (!outcome.IsValue) throw new InvalidOperationException($"benchmark step failed: {outcome}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string BundleSource(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return $"({document.RootElement.GetProperty("source").GetString()}\n)()".Trim();
    }

    private static string RunNode(params string[] arguments)
    {
        Console.WriteLine("  Node reference host …");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"node exited with {process.ExitCode}");
        return output;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vats.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Vats.sln above {AppContext.BaseDirectory}");
    }
}
