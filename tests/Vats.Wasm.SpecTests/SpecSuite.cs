using System.Collections.Concurrent;
using System.Diagnostics;

namespace Vats.Wasm.SpecTests;

/// <summary>
/// Runs the spec scripts, each at most once per test run. Each script runs on a thread of its own with a time
/// limit, so that a script stuck in a loop is reported instead of hanging the run. The thread has the default
/// stack size on purpose: the engine keeps wasm frames on the heap and must not need more.
/// </summary>
internal sealed class SpecSuite
{
    private static readonly Lazy<SpecSuite> LazyShared = new(() => new SpecSuite(SpecDirectory.Locate(), ExecutionEngineKind.Interpreter));
    private static readonly Lazy<SpecSuite> LazyCompiled = new(() => new SpecSuite(SpecDirectory.Locate(), ExecutionEngineKind.Compiler));
    private readonly ExecutionEngineKind _engine;

    private readonly ConcurrentDictionary<string, Lazy<SpecFileResult>> _results = new(StringComparer.Ordinal);
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), $"vats-wasm-spec-{Environment.ProcessId}-{Guid.NewGuid():N}");

    private SpecSuite(string directory, ExecutionEngineKind engine)
    {
        _engine = engine;
        Directory = directory;
        Files = SpecDirectory.WastFiles(directory);
    }

    /// <summary>The suite run by the interpreter.</summary>
    public static SpecSuite Shared => LazyShared.Value;

    /// <summary>The suite run by the compiler.</summary>
    public static SpecSuite Compiled => LazyCompiled.Value;

    public string Directory { get; }

    /// <summary>Full paths of the scripts, sorted by name.</summary>
    public IReadOnlyList<string> Files { get; }

    public static TimeSpan FileTimeout =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("VATS_WASM_SPEC_FILE_TIMEOUT_SECONDS"), out var s) && s > 0 ? s : 120);

    public static int Parallelism =>
        int.TryParse(Environment.GetEnvironmentVariable("VATS_WASM_SPEC_PARALLELISM"), out var n) && n > 0
            ? n
            : Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Script names chosen with VATS_WASM_SPEC_ONLY (comma-separated, ".wast" optional), or null for all.</summary>
    public static IReadOnlySet<string>? SelectedScripts =>
        Environment.GetEnvironmentVariable("VATS_WASM_SPEC_ONLY") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => n.EndsWith(".wast", StringComparison.Ordinal) ? n : n + ".wast")
                .ToHashSet(StringComparer.Ordinal)
            : null;

    /// <summary>
    /// Runs every script, or those in <paramref name="only"/> (biggest first, so the parallel workers finish
    /// together), and returns the results sorted by file name.
    /// </summary>
    public IReadOnlyList<SpecFileResult> RunAll(IReadOnlySet<string>? only = null)
    {
        Wast2Json.EnsureAvailable();
        var selected = Files.Where(f => only is null || only.Contains(Path.GetFileName(f))).ToArray();
        if (only is not null && selected.Length != only.Count)
        {
            var unknown = only.Except(selected.Select(Path.GetFileName)!);
            throw new FileNotFoundException($"VATS_WASM_SPEC_ONLY names scripts that do not exist in {Directory}: {string.Join(", ", unknown)}");
        }
        var bySize = selected.OrderByDescending(f => new FileInfo(f).Length).ToArray();
        Parallel.ForEach(bySize, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, file => Run(file));
        return selected.Select(Run).ToArray();
    }

    /// <summary>Runs one script (given by file name or full path) unless it already ran.</summary>
    public SpecFileResult Run(string file)
    {
        var path = Path.IsPathRooted(file) ? file : Path.Combine(Directory, file);
        return _results.GetOrAdd(path, p => new Lazy<SpecFileResult>(() => RunUncached(p))).Value;
    }

    private SpecFileResult RunUncached(string wastPath) =>
        RunScript(wastPath, Path.Combine(_workDirectory, Path.GetFileNameWithoutExtension(wastPath)), FileTimeout, _engine);

    /// <summary>Converts and runs one script in <paramref name="outputDirectory"/> (deleted afterwards).</summary>
    public static SpecFileResult RunScript(string wastPath, string outputDirectory, TimeSpan timeout,
        ExecutionEngineKind engine = ExecutionEngineKind.Interpreter)
    {
        var name = Path.GetFileName(wastPath);
        var result = new SpecFileResult(name);
        var final = result;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var conversion = Wast2Json.Convert(wastPath, outputDirectory);
            if (conversion.JsonPath is null)
            {
                result.SkipWholeFile(conversion.Error ?? "unknown error");
                return result;
            }
            var commands = SpecScript.Load(conversion.JsonPath).Commands;
            final = RunWithLimits(name, outputDirectory, commands, result, timeout, engine);
            return final;
        }
        finally
        {
            final.Elapsed = stopwatch.Elapsed;
            TryDelete(outputDirectory);
        }
    }

    private static SpecFileResult RunWithLimits(string name, string directory, List<SpecCommand> commands, SpecFileResult result, TimeSpan limit,
        ExecutionEngineKind engine)
    {
        using var cancel = new CancellationTokenSource();
        Exception? crash = null;
        var thread = new Thread(() =>
        {
            try
            {
                new SpecFileRunner(directory, result, engine).Run(commands, cancel.Token);
            }
            catch (Exception e)
            {
                crash = e;
            }
        })
        {
            IsBackground = true,
            Name = $"spec {name}",
        };
        thread.Start();
        if (!thread.Join(limit))
        {
            // A managed thread cannot be stopped: leave it (it is a background thread) and report from a copy.
            cancel.Cancel();
            var snapshot = result.Snapshot();
            var notRun = Math.Max(0, commands.Count - (snapshot.Passed + snapshot.Failed + snapshot.Skipped) - 1);
            snapshot.RecordTimeout(notRun, limit);
            return snapshot;
        }
        if (crash is not null) throw new InvalidOperationException($"the runner itself failed on {name}", crash);
        return result;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in the temp folder are harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
