using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Vats.Wasm.Tests.TestSupport;

namespace Vats.Wasm.Bench;

/// <summary>What the run on Node's V8 measured (reported by the script as JSON).</summary>
internal sealed record V8Result(string Engine, double CompileMs, double InstantiateMs, Timings Loop, double Value);

/// <summary>Runs the same wasm and JS loop on Node's V8 through v8-quickjs-loop.cjs, which prints its timings as JSON.</summary>
internal static class V8Run
{
    public const string ScriptRelativePath = "bench/Vats.Wasm.Bench/v8-quickjs-loop.cjs";

    /// <summary>`node --version`, or null if node cannot be started.</summary>
    public static string? NodeVersion()
    {
        try
        {
            var (exitCode, stdout, _) = RunNode(["--version"]);
            return exitCode == 0 ? stdout.Trim() : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    public static V8Result Run(BenchOptions options)
    {
        var script = RepoPaths.Combine(ScriptRelativePath);
        if (!File.Exists(script)) throw new FileNotFoundException($"V8 benchmark script missing: {script}", script);
        var (exitCode, stdout, stderr) = RunNode(
        [
            script, "--wasm", QuickJsWasm.FilePath, "--source", options.LoopSource,
            "--repetitions", options.Repetitions.ToString(), "--warmup", options.Warmup.ToString(),
        ]);
        if (exitCode != 0) throw new InvalidOperationException($"node {ScriptRelativePath} failed with exit code {exitCode}: {stderr.Trim()}");
        try
        {
            using var json = JsonDocument.Parse(stdout);
            var root = json.RootElement;
            var times = root.GetProperty("timesMs").EnumerateArray().Select(t => t.GetDouble()).ToList();
            return new V8Result(
                root.GetProperty("engine").GetString() ?? "V8",
                root.GetProperty("compileMs").GetDouble(),
                root.GetProperty("instantiateMs").GetDouble(),
                new Timings(times),
                root.GetProperty("value").GetDouble());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"node {ScriptRelativePath} printed something other than its JSON result: {stdout.Trim()}", e);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) RunNode(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
