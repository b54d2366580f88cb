using System.Diagnostics;
using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;
using Vats.Wasm.Tests.TestSupport;

namespace Vats.Wasm.Tests.Fuzz;

/// <summary>
/// Bad input never crashes the runtime: randomly damaged copies of valid modules go through compile
/// (decode + validate) and instantiate (link, segments, start function); the exports of the small ones and the
/// ctor and QTS_NewRuntime of QuickJS are then called. The only exceptions allowed out are the runtime's typed
/// errors (<see cref="WasmException"/>).
/// </summary>
public sealed class MutatedModuleFuzzTests
{
    private const int RandomSeed = 20_261_122;
    private const int TotalCases = 10_000;
    private const int QuickJsEvery = 33; // about 300 of the cases mutate the 500 KB QuickJS module
    private const long ExportCallFuel = 20_000;
    private const int FailuresReported = 10;

    // A QuickJS mutant that instantiates also runs its ctor and QTS_NewRuntime (full fuel budget each).
    private static readonly string[] QuickJsStartupExports = [QuickJsExports.WasmCallCtors, QuickJsExports.NewRuntime];

    // Small caps so that a mutated size or a mutated start function cannot exhaust memory or time.
    private static readonly RuntimeOptions Options = new()
    {
        MaxMemoryPages = 256,
        MaxTableElements = 100_000,
        FuelPerCall = 1_000_000,
    };

    [Test]
    public void MutatedModulesRaiseOnlyTypedErrors()
    {
        var small = FuzzSeeds.Small();
        var quickJs = QuickJsWasm.Bytes;
        foreach (var (name, bytes) in small.Append(("quickjs", quickJs)))
        {
            try
            {
                CompiledModule.Compile(bytes);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {name} is a valid module but does not compile, so it cannot seed the fuzzer: {e}");
            }
        }

        var mutator = new ModuleMutator(new Random(RandomSeed));
        var donors = small.Select(s => s.Bytes).ToList();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var failureCount = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < TotalCases; i++)
        {
            string group, seedName, mutation;
            byte[] mutant;
            if (i % QuickJsEvery == 0)
            {
                (group, seedName) = ("quickjs", "quickjs");
                mutant = mutator.MutateFewBytes(quickJs, out mutation);
            }
            else
            {
                var seed = small[i % small.Count];
                (group, seedName) = ("small", seed.Name);
                mutant = mutator.MutateFreely(seed.Bytes, donors, out mutation);
            }

            try
            {
                RunCase(group, mutant, outcomes);
            }
            catch (Exception e)
            {
                // Anything but a WasmException is a bug in the runtime; keep the input for reproduction.
                failureCount++;
                Count(outcomes, group, $"UNEXPECTED {e.GetType().Name}");
                if (failures.Count < FailuresReported) failures.Add(Describe(i, seedName, mutation, mutant, e));
            }
        }
        stopwatch.Stop();

        TestContext.Out.WriteLine($"fuzz: {TotalCases} mutated modules in {stopwatch.Elapsed.TotalSeconds:F1} s (seed {RandomSeed}, {small.Count} small seeds + QuickJS)");
        foreach (var (outcome, count) in outcomes) TestContext.Out.WriteLine($"  {outcome}: {count}");
        // One line on stderr, which dotnet test shows at its default verbosity.
        TestContext.Error.WriteLine($"fuzz: {TotalCases} mutated modules, {failureCount} untyped exceptions");

        Assert.That(failures, Is.Empty, $"{failureCount} mutated modules raised an untyped exception; the first {failures.Count}:\n{string.Join("\n\n", failures)}");
        Assert.Multiple(() =>
        {
            // The mutations must reach every stage, or the test proves little.
            Assert.That(outcomes.GetValueOrDefault("small: MalformedModuleException"), Is.GreaterThan(0), "no mutant was malformed");
            Assert.That(outcomes.GetValueOrDefault("small: InvalidModuleException"), Is.GreaterThan(0), "no mutant was invalid");
            Assert.That(outcomes.GetValueOrDefault("small: instantiated"), Is.GreaterThan(0), "no mutant instantiated");
            Assert.That(outcomes.Where(o => o.Key.StartsWith("quickjs: ", StringComparison.Ordinal)).Sum(o => o.Value),
                Is.EqualTo((TotalCases + QuickJsEvery - 1) / QuickJsEvery), "QuickJS mutants");
        });
    }

    private static void RunCase(string group, byte[] bytes, SortedDictionary<string, int> outcomes)
    {
        Store store;
        Instance instance;
        try
        {
            var compiled = CompiledModule.Compile(bytes);
            store = new Store(Options);
            instance = Instance.Instantiate(store, compiled, StubImports.For(compiled.Module, Options));
        }
        catch (WasmException e)
        {
            Count(outcomes, group, Name(e));
            return;
        }
        Count(outcomes, group, "instantiated");

        IEnumerable<Extern> calls;
        if (group == "quickjs")
        {
            calls = QuickJsStartupExports.Select(name => instance.Exports.GetValueOrDefault(name)).OfType<Extern>();
        }
        else
        {
            store.FuelPerCall = ExportCallFuel;
            calls = instance.Exports.Values;
        }
        foreach (var export in calls)
        {
            if (export is not Function function) continue;
            var args = function.Type.Parameters.Select(type => new WasmValue(type, 0)).ToArray();
            try
            {
                function.Invoke(args);
                Count(outcomes, group + " export call", "returned");
            }
            catch (WasmException e)
            {
                Count(outcomes, group + " export call", Name(e));
            }
        }
    }

    private static string Name(WasmException e) => e is TrapException trap ? $"TrapException ({trap.Kind})" : e.GetType().Name;

    private static void Count(SortedDictionary<string, int> outcomes, string group, string outcome)
    {
        var key = $"{group}: {outcome}";
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
    }

    private static string Describe(int index, string seedName, string mutation, byte[] mutant, Exception e)
    {
        var dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "fuzz-failures");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"case-{index}.wasm");
        File.WriteAllBytes(file, mutant);
        return $"case {index} (seed {seedName}; {mutation}; saved as {file}):\n{e}";
    }
}
