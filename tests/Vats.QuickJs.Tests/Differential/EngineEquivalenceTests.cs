using System.Text.Json;
using Vats.QuickJs.Tests.Support;
using Vats.Wasm;

namespace Vats.QuickJs.Tests.Differential;

/// <summary>
/// The same JavaScript on the interpreter and on the compiler: equal outcomes, equal fuel after every step, equal
/// snapshot bytes, fuel exhaustion at the same point, and snapshots that move between the engines.
/// </summary>
public sealed class EngineEquivalenceTests
{
    private static readonly ExecutionEngineKind[] Engines = [ExecutionEngineKind.Interpreter, ExecutionEngineKind.Compiler];

    private static EngineOptions Options(ExecutionEngineKind engine, long? fuel = null) =>
        new() { Print = _ => { }, WasmEngine = engine, FuelPerCall = fuel };

    private static List<string> Trace(ExecutionEngineKind engine, IEnumerable<(string Source, string Name)> steps, out byte[] snapshot, long? fuel = null)
    {
        var trace = new List<string>();
        using var js = QuickJsEngine.Create(Options(engine, fuel));
        foreach (var (source, name) in steps)
        {
            var outcome = js.Evaluate(source, name);
            trace.Add($"{name}: {outcome.Kind} {outcome} fuel={js.FuelUsed}");
            if (!outcome.IsValue) break;
            var jobs = js.RunToQuiescence();
            trace.Add($"{name} jobs: {jobs.Kind} fuel={js.FuelUsed}");
        }
        try
        {
            snapshot = js.Snapshot();
        }
        catch (EngineFaultedException)
        {
            snapshot = []; // after fuel ran out the engine refuses snapshots, under either engine
        }
        return trace;
    }

    [Test]
    public void LockdownAndSupervisorBootIdentically()
    {
        var steps = new[]
        {
            (BundleSource(TestPaths.RequireInstalled(TestPaths.LockdownBundle)), "lockdown.bundle"),
            (BundleSource(TestPaths.RequireInstalled(TestPaths.SupervisorBundle)), "supervisor.bundle"),
            ("let n = 0; for (let i = 0; i < 20000; i++) { n = (n + i * 3) % 1000003 } [n, Math.sqrt(n), JSON.stringify({a: [1, 2.5, 'x']})]", "loop.js"),
        };
        var interpreted = Trace(ExecutionEngineKind.Interpreter, steps, out var a);
        var compiled = Trace(ExecutionEngineKind.Compiler, steps, out var b);
        Assert.Multiple(() =>
        {
            Assert.That(compiled, Is.EqualTo(interpreted));
            Assert.That(b, Is.EqualTo(a), "snapshot bytes differ");
        });

        // A snapshot taken under one engine continues identically under the other.
        var results = Engines.SelectMany(from => Engines.Select(to =>
        {
            var snapshot = from == ExecutionEngineKind.Interpreter ? a : b;
            using var restored = QuickJsEngine.Restore(snapshot, Options(to));
            var outcome = restored.Evaluate("[typeof handleCommand, Object.isFrozen(Object.prototype), [1,2,3].map(x => x * n)]");
            return $"{outcome} fuel={restored.FuelUsed} snapshot={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(restored.Snapshot()))}";
        })).ToArray();
        Assert.That(results.Distinct().Count(), Is.EqualTo(1), string.Join("\n", results));
    }

    [Test]
    public void FuelRunsOutAtTheSamePoint([Values(1_000, 57_321, 250_000, 1_000_003, 4_000_000)] long budget)
    {
        var steps = new[]
        {
            ("function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } let s = ''; for (let i = 0; i < 200; i++) s += fib(i % 15); s.length", "fuel.js"),
        };
        var interpreted = Trace(ExecutionEngineKind.Interpreter, steps, out _, budget);
        var compiled = Trace(ExecutionEngineKind.Compiler, steps, out _, budget);
        Assert.That(compiled, Is.EqualTo(interpreted));
    }

    private static string BundleSource(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return $"({document.RootElement.GetProperty("source").GetString()}\n)()".Trim();
    }
}
