using System.Diagnostics;
using System.Text.Json;

namespace Vats.Worker.Bench;

/// <summary>
/// The xsnap anchor: Agoric's real xsnap-worker built from its npm sources, and a Node harness that drives any
/// worker speaking xsnap's protocol through Agoric's own @agoric/xsnap driver. Found, or copied and set up once.
/// </summary>
internal sealed class XsnapAnchor(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The anchor to use, setting one up if needed; null (with the reason printed) when none can be had.</summary>
    public static XsnapAnchor? Locate(BenchOptions options, string root, Action<string> progress)
    {
        var configured = options.Anchor ?? Environment.GetEnvironmentVariable("VATS_XSNAP_ANCHOR");
        if (configured is not null)
        {
            var anchor = new XsnapAnchor(configured);
            if (anchor.IsReady) return anchor;
            Console.Error.WriteLine($"xsnap reference skipped: {configured} is not a set-up xsnap anchor (run its setup.sh)");
            return null;
        }
        var local = new XsnapAnchor(Path.Combine(root, "bench", "Vats.Worker.Bench", ".xsnap-anchor"));
        if (local.IsReady) return local;
        var source = Path.GetFullPath(Path.Combine(root, "..", "shared", "tools", "xsnap-anchor"));
        if (!File.Exists(Path.Combine(source, "setup.sh")))
        {
            Console.Error.WriteLine($"xsnap reference skipped: no xsnap anchor at {source}; pass --anchor DIR");
            return null;
        }
        progress($"setting up the xsnap anchor in {local.Directory} (npm packages and a C build of xsnap-worker; a few minutes, once)");
        CopyDirectory(source, local.Directory);
        var setup = Run("bash", local.Directory, [Path.Combine(local.Directory, "setup.sh")]);
        if (setup.ExitCode != 0 || !local.IsReady)
        {
            Console.Error.WriteLine($"xsnap reference skipped: the anchor's setup.sh failed:\n{setup.Error}");
            return null;
        }
        return local;
    }

    private bool IsReady => File.Exists(Path.Combine(Directory, "xsnap-bench.mjs")) &&
        File.Exists(Path.Combine(Directory, "node_modules", "@agoric", "xsnap", "xsnap-native", "xsnap", "build", "bin", "lin", "release", "xsnap-worker"));

    /// <summary>
    /// The anchor's "raw" part (spawn, lockdown, supervisor, snapshot, restore, loop, '?') with <paramref name="worker"/>
    /// (null: xsnap-worker); its JSON summary.
    /// </summary>
    public JsonElement Raw(string? worker, int reps, int roundTrips, IDictionary<string, string>? environment = null)
    {
        List<string> args = ["xsnap-bench.mjs", "--only", "raw", "--reps", $"{reps}", "--rtt", $"{roundTrips}"];
        if (worker is not null) args.AddRange(["--worker", worker]);
        var run = Run("node", Directory, args, environment);
        if (run.ExitCode != 0) throw new InvalidOperationException($"xsnap-bench.mjs failed ({run.ExitCode}):\n{run.Error}");
        var json = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(line => line.StartsWith('{'));
        return JsonDocument.Parse(json).RootElement.GetProperty("raw").GetProperty("summary").Clone();
    }

    /// <summary>Counter-vat deliveries through @agoric/xsnap with <paramref name="worker"/> (null: xsnap-worker).</summary>
    public JsonElement Counter(string script, string? worker, string counterBundlePath, int deliveries, int snapshots = 0)
    {
        List<string> args = [script, "--anchor", Directory, "--bundle", counterBundlePath, "--deliveries", $"{deliveries}", "--snapshots", $"{snapshots}"];
        if (worker is not null) args.AddRange(["--worker", worker]);
        var run = Run("node", Directory, args);
        if (run.ExitCode != 0) throw new InvalidOperationException($"counter-deliveries.mjs failed ({run.ExitCode}):\n{run.Error}");
        return JsonDocument.Parse(run.Output.Trim().Split('\n').Last()).RootElement.Clone();
    }

    private static (int ExitCode, string Output, string Error) Run(string program, string directory, IEnumerable<string> args,
        IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (environment is not null) foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    private static void CopyDirectory(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(source))
        {
            var destination = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, destination, overwrite: true);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(destination, File.GetUnixFileMode(file) | UnixFileMode.UserWrite);
        }
        foreach (var dir in System.IO.Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(dir);
            if (name is "node_modules" or "results") continue;
            CopyDirectory(dir, Path.Combine(target, name));
        }
    }
}
