using System.Text.Json;

namespace Vats.Bundler.Resolution;

/// <summary>
/// Node-style module resolution as Endo's bundler does it: relative paths with suffix search,
/// bare specifiers through <c>node_modules</c>, package <c>exports</c>/<c>imports</c> with
/// conditions matched in key order, then <c>module</c>, <c>main</c> and <c>index.js</c>.
/// </summary>
internal sealed class Resolver
{
    private static readonly string[] Suffixes = ["", ".js", ".json", "/index.js", "/index.json"];

    private static readonly HashSet<string> Builtins =
    [
        "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto", "dgram",
        "dns", "domain", "events", "fs", "http", "http2", "https", "inspector", "module", "net", "os", "path",
        "perf_hooks", "process", "punycode", "querystring", "readline", "repl", "stream", "string_decoder",
        "timers", "tls", "tty", "url", "util", "v8", "vm", "wasi", "worker_threads", "zlib",
    ];

    private readonly HashSet<string> _conditions;
    private readonly Dictionary<string, PackageInfo?> _packageByDir = new(StringComparer.Ordinal);

    public Resolver(IEnumerable<string> conditions)
    {
        _conditions = new HashSet<string>(conditions, StringComparer.Ordinal) { "import", "default", "endo" };
    }

    /// <summary>The package owning a file: the nearest directory with a package.json.</summary>
    public PackageInfo PackageOf(string file)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var pkg = PackageAt(dir);
            if (pkg is not null) return pkg;
        }
        return new PackageInfo { Directory = Path.GetDirectoryName(file)!, Name = "app", Version = "0.0.0" };
    }

    private PackageInfo? PackageAt(string dir)
    {
        if (_packageByDir.TryGetValue(dir, out var cached)) return cached;
        string json = Path.Combine(dir, "package.json");
        var pkg = File.Exists(json) ? PackageInfo.Load(dir, json) : null;
        _packageByDir[dir] = pkg;
        return pkg;
    }

    /// <summary>Resolves a specifier to an absolute file path, or returns an error message.</summary>
    public (string? Path, string? Error) Resolve(string specifier, string importerFile)
    {
        string importerDir = Path.GetDirectoryName(importerFile)!;
        if (specifier.StartsWith("./", StringComparison.Ordinal) || specifier.StartsWith("../", StringComparison.Ordinal)
            || specifier is "." or "..")
        {
            var found = WithSuffixes(Path.GetFullPath(Path.Combine(importerDir, specifier)));
            return found is null ? (null, $"cannot resolve '{specifier}'") : (found, null);
        }
        if (specifier.StartsWith('/')) return (null, $"absolute specifier '{specifier}' is not allowed");
        if (specifier.StartsWith("node:", StringComparison.Ordinal) || Builtins.Contains(specifier.Split('/')[0]))
            return (null, $"cannot bundle host module '{specifier}'");
        if (specifier.StartsWith('#'))
        {
            var owner = PackageOf(importerFile);
            if (owner.Imports is not { } importsMap) return (null, $"no \"imports\" entry for '{specifier}'");
            var target = MatchSubpath(importsMap, specifier);
            if (target is null) return (null, $"no \"imports\" entry for '{specifier}'");
            if (!target.StartsWith("./", StringComparison.Ordinal)) return Resolve(target, importerFile);
            var file = Path.GetFullPath(Path.Combine(owner.Directory, target));
            return File.Exists(file) ? (file, null) : (null, $"'{specifier}' maps to missing file '{target}'");
        }

        var (name, subpath) = SplitBare(specifier);
        var pkg = FindPackage(name, importerFile);
        if (pkg is null) return (null, $"cannot find package '{name}' (imported as '{specifier}')");
        return ResolveInPackage(pkg, subpath, specifier);
    }

    private static (string Name, string Subpath) SplitBare(string specifier)
    {
        var parts = specifier.Split('/');
        int n = specifier.StartsWith('@') && parts.Length > 1 ? 2 : 1;
        string name = string.Join('/', parts.Take(n));
        string rest = string.Join('/', parts.Skip(n));
        return (name, rest.Length == 0 ? "." : "./" + rest);
    }

    private PackageInfo? FindPackage(string name, string importerFile)
    {
        var self = PackageOf(importerFile);
        if (self.Name == name && self.Exports is not null) return self;
        for (var dir = Path.GetDirectoryName(importerFile); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Path.GetFileName(dir) == "node_modules") continue;
            string candidate = Path.Combine(dir, "node_modules", name);
            if (Directory.Exists(candidate))
            {
                var real = RealPath(candidate);
                var pkg = PackageAt(real);
                if (pkg is not null) return pkg;
            }
        }
        return self.Name == name ? self : null;
    }

    private static string RealPath(string dir)
    {
        var info = new DirectoryInfo(dir);
        if (info.LinkTarget is null) return dir;
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? dir;
    }

    private (string? Path, string? Error) ResolveInPackage(PackageInfo pkg, string subpath, string specifier)
    {
        if (pkg.Exports is { } exports)
        {
            var target = MatchSubpath(exports, subpath);
            if (target is null) return (null, $"'{subpath}' is not exported by package '{pkg.Name}' (imported as '{specifier}')");
            var file = Path.GetFullPath(Path.Combine(pkg.Directory, target));
            return File.Exists(file) ? (file, null) : (null, $"package '{pkg.Name}' exports missing file '{target}'");
        }
        if (subpath == ".")
        {
            foreach (var main in new[] { pkg.Module, pkg.Main, "./index.js" })
            {
                if (main is null) continue;
                var found = WithSuffixes(Path.GetFullPath(Path.Combine(pkg.Directory, main)));
                if (found is not null) return (found, null);
            }
            return (null, $"package '{pkg.Name}' has no entry point");
        }
        var deep = WithSuffixes(Path.GetFullPath(Path.Combine(pkg.Directory, subpath)));
        return deep is null ? (null, $"cannot resolve '{specifier}' in package '{pkg.Name}'") : (deep, null);
    }

    private static string? WithSuffixes(string basePath)
    {
        foreach (var suffix in Suffixes)
        {
            string candidate = basePath + suffix;
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Finds the target for a subpath in an exports/imports map (exact keys, then `*` patterns).</summary>
    private string? MatchSubpath(JsonElement map, string subpath)
    {
        bool isSubpathMap = map.ValueKind == JsonValueKind.Object
            && map.EnumerateObject().Any(p => p.Name.StartsWith('.') || p.Name.StartsWith('#'));
        if (!isSubpathMap) return subpath == "." ? Target(map, null) : null;
        if (map.TryGetProperty(subpath, out var exact)) return Target(exact, null);
        string? bestKey = null;
        string? bestMatch = null;
        foreach (var prop in map.EnumerateObject())
        {
            int star = prop.Name.IndexOf('*');
            if (star < 0) continue;
            string prefix = prop.Name[..star], suffix = prop.Name[(star + 1)..];
            if (subpath.Length >= prefix.Length + suffix.Length && subpath.StartsWith(prefix, StringComparison.Ordinal)
                && subpath.EndsWith(suffix, StringComparison.Ordinal)
                && (bestKey is null || prefix.Length > bestKey.IndexOf('*')))
            {
                bestKey = prop.Name;
                bestMatch = subpath.Substring(prefix.Length, subpath.Length - prefix.Length - suffix.Length);
            }
        }
        return bestKey is null ? null : Target(map.GetProperty(bestKey), bestMatch);
    }

    private string? Target(JsonElement target, string? starMatch)
    {
        switch (target.ValueKind)
        {
            case JsonValueKind.String:
                {
                    var s = target.GetString()!;
                    return starMatch is null ? s : s.Replace("*", starMatch, StringComparison.Ordinal);
                }
            case JsonValueKind.Array:
                foreach (var alternative in target.EnumerateArray())
                {
                    var r = Target(alternative, starMatch);
                    if (r is not null) return r;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var prop in target.EnumerateObject())
                {
                    if (!_conditions.Contains(prop.Name)) continue;
                    var r = Target(prop.Value, starMatch);
                    if (r is not null) return r;
                }
                return null;
            default:
                return null;
        }
    }
}
