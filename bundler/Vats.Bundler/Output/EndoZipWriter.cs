using System.Security.Cryptography;
using System.Text;
using Vats.Bundler.Graph;
using Vats.Bundler.Transform;

namespace Vats.Bundler.Output;

/// <summary>
/// Writes an endoZipBase64 archive: compartment-map.json (one compartment per package, named
/// name-vversion), pre-mjs-json / pre-cjs-json records and raw JSON modules.
/// </summary>
internal static class EndoZipWriter
{
    public static (byte[] Zip, string Sha512) Write(ModuleGraph graph)
    {
        var names = CompartmentNames(graph);
        var files = new SortedDictionary<string, SortedDictionary<string, (string Location, string Parser, byte[] Bytes)>>(StringComparer.Ordinal);
        var aliases = new Dictionary<string, SortedDictionary<string, (string Compartment, string Module)>>(StringComparer.Ordinal);
        foreach (var name in names.Values)
        {
            files[name] = new(StringComparer.Ordinal);
            aliases[name] = new(StringComparer.Ordinal);
        }
        foreach (var node in graph.Modules)
        {
            string compartment = names[node.Package.Directory];
            string specifier = "./" + node.PackagePath;
            var (parser, bytes) = Record(node);
            files[compartment][specifier] = (node.PackagePath, parser, bytes);
            foreach (var (spec, dep) in node.Dependencies)
            {
                string key = IsRelative(spec) ? Join(spec, specifier) : spec;
                string depCompartment = names[dep.Package.Directory];
                string depSpecifier = "./" + dep.PackagePath;
                if (key == depSpecifier && depCompartment == compartment) continue;
                aliases[compartment][key] = (depCompartment, depSpecifier);
            }
        }

        var compartments = new JsObject();
        foreach (var (name, modules) in files)
        {
            var pkg = graph.Modules.First(m => names[m.Package.Directory] == name).Package;
            var moduleMap = new SortedDictionary<string, object>(StringComparer.Ordinal);
            foreach (var (spec, (location, parser, bytes)) in modules)
                moduleMap[spec] = new JsObject { { "location", location }, { "parser", parser }, { "sha512", Sha512Hex(bytes) } };
            foreach (var (spec, (comp, module)) in aliases[name])
                if (!moduleMap.ContainsKey(spec)) moduleMap[spec] = new JsObject { { "compartment", comp }, { "module", module } };
            var modulesObject = new JsObject();
            foreach (var (k, v) in moduleMap) modulesObject.Add(k, v);
            bool isRoot = pkg.Directory == graph.Entry.Package.Directory;
            compartments.Add(name, new JsObject
            {
                { "name", pkg.Name },
                { "label", isRoot ? "$root$" : pkg.Name },
                { "location", name },
                { "modules", modulesObject },
            });
        }
        var map = new JsObject
        {
            { "tags", new List<object>() },
            { "entry", new JsObject { { "compartment", names[graph.Entry.Package.Directory] }, { "module", "./" + graph.Entry.PackagePath } } },
            { "compartments", compartments },
        };
        var mapBytes = new UTF8Encoding(false).GetBytes(JsJson.Stringify(map, 2));
        var zip = new StoreZip();
        zip.Add("compartment-map.json", mapBytes);
        foreach (var (name, modules) in files)
            foreach (var (_, (location, _, bytes)) in modules)
                zip.Add(name + "/" + location, bytes);
        return (zip.ToArray(), Sha512Hex(mapBytes));
    }

    private static string Sha512Hex(byte[] bytes) => Convert.ToHexStringLower(SHA512.HashData(bytes));

    private static bool IsRelative(string spec) =>
        spec is "." or ".." || spec.StartsWith("./", StringComparison.Ordinal) || spec.StartsWith("../", StringComparison.Ordinal);

    /// <summary>Joins a relative specifier to its referrer as the archive loader does.</summary>
    private static string Join(string spec, string referrer)
    {
        var solution = new List<string> { "." };
        var problem = referrer.Split('/').SkipLast(1).Concat(spec.Split('/'));
        foreach (var part in problem)
        {
            if (part is "." or "") continue;
            if (part == "..") { if (solution.Count == 0) throw new BundleException($"specifier '{spec}' leaves its package"); solution.RemoveAt(solution.Count - 1); }
            else solution.Add(part);
        }
        return string.Join('/', solution);
    }

    /// <summary>name-vversion per package directory; duplicates get -n2, -n3… in a stable order.</summary>
    private static Dictionary<string, string> CompartmentNames(ModuleGraph graph)
    {
        var rootDir = graph.Entry.Package.Directory;
        var packages = graph.Modules.Select(m => m.Package).DistinctBy(p => p.Directory)
            .OrderBy(p => p.CompartmentName, StringComparer.Ordinal)
            .ThenBy(p => Path.GetRelativePath(rootDir, p.Directory).Replace('\\', '/'), StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in packages)
        {
            int n = used.GetValueOrDefault(p.CompartmentName) + 1;
            used[p.CompartmentName] = n;
            result[p.Directory] = n == 1 ? p.CompartmentName : $"{p.CompartmentName}-n{n}";
        }
        return result;
    }

    /// <summary>SES evaluates each module text separately; each must avoid the censored patterns.</summary>
    private static string Censored(ModuleNode node, string functor)
    {
        if (Censor.FirstRejected(functor) is { } rejected)
            throw new BundleException($"{node.DisplayName}: module text would contain '{rejected.Pattern}', which SES rejects");
        return functor;
    }

    private static (string Parser, byte[] Bytes) Record(ModuleNode node)
    {
        switch (node.Kind)
        {
            case ModuleKind.Json:
                return ("json", node.Bytes);
            case ModuleKind.Cjs:
                {
                    var cjs = node.Cjs!;
                    var record = new JsObject
                    {
                        { "imports", cjs.Imports.Where(node.Dependencies.ContainsKey).ToList() },
                        { "exports", StaticExports.Of(node).Order(StringComparer.Ordinal).ToList() },
                        { "reexports", cjs.Reexports.Where(node.Dependencies.ContainsKey).ToList() },
                        { "source", Censored(node, cjs.Functor) },
                    };
                    return ("pre-cjs-json", Encoding.UTF8.GetBytes(JsJson.Stringify(record)));
                }
            default:
                {
                    var esm = node.Esm!;
                    var live = new JsObject();
                    foreach (var (exportName, local) in esm.LiveExports) live.Add(exportName, new List<object> { local, false });
                    var reexportMap = new JsObject();
                    foreach (var (spec, pairs) in esm.ReexportMap)
                        reexportMap.Add(spec, pairs.Select(p => new List<object> { p.Import, p.Export }).ToList());
                    var record = new JsObject
                    {
                        { "imports", esm.Imports },
                        { "exports", esm.ExportNames.ToList() },
                        { "reexports", esm.StarExports },
                        { "__syncModuleProgram__", Censored(node, esm.Functor) },
                        { "__liveExportMap__", live },
                        { "__reexportMap__", reexportMap },
                        { "__fixedExportMap__", new JsObject() },
                        { "__needsImport__", false },
                        { "__needsImportMeta__", esm.NeedsImportMeta },
                    };
                    return ("pre-mjs-json", Encoding.UTF8.GetBytes(JsJson.Stringify(record)));
                }
        }
    }
}
