using System.Diagnostics;
using Vats.Wasm.Runtime;
using Vats.Wasm.Tests.TestSupport;

namespace Vats.Wasm.Bench;

/// <summary>What the run on our runtime measured.</summary>
internal sealed record VatsWasmResult(
    Timings Compile, Timings InstantiateAndCtor, Timings CreateContext, Timings Loop, IReadOnlyList<long> LoopFuel, double Value);

/// <summary>
/// The workload on Vats.Wasm: compile, instantiate, create a context, then evaluate the loop repeatedly. With the
/// compiling engine the first instantiation also translates the module to IL (later ones reuse it), and JIT
/// compilation happens at each function's first call.
/// </summary>
internal static class VatsWasmRun
{
    public static VatsWasmResult Run(BenchOptions options, byte[] wasm, ExecutionEngineKind engine)
    {
        var compileTimes = new List<double>();
        CompiledModule compiled = null!;
        for (var i = 0; i < options.StartupRepetitions; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            compiled = CompiledModule.Compile(wasm);
            compileTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        var instantiateTimes = new List<double>();
        var contextTimes = new List<double>();
        QuickJsHost host = null!;
        var ctx = 0;
        for (var i = 0; i < options.StartupRepetitions; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            host = new QuickJsHost(new Store(new RuntimeOptions { Engine = engine }), compiled);
            host.CallCtors();
            instantiateTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
            stopwatch.Restart();
            (_, ctx) = host.CreateContext();
            contextTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        var value = double.NaN;
        for (var i = 0; i < options.Warmup; i++) value = EvalLoop(host, ctx, options.LoopSource);
        var loopTimes = new List<double>();
        var loopFuel = new List<long>();
        for (var i = 0; i < options.Repetitions; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            value = EvalLoop(host, ctx, options.LoopSource);
            loopTimes.Add(stopwatch.Elapsed.TotalMilliseconds);
            loopFuel.Add(host.LastEvalFuel);
        }
        return new VatsWasmResult(new Timings(compileTimes), new Timings(instantiateTimes), new Timings(contextTimes), new Timings(loopTimes), loopFuel, value);
    }

    private static double EvalLoop(QuickJsHost host, int ctx, string source)
    {
        var box = host.Eval(ctx, source, "bench.js");
        var error = host.ResolveException(ctx, box);
        if (error != 0) throw new InvalidOperationException($"the benchmark's JS threw on Vats.Wasm: {host.Dump(ctx, error)}");
        var value = host.GetFloat64(ctx, box);
        host.FreeValue(ctx, box);
        return value;
    }
}
