using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vats.Bundler;

namespace Vats.Supervisor.Build;

/// <summary>
/// Bundles the worker's boot bundles from the pinned npm packages, for the Vats.Supervisor build:
/// <code>Vats.Supervisor.Build --node-modules DIR --out DIR NAME=PACKAGE/ENTRY...</code>
/// For each NAME it writes <c>NAME.bundle</c> (nestedEvaluate JSON) and <c>NAME.bundle.sha256</c> into the
/// output folder, each only when its bytes change, so that an unchanged bundle does not recompile the assembly.
/// Errors are printed in MSBuild's canonical format (<c>origin: error VATSnnnn: text</c>); the exit code is 1.
/// </summary>
internal static partial class Program
{
    private static int Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            CheckInstall(options.NodeModules);
            foreach (var (name, spec) in options.Bundles) BuildOne(options, name, spec);
            return 0;
        }
        catch (ToolException e)
        {
            Console.Error.WriteLine($"{e.Origin}: error {e.Code}: {e.Message}");
            return 1;
        }
        catch (BundleException e)
        {
            // The message starts with file:line:column; MSBuild wants file(line,column).
            var m = LocatedMessage().Match(e.Message);
            Console.Error.WriteLine(m.Success
                ? $"{m.Groups[1].Value}({m.Groups[2].Value},{m.Groups[3].Value}): error VATS0003: {m.Groups[4].Value}"
                : $"Vats.Supervisor.Build: error VATS0003: {e.Message}");
            return 1;
        }
    }

    private static void BuildOne(Options options, string name, string spec)
    {
        var entry = Path.GetFullPath(Path.Combine(options.NodeModules, spec));
        if (!File.Exists(entry))
        {
            throw new ToolException("VATS0004", entry,
                $"the entry of the {name} bundle ({spec}) is not installed. {InstallHint(options.NodeModules)}");
        }
        var bundle = Bundle.Create(entry, new BundleOptions { Format = BundleFormat.NestedEvaluate });
        Directory.CreateDirectory(options.OutputDirectory);
        var path = Path.Combine(options.OutputDirectory, name + ".bundle");
        bool changed = WriteIfChanged(path, bundle.Utf8);
        changed |= WriteIfChanged(path + ".sha256", Encoding.ASCII.GetBytes(bundle.Sha256Hex + "\n"));
        Console.WriteLine(
            $"Vats.Supervisor: {name}.bundle from {spec}: {bundle.ModuleCount} modules, {bundle.Utf8.Length} bytes, " +
            $"sha256 {bundle.Sha256Hex}{(changed ? "" : " (unchanged)")}");
    }

    /// <summary>
    /// Fails unless node_modules holds exactly the versions package-lock.json pins, so that a stale install
    /// (a lock file changed by a pull, no <c>npm ci</c> since) is named as such rather than seen as a hash drift.
    /// </summary>
    private static void CheckInstall(string nodeModules)
    {
        var root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(nodeModules))!;
        var lockPath = Path.Combine(root, "package-lock.json");
        if (!Directory.Exists(nodeModules))
        {
            throw new ToolException("VATS0004", nodeModules, $"the pinned npm packages are not installed. {InstallHint(nodeModules)}");
        }
        if (!File.Exists(lockPath)) throw new ToolException("VATS0004", lockPath, "package-lock.json is missing");

        using var lockDoc = JsonDocument.Parse(File.ReadAllBytes(lockPath));
        if (!lockDoc.RootElement.TryGetProperty("packages", out var packages))
        {
            throw new ToolException("VATS0004", lockPath, "package-lock.json has no \"packages\" (lockfileVersion 2 or later is required)");
        }
        var problems = new List<string>();
        foreach (var package in packages.EnumerateObject())
        {
            if (!package.Name.StartsWith("node_modules/", StringComparison.Ordinal)) continue;
            var value = package.Value;
            if (Flag(value, "link") || !value.TryGetProperty("version", out var locked)) continue;
            var manifest = Path.Combine(root, package.Name, "package.json");
            var label = package.Name["node_modules/".Length..].Replace("/node_modules/", " > ", StringComparison.Ordinal);
            if (!File.Exists(manifest))
            {
                // npm leaves out optional packages for other platforms, and development ones with --omit=dev.
                bool mayBeAbsent = Flag(value, "optional") || Flag(value, "dev") || Flag(value, "devOptional") || Flag(value, "peer");
                if (!mayBeAbsent) problems.Add($"{label} is missing");
                continue;
            }
            using var manifestDoc = JsonDocument.Parse(File.ReadAllBytes(manifest));
            var installed = manifestDoc.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
            if (installed != locked.GetString()) problems.Add($"{label} is {installed ?? "unversioned"}, locked {locked.GetString()}");
        }
        if (problems.Count > 0)
        {
            var shown = string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : "");
            throw new ToolException("VATS0004", nodeModules,
                $"the installed npm packages do not match package-lock.json ({shown}). {InstallHint(nodeModules)}");
        }
    }

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;

    private static string InstallHint(string nodeModules)
    {
        var root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(nodeModules)))!;
        return $"Install them with: cd \"{root}\" && npm ci";
    }

    /// <summary>Writes through a temporary file and a rename, and only if the bytes differ; true if it wrote.</summary>
    private static bool WriteIfChanged(string path, byte[] bytes)
    {
        if (File.Exists(path) && new FileInfo(path).Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }
        var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp-" + Environment.ProcessId);
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
        return true;
    }

    [GeneratedRegex(@"^(.+?):(\d+):(\d+): (.*)$", RegexOptions.Singleline)]
    private static partial Regex LocatedMessage();

    private sealed record Options(string NodeModules, string OutputDirectory, IReadOnlyList<(string Name, string Spec)> Bundles)
    {
        private const string Usage = "usage: Vats.Supervisor.Build --node-modules DIR --out DIR NAME=PACKAGE/ENTRY...";

        public static Options Parse(string[] args)
        {
            string? nodeModules = null, output = null;
            var bundles = new List<(string, string)>();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--node-modules" when i + 1 < args.Length:
                        nodeModules = Path.GetFullPath(args[++i]);
                        break;
                    case "--out" when i + 1 < args.Length:
                        output = Path.GetFullPath(args[++i]);
                        break;
                    default:
                        var eq = args[i].IndexOf('=', StringComparison.Ordinal);
                        if (eq <= 0 || eq == args[i].Length - 1 || args[i].StartsWith('-'))
                        {
                            throw new ToolException("VATS0003", "Vats.Supervisor.Build", $"bad argument '{args[i]}'; {Usage}");
                        }
                        bundles.Add((args[i][..eq], args[i][(eq + 1)..]));
                        break;
                }
            }
            if (nodeModules is null || output is null || bundles.Count == 0)
            {
                throw new ToolException("VATS0003", "Vats.Supervisor.Build", Usage);
            }
            return new Options(nodeModules, output, bundles);
        }
    }

    private sealed class ToolException(string code, string origin, string message) : Exception(message)
    {
        public string Code { get; } = code;

        public string Origin { get; } = origin;
    }
}
