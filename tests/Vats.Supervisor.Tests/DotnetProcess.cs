using System.Diagnostics;
using System.Text;

namespace Vats.Supervisor.Tests;

/// <summary>
/// Runs the dotnet CLI in a child process: no build servers or nodes left behind, no telemetry or banners, none of
/// the MSBuild variables of the build that started the tests.
/// </summary>
internal static class DotnetProcess
{
    /// <summary>Arguments every child build or pack gets.</summary>
    public static readonly string[] BuildFlags =
        ["-nodeReuse:false", "-p:UseSharedCompilation=false", "--disable-build-servers", "-tl:off", "-nologo"];

    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s:\n{Output}";
    }

    /// <summary>Runs <c>dotnet COMMAND PATH ARGS… BuildFlags</c> (build, pack, restore).</summary>
    public static Result Build(string workingDirectory, string command, string path, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Run(workingDirectory, [command, path, .. arguments, .. BuildFlags], environment);

    public static Result Run(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Host())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)) start.Environment.Remove(key);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', start.ArgumentList)} did not finish in 3 minutes:\n{output}");
        }
        process.WaitForExit();
        lock (output) return new Result(process.ExitCode, output.ToString(), watch.Elapsed);
    }

    /// <summary>The dotnet executable that runs these tests, else the one on PATH.</summary>
    private static string Host()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }
}
