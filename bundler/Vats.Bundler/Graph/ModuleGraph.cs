using Vats.Bundler.Parsing;
using Vats.Bundler.Resolution;
using Vats.Bundler.Transform;
using Vats.QuickJs;

namespace Vats.Bundler.Graph;

internal enum ModuleKind { Esm, Cjs, Json }

/// <summary>One module of the graph, transformed and with its specifiers resolved.</summary>
internal sealed class ModuleNode
{
    public required string FullPath { get; init; }
    public required PackageInfo Package { get; init; }
    public required ModuleKind Kind { get; init; }
    public EsmRecord? Esm { get; init; }
    public CjsRecord? Cjs { get; init; }
    public byte[] Bytes { get; init; } = [];
    public string? JsonText { get; init; }
    public int Index { get; set; } = -1;

    /// <summary>Specifier as written → the module it names.</summary>
    public Dictionary<string, ModuleNode> Dependencies { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Specifiers => Esm?.Imports ?? Cjs?.Imports ?? (IReadOnlyList<string>)[];

    /// <summary>Path inside the package with forward slashes, e.g. <c>src/util.js</c>.</summary>
    public string PackagePath => Path.GetRelativePath(Package.Directory, FullPath).Replace('\\', '/');

    /// <summary>A location-independent name: <c>name-vversion/path</c>.</summary>
    public string DisplayName => $"{Package.CompartmentName}/{PackagePath}";
}

/// <summary>
/// The module graph from an entry file, in deterministic post-order (dependencies first,
/// in the order they are first imported; the entry last).
/// </summary>
internal sealed class ModuleGraph
{
    private readonly Resolver _resolver;
    private readonly SyntaxCheckQueue _syntax;
    private readonly Dictionary<string, ModuleNode> _byPath = new(StringComparer.Ordinal);
    private readonly List<ModuleNode> _order = [];

    private ModuleGraph(Resolver resolver, SyntaxCheckQueue syntax)
    {
        _resolver = resolver;
        _syntax = syntax;
    }

    public IReadOnlyList<ModuleNode> Modules => _order;

    public ModuleNode Entry => _order[^1];

    public static ModuleGraph Build(string entryFile, IEnumerable<string> conditions)
    {
        var full = Path.GetFullPath(entryFile);
        if (!File.Exists(full)) throw new BundleException($"{entryFile}: entry file not found");
        var graph = new ModuleGraph(new Resolver(conditions), new SyntaxCheckQueue());
        try
        {
            graph.Visit(full);
        }
        catch
        {
            // A syntax error in a module loaded before this failure is the error to report.
            graph.FinishSyntaxChecks();
            throw;
        }
        for (int i = 0; i < graph._order.Count; i++) graph._order[i].Index = i;
        return graph;
    }

    /// <summary>Waits for the QuickJS syntax checks of every module; throws the first error.</summary>
    public void FinishSyntaxChecks() => _syntax.Finish();

    private ModuleNode Visit(string path)
    {
        if (_byPath.TryGetValue(path, out var existing)) return existing;
        var node = Load(path);
        _byPath[path] = node;
        foreach (var spec in node.Specifiers)
        {
            var (resolved, error) = _resolver.Resolve(spec, path);
            if (resolved is null)
            {
                // A require() may sit in a branch that never runs (optional dependencies,
                // host-specific code), so CommonJS fails at run time, like Node, instead.
                if (node.Kind == ModuleKind.Cjs) continue;
                throw ErrorAtSpecifier(node, spec, error!);
            }
            node.Dependencies[spec] = Visit(resolved);
        }
        _order.Add(node);
        return node;
    }

    private static BundleException ErrorAtSpecifier(ModuleNode node, string spec, string message)
    {
        string text = System.Text.Encoding.UTF8.GetString(node.Bytes);
        int at = Math.Max(0, Math.Max(text.IndexOf('\'' + spec + '\'', StringComparison.Ordinal),
            text.IndexOf('"' + spec + '"', StringComparison.Ordinal)));
        return BundleException.At(DisplayPath(node.FullPath), text, at, message);
    }

    internal static string DisplayPath(string fullPath)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative;
    }

    private ModuleNode Load(string path)
    {
        var pkg = _resolver.PackageOf(path);
        var bytes = File.ReadAllBytes(path);
        string text = new System.Text.UTF8Encoding(false).GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        string display = DisplayPath(path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        switch (ext)
        {
            case ".json":
                try { using var _ = System.Text.Json.JsonDocument.Parse(bytes); }
                catch (System.Text.Json.JsonException e) { throw new BundleException($"{display}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: invalid JSON"); }
                return new ModuleNode { FullPath = path, Package = pkg, Kind = ModuleKind.Json, Bytes = bytes, JsonText = text.Trim() };
            case ".cjs":
                return FromParsed(() => JsParser.CommonJs(text, display));
            case ".mjs":
                return FromParsed(() => JsParser.Module(text, display));
            case ".js":
                return FromParsed(() => pkg.IsModuleType ? JsParser.Module(text, display) : JsParser.Detect(text, display));
            default:
                throw new BundleException($"{display}: cannot bundle files of type '{ext}'");
        }

        ModuleNode FromParsed(Func<ParsedSource> parse)
        {
            ParsedSource parsed;
            try
            {
                parsed = parse();
            }
            catch (JsSyntaxException e)
            {
                // QuickJS judges the module too; when it also finds an error, the engine's message wins (see Bundle.Create).
                _syntax.Enqueue(text, display, e.Kind);
                throw e.Error;
            }
            if (parsed.IsModule)
            {
                var esm = EsmTransform.Transform(parsed);
                _syntax.Enqueue(text, display, SourceKind.Module);
                return new() { FullPath = path, Package = pkg, Kind = ModuleKind.Esm, Bytes = bytes, Esm = esm };
            }
            var cjs = CjsTransform.Transform(parsed);
            _syntax.Enqueue(text, display, SourceKind.CommonJs);
            return new() { FullPath = path, Package = pkg, Kind = ModuleKind.Cjs, Bytes = bytes, Cjs = cjs };
        }
    }
}
