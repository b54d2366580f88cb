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

    Console.WriteLine("running on Vats.Wasm …");
    var ours = VatsWasmRun.Run(options, wasm);
    V8Result? v8 = null;
    if (options.RunV8)
    {
        Console.WriteLine("running on V8 …");
        v8 = V8Run.Run(options);
    }
    Console.WriteLine();

    if (ours.Value != options.ExpectedValue) throw new InvalidOperationException($"Vats.Wasm computed {ours.Value}, expected {options.ExpectedValue}");
    if (v8 is not null && v8.Value != options.ExpectedValue) throw new InvalidOperationException($"V8 computed {v8.Value}, expected {options.ExpectedValue}");

    const string row = "  {0,-40} {1,24} {2,24}";
    Console.WriteLine(row, "startup: median [first run]; V8 one run", "Vats.Wasm", v8?.Engine ?? "");
    Console.WriteLine(row, "decode + validate (V8: lazy compile)", $"{ours.Compile.Median:F1} ms [{ours.Compile.Milliseconds[0]:F1}]", v8 is null ? "" : $"{v8.CompileMs:F1} ms");
    Console.WriteLine(row, "instantiate (start function) + ctor", $"{ours.InstantiateAndCtor.Median:F1} ms [{ours.InstantiateAndCtor.Milliseconds[0]:F1}]", v8 is null ? "" : $"{v8.InstantiateMs:F1} ms");
    Console.WriteLine(row, "QTS_NewRuntime + QTS_NewContext", $"{ours.CreateContext.Median:F1} ms [{ours.CreateContext.Milliseconds[0]:F1}]", "");
    Console.WriteLine();
    Console.WriteLine(row, $"JS loop of {options.Iterations:N0} iterations", "Vats.Wasm", v8 is null ? "" : "V8");
    Console.WriteLine(row, "median", $"{ours.Loop.Median:F1} ms", v8 is null ? "" : $"{v8.Loop.Median:F1} ms");
    Console.WriteLine(row, "min … max", $"{ours.Loop.Min:F1} … {ours.Loop.Max:F1} ms", v8 is null ? "" : $"{v8.Loop.Min:F1} … {v8.Loop.Max:F1} ms");
    Console.WriteLine($"  all runs (ms): Vats.Wasm {ours.Loop}" + (v8 is null ? "" : $"; V8 {v8.Loop}"));
    var fuel = ours.LoopFuel[^1];
    var sameFuel = ours.LoopFuel.All(f => f == fuel);
    Console.WriteLine($"  FuelConsumed by one loop evaluation (QTS_Eval): {fuel:N0}{(sameFuel ? " in every timed run" : $" (runs differ: {string.Join(", ", ours.LoopFuel)})")}" +
        $"; {(double)fuel / options.Iterations:F1} per JS iteration; {fuel / ours.Loop.Median / 1000:F1} M fuel/s");
    // Fuel counts every wasm instruction, block and end included; QuickJS's interpreter function enters a few
    // hundred nested blocks per bytecode it dispatches, which cost a compiler nothing.
    Console.WriteLine("  (fuel = wasm instructions executed; block, loop, else, end and nop cost 0)");
    if (v8 is not null)
    {
        Console.WriteLine();
        Console.WriteLine($"ratio Vats.Wasm / V8 (medians): {ours.Loop.Median / v8.Loop.Median:F1}x");
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
