using System.Collections.Concurrent;
using System.Diagnostics;

namespace Vats.Wasm.Tests.Compiler;

/// <summary>
/// Random modules from binaryen's fuzzer (<c>wasm-opt -ttf</c>, restricted to the features the runtime supports; not
/// reference types, which binaryen 108 generates with typed function references — the spec suite covers them), run
/// under the interpreter and the compiler with several fuel budgets and depth limits: the descriptions of
/// <see cref="EngineDifferential"/> must be equal. Set VATS_WASM_RANDOM_MODULES to run more (default 2,000) and
/// VATS_WASM_RANDOM_SEED to start elsewhere.
/// </summary>
public sealed class RandomModuleTests
{
    private static readonly (long? Fuel, int Depth)[] Configurations = [(10_000_000, 50_000), (3_000, 50_000), (200_000, 60)];

    [Test]
    public void RandomModulesBehaveTheSameUnderBothEngines()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("VATS_WASM_RANDOM_MODULES"), out var n) && n > 0 ? n : 2_000;
        var first = int.TryParse(Environment.GetEnvironmentVariable("VATS_WASM_RANDOM_SEED"), out var s) ? s : 1;
        RequireWasmOpt();
        var differences = new ConcurrentBag<string>();
        var rejected = 0;
        var trapped = 0;
        var stopwatch = Stopwatch.StartNew();
        Parallel.For(first, first + count, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4) }, seed =>
        {
            var bytes = Generate(seed);
            foreach (var (fuel, depth) in Configurations)
            {
                var interpreted = EngineDifferential.Describe(bytes, ExecutionEngineKind.Interpreter, fuel, seed, depth);
                var compiled = EngineDifferential.Describe(bytes, ExecutionEngineKind.Compiler, fuel, seed, depth);
                if (interpreted.StartsWith("rejected", StringComparison.Ordinal)) Interlocked.Increment(ref rejected);
                if (interpreted.Contains("trap ", StringComparison.Ordinal)) Interlocked.Increment(ref trapped);
                if (interpreted != compiled)
                {
                    differences.Add($"seed {seed}, fuel {fuel}, depth {depth}:\n--- interpreter\n{interpreted}--- compiler\n{compiled}");
                    break;
                }
            }
        });
        var summary = $"wasm-random-differential: {count - differences.Count} same, {differences.Count} different " +
            $"({count} modules × {Configurations.Length} limits, {rejected} rejections, {trapped} runs with traps, {stopwatch.Elapsed.TotalSeconds:0} s)";
        TestContext.Error.WriteLine(summary);
        Assert.That(differences, Is.Empty, summary + "\n" + string.Join("\n", differences.Take(3)));
    }

    /// <summary>A module from binaryen's fuzzer, fed bytes from a seeded generator.</summary>
    internal static byte[] Generate(int seed)
    {
        var dir = Directory.CreateTempSubdirectory("vats-ttf-");
        try
        {
            var input = Path.Combine(dir.FullName, "seed.dat");
            var output = Path.Combine(dir.FullName, "module.wasm");
            var random = new Random(seed);
            var data = new byte[2_000 + random.Next(6_000)];
            random.NextBytes(data);
            File.WriteAllBytes(input, data);
            var start = new ProcessStartInfo("wasm-opt") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { input, "-ttf", "--mvp-features", "--enable-sign-ext", "--enable-nontrapping-float-to-int",
                         "--enable-bulk-memory", "--enable-multivalue", "-o", output })
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"wasm-opt failed on seed {seed}: {error}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void RequireWasmOpt()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("wasm-opt", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode == 0) return;
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        Assert.Fail("binaryen's wasm-opt is not installed: run `apt-get install binaryen` (Debian's package, version 108 or later)");
    }
}
