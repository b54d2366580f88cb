using Vats.Wasm;
using System.Runtime.InteropServices;
using Vats.Wasm.Bench;
using Vats.Wasm.Tests.TestSupport;

var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    if (error is null)
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }
    Console.Error.WriteLine($"Vats.Wasm.Bench: {error}\n{BenchOptions.Usage}");
    return 2;
}

try
{
    var wasm = QuickJsWasm.Bytes;
    string? nodeVersion = null;
    if (options.RunV8)
    {
        nodeVersion = V8Run.NodeVersion()
            ?? throw new InvalidOperationException("node was not found on PATH; install Node.js (20 or later) or pass --no-v8");
    }
#if DEBUG
    Console.WriteLine("WARNING: Debug build; use `dotnet run -c Release` for meaningful timings.");
#endif
    Console.WriteLine("Vats.Wasm benchmark: the QuickJS wasm (@jitl/quickjs-wasmfile-release-sync 0.32.0) evaluating a JS loop");
    Console.WriteLine($"  JS:       {options.LoopSource}");
    Console.WriteLine($"  runs:     {options.Warmup} warm-up + {options.Repetitions} timed evaluations per engine, same context; startup figures over {options.StartupRepetitions} runs");
    Console.WriteLine($"  machine:  {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}" +
        (nodeVersion is null ? "" : $", Node {nodeVersion}"));
    Console.WriteLine();

    var engines = new[] { ExecutionEngineKind.Interpreter, ExecutionEngineKind.Compiler };
    var results = new Dictionary<ExecutionEngineKind, VatsWasmResult>();
    foreach (var engine in engines)
    {
        Console.WriteLine($"running on Vats.Wasm ({engine}) …");
        results[engine] = VatsWasmRun.Run(options, wasm, engine);
    }
    V8Result? v8 = null;
    if (options.RunV8)
    {
        Console.WriteLine("running on V8 …");
        v8 = V8Run.Run(options);
    }
    Console.WriteLine();

    foreach (var (engine, result) in results)
        if (result.Value != options.ExpectedValue) throw new InvalidOperationException($"Vats.Wasm ({engine}) computed {result.Value}, expected {options.ExpectedValue}");
    if (v8 is not null && v8.Value != options.ExpectedValue) throw new InvalidOperationException($"V8 computed {v8.Value}, expected {options.ExpectedValue}");

    const string row = "  {0,-40} {1,24} {2,24} {3,18}";
    var i = results[ExecutionEngineKind.Interpreter];
    var c = results[ExecutionEngineKind.Compiler];
    // The compiler here translates and JIT-compiles the module in process, as for any module; the QuickJS bench
    // shows the build's precompiled QuickJS code.
    Console.WriteLine(row, "startup: median [first run]; V8 one run", "interpreter", "compiler (JIT)", v8?.Engine ?? "");
    Console.WriteLine(row, "decode + validate (V8: lazy compile)", $"{i.Compile.Median:F1} ms [{i.Compile.Milliseconds[0]:F1}]", $"{c.Compile.Median:F1} ms [{c.Compile.Milliseconds[0]:F1}]", v8 is null ? "" : $"{v8.CompileMs:F1} ms");
    Console.WriteLine(row, "instantiate + ctor (compiler: + IL)", $"{i.InstantiateAndCtor.Median:F1} ms [{i.InstantiateAndCtor.Milliseconds[0]:F1}]", $"{c.InstantiateAndCtor.Median:F1} ms [{c.InstantiateAndCtor.Milliseconds[0]:F1}]", v8 is null ? "" : $"{v8.InstantiateMs:F1} ms");
    Console.WriteLine(row, "QTS_NewRuntime + QTS_NewContext", $"{i.CreateContext.Median:F1} ms [{i.CreateContext.Milliseconds[0]:F1}]", $"{c.CreateContext.Median:F1} ms [{c.CreateContext.Milliseconds[0]:F1}]", "");
    Console.WriteLine();
    Console.WriteLine(row, $"JS loop of {options.Iterations:N0} iterations", "interpreter", "compiler (JIT)", v8 is null ? "" : "V8");
    Console.WriteLine(row, "median", $"{i.Loop.Median:F1} ms", $"{c.Loop.Median:F1} ms", v8 is null ? "" : $"{v8.Loop.Median:F1} ms");
    Console.WriteLine(row, "min … max", $"{i.Loop.Min:F1} … {i.Loop.Max:F1} ms", $"{c.Loop.Min:F1} … {c.Loop.Max:F1} ms", v8 is null ? "" : $"{v8.Loop.Min:F1} … {v8.Loop.Max:F1} ms");
    Console.WriteLine($"  all runs (ms): interpreter {i.Loop}; compiler {c.Loop}" + (v8 is null ? "" : $"; V8 {v8.Loop}"));
    var fuel = i.LoopFuel[^1];
    var sameFuel = i.LoopFuel.Concat(c.LoopFuel).All(f => f == fuel);
    Console.WriteLine($"  FuelConsumed by one loop evaluation (QTS_Eval): {fuel:N0}{(sameFuel ? " in every timed run of both engines" : $" (runs differ: {string.Join(", ", i.LoopFuel.Concat(c.LoopFuel))})")}" +
        $"; {(double)fuel / options.Iterations:F1} per JS iteration; interpreter {fuel / i.Loop.Median / 1000:F1} M fuel/s, compiler {fuel / c.Loop.Median / 1000:F1} M fuel/s");
    // Fuel counts every wasm instruction, block and end included; QuickJS's interpreter function enters a few
    // hundred nested blocks per bytecode it dispatches, which cost a compiler nothing.
    Console.WriteLine("  (fuel = wasm instructions executed; block, loop, else, end and nop cost 0)");
    if (v8 is not null)
    {
        Console.WriteLine();
        Console.WriteLine($"ratio to V8 (medians): interpreter {i.Loop.Median / v8.Loop.Median:F1}x, compiler {c.Loop.Median / v8.Loop.Median:F1}x");
    }
    return 0;
}
catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DirectoryNotFoundException or InvalidOperationException)
{
    Console.Error.WriteLine($"Vats.Wasm.Bench: {e.Message}");
    return 1;
}
catch (Vats.Wasm.Errors.WasmException e)
{
    // A trap or a rejected module here is a runtime bug: show where it happened.
    Console.Error.WriteLine($"Vats.Wasm.Bench: the runtime failed: {e}");
    return 1;
}
