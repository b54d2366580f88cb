using System.Text;
using Acornima.Ast;
using Vats.Bundler.Parsing;
using Vats.QuickJs;

namespace Vats.Bundler.Transform;

/// <summary>
/// Lowers a parsed ES module to a functor. Import and export declarations are removed (keeping line breaks) and
/// recorded; exported bindings are published through <c>liveVar</c> updaters: hoisted declarations at the start,
/// every binding again when the body completes, and at each assignment anywhere in the module (see
/// <see cref="EsmBodyWalker"/>).
/// </summary>
internal sealed class EsmTransform
{
    internal const string Hidden = "$h\u034F_";
    internal const string AssignObject = Hidden + "assign";
    internal const string MetaLocal = Hidden + "___meta";
    private const string DefaultLocal = Hidden + "default";

    private readonly ParsedSource _p;
    private readonly SourceEdits _edits;
    private readonly List<string> _specifiers = [];
    private readonly List<(string Spec, string Import, string Local)> _imports = [];
    private readonly List<(string Local, string Export, int Offset)> _localExports = [];
    private readonly List<(string Spec, string Import, string Export)> _reexports = [];
    private readonly List<string> _stars = [];
    private readonly HashSet<string> _hoisted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _constants = new(StringComparer.Ordinal);
    private bool _anonymousDefaultFunction;

    private EsmTransform(ParsedSource parsed)
    {
        _p = parsed;
        _edits = new SourceEdits(parsed.Text);
    }

    /// <summary>Parses and lowers a module; syntax errors are thrown as <see cref="BundleException"/>.</summary>
    public static EsmRecord Transform(string source, string file)
    {
        try
        {
            return Transform(JsParser.Module(source, file));
        }
        catch (JsSyntaxException e)
        {
            throw e.Error;
        }
    }

    public static EsmRecord Transform(ParsedSource parsed) => new EsmTransform(parsed).Run();

    private EsmRecord Run()
    {
        int? defaultEnd = null;
        foreach (var statement in _p.Program.Body)
        {
            switch (statement)
            {
                case ImportDeclaration import:
                    Import(import);
                    break;
                case ExportAllDeclaration all:
                    ExportAll(all);
                    break;
                case ExportNamedDeclaration named:
                    ExportNamed(named);
                    break;
                case ExportDefaultDeclaration exportDefault:
                    defaultEnd = ExportDefault(exportDefault);
                    break;
                case FunctionDeclaration { Id: { } id }:
                    _hoisted.Add(id.Name);
                    break;
                case VariableDeclaration declaration:
                    Declared(declaration, exported: false);
                    break;
            }
        }
        var walker = new EsmBodyWalker(_p, _edits, Assignable());
        walker.Walk();
        // After the walk, so that at the same offset the closings of nested rewrites come first.
        if (defaultEnd is { } end) _edits.Insert(end, "}.default;");
        Censor.Defang(_p, _edits);
        return Build(_edits.Apply(), walker);
    }

    private void AddSpecifier(string spec)
    {
        if (!_specifiers.Contains(spec)) _specifiers.Add(spec);
    }

    private static string ModuleExportName(Expression name) => name is Identifier id ? id.Name : ((StringLiteral)name).Value;

    private void Import(ImportDeclaration import)
    {
        string spec = import.Source.Value;
        AddSpecifier(spec);
        foreach (var specifier in import.Specifiers)
        {
            string imported = specifier switch
            {
                ImportDefaultSpecifier => "default",
                ImportNamespaceSpecifier => "*",
                ImportSpecifier named => ModuleExportName(named.Imported),
                _ => throw _p.Error(specifier.Start, "unsupported import form"),
            };
            _imports.Add((spec, imported, specifier.Local.Name));
        }
        _edits.Blank(import.Start, import.End);
    }

    private void ExportAll(ExportAllDeclaration all)
    {
        string spec = all.Source.Value;
        AddSpecifier(spec);
        if (all.Exported is null)
        {
            if (!_stars.Contains(spec)) _stars.Add(spec);
        }
        else
        {
            _reexports.Add((spec, "*", ModuleExportName(all.Exported)));
        }
        _edits.Blank(all.Start, all.End);
    }

    private void ExportNamed(ExportNamedDeclaration named)
    {
        switch (named.Declaration)
        {
            case null:
                break;
            case VariableDeclaration declaration:
                // Drop the keyword, keep the declaration.
                _edits.Blank(named.Start, named.Start + "export".Length);
                Declared(declaration, exported: true);
                return;
            case FunctionDeclaration { Id: { } id }:
                _edits.Blank(named.Start, named.Start + "export".Length);
                _localExports.Add((id.Name, id.Name, id.Start));
                _hoisted.Add(id.Name);
                return;
            case ClassDeclaration { Id: { } id }:
                _edits.Blank(named.Start, named.Start + "export".Length);
                _localExports.Add((id.Name, id.Name, id.Start));
                return;
            default:
                throw _p.Error(named.Declaration.Start, "unsupported export form");
        }
        var pairs = named.Specifiers.Select(s => (Local: ModuleExportName(s.Local), Export: ModuleExportName(s.Exported), s.Start));
        if (named.Source is { } source)
        {
            AddSpecifier(source.Value);
            foreach (var (local, exported, _) in pairs) _reexports.Add((source.Value, local, exported));
        }
        else
        {
            _localExports.AddRange(pairs);
        }
        _edits.Blank(named.Start, named.End);
    }

    private void Declared(VariableDeclaration declaration, bool exported)
    {
        var names = new List<Identifier>();
        foreach (var declarator in declaration.Declarations) BindingNames(declarator.Id, names);
        foreach (var id in names)
        {
            if (declaration.Kind is not (VariableDeclarationKind.Var or VariableDeclarationKind.Let)) _constants.Add(id.Name);
            if (exported) _localExports.Add((id.Name, id.Name, id.Start));
        }
    }

    /// <summary>The names a binding pattern declares, in source order.</summary>
    internal static void BindingNames(Node pattern, List<Identifier> names)
    {
        switch (pattern)
        {
            case Identifier id:
                names.Add(id);
                break;
            case ObjectPattern o:
                foreach (var property in o.Properties)
                    BindingNames(property is Property p ? p.Value : ((RestElement)property).Argument, names);
                break;
            case ArrayPattern a:
                foreach (var element in a.Elements)
                    if (element is not null) BindingNames(element, names);
                break;
            case AssignmentPattern withDefault:
                BindingNames(withDefault.Left, names);
                break;
            case RestElement rest:
                BindingNames(rest.Argument, names);
                break;
        }
    }

    /// <summary>Lowers <c>export default …</c>; returns where <c>}.default;</c> must close an expression, if it must.</summary>
    private int? ExportDefault(ExportDefaultDeclaration node)
    {
        int afterDefault = _p.SkipTrivia(node.Start + "export".Length) + "default".Length;
        switch (node.Declaration)
        {
            case FunctionDeclaration { Id: { } id }:
                _edits.Blank(node.Start, afterDefault);
                // Published when the body completes, not in the preamble: hoisting it would be right for import
                // cycles but would change the bytes of existing bundles (the lockdown bundle among them).
                _localExports.Add((id.Name, "default", id.Start));
                return null;
            case FunctionDeclaration function:
                {
                    // `function () {}` becomes `function $h͏_default () {}`, still hoisted; its name is fixed in the preamble.
                    _edits.Blank(node.Start, afterDefault);
                    int at = function.Async ? _p.SkipTrivia(function.Start + "async".Length) : function.Start;
                    at += "function".Length;
                    if (function.Generator) at = _p.SkipTrivia(at) + 1;
                    _edits.Insert(at, " " + DefaultLocal);
                    _hoisted.Add(DefaultLocal);
                    _anonymousDefaultFunction = true;
                    _localExports.Add((DefaultLocal, "default", -1));
                    return null;
                }
            case ClassDeclaration { Id: { } id }:
                _edits.Blank(node.Start, afterDefault);
                _localExports.Add((id.Name, "default", id.Start));
                return null;
            default:
                {
                    // An expression or an anonymous class: `const $h͏_default={default:…}.default;` names it "default".
                    var value = node.Declaration;
                    int first = _p.SkipTrivia(afterDefault);
                    int end = value.End;
                    // The tree leaves out parentheses around the expression; keep them inside the braces.
                    for (int at = first; at < value.Start; at = _p.SkipTrivia(at + 1))
                        if (_p.Text[at] == '(') end = _p.SkipTrivia(end) + 1;
                    _edits.Replace(node.Start, first, $"const {DefaultLocal}={{default:");
                    _localExports.Add((DefaultLocal, "default", -1));
                    return end;
                }
        }
    }

    /// <summary>Exported top-level bindings that code may assign: declared by var, let, function or class.</summary>
    private HashSet<string> Assignable()
    {
        var importLocals = _imports.Select(im => im.Local).ToHashSet(StringComparer.Ordinal);
        return _localExports.Select(e => e.Local)
            .Where(l => l != DefaultLocal && !importLocals.Contains(l) && !_constants.Contains(l) && _p.TopLevelNames.Contains(l))
            .ToHashSet(StringComparer.Ordinal);
    }

    private EsmRecord Build(string body, EsmBodyWalker walker)
    {
        var importLocals = _imports.ToDictionary(im => im.Local, im => (im.Spec, im.Import), StringComparer.Ordinal);
        var live = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var reexportMap = new SortedDictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        foreach (var (spec, imp, exp) in _reexports) Add(reexportMap, spec, (imp, exp));
        foreach (var (local, exp, offset) in _localExports)
        {
            if (importLocals.TryGetValue(local, out var source)) Add(reexportMap, source.Spec, (source.Import, exp));
            else
            {
                if (live.ContainsKey(exp)) throw _p.Error(Math.Max(offset, 0), $"duplicate export '{exp}'");
                live[exp] = local;
            }
        }
        var localsPublished = live.Values.Distinct().Order(StringComparer.Ordinal).ToList();

        var pre = new StringBuilder();
        if (_imports.Count > 0)
            pre.Append("let ").AppendJoin(',', _imports.Select(im => im.Local).Distinct()).Append(';');
        if (walker.VarsToDeclare.Count > 0)
            pre.Append("var ").AppendJoin(',', walker.VarsToDeclare).Append(';');
        if (walker.Assigned.Count > 0)
        {
            // The setter assigns the module's own binding, then publishes it; the getter serves `x += 1` and `x++`.
            pre.Append("const ").Append(AssignObject).Append("={");
            pre.AppendJoin(',', walker.Assigned.Select(n =>
                $"get {n}(){{return {n}}},set {n}({Hidden}v){{{n}={Hidden}v;{Hidden}live[{JavaScriptJson.Quote(n)}]({n})}}"));
            pre.Append("};");
        }
        if (_anonymousDefaultFunction)
            pre.Append($"Object.defineProperty({DefaultLocal},'name',{{value:'default'}});");
        // Functions and vars exist before the body runs (a module in an import cycle may use them first).
        foreach (var local in localsPublished.Where(l => _hoisted.Contains(l) || _p.TopLevelVars.Contains(l)))
            pre.Append($"{Hidden}live[{JavaScriptJson.Quote(local)}]({local});");
        pre.Append(Hidden).Append("imports([");
        bool firstSpec = true;
        foreach (var spec in _specifiers)
        {
            if (!firstSpec) pre.Append(',');
            firstSpec = false;
            pre.Append('[').Append(JavaScriptJson.Quote(spec)).Append(",[");
            bool firstName = true;
            foreach (var group in _imports.Where(im => im.Spec == spec).GroupBy(im => im.Import))
            {
                if (!firstName) pre.Append(',');
                firstName = false;
                pre.Append('[').Append(JavaScriptJson.Quote(group.Key)).Append(",[");
                pre.AppendJoin(',', group.Select(im => $"{Hidden}a=>({im.Local}={Hidden}a)"));
                pre.Append("]]");
            }
            pre.Append("]]");
        }
        pre.Append("]);");

        var post = new StringBuilder();
        foreach (var local in localsPublished)
            post.Append($"{Hidden}live[{JavaScriptJson.Quote(local)}]({local});");

        string functor =
            $"({{imports:{Hidden}imports,liveVar:{Hidden}live,onceVar:{Hidden}once,import:{Hidden}import,importMeta:{MetaLocal}}})=>(function(){{'use strict';"
            + pre + body + "\n;" + post + "\n})()";
        return new EsmRecord
        {
            Functor = functor,
            Imports = _specifiers.ToList(),
            StarExports = _stars.Order(StringComparer.Ordinal).ToList(),
            LiveExports = live,
            ReexportMap = reexportMap,
            NeedsImportMeta = walker.UsesImportMeta,
        };

        static void Add(SortedDictionary<string, List<(string, string)>> map, string key, (string, string) value)
        {
            if (!map.TryGetValue(key, out var list)) map[key] = list = [];
            list.Add(value);
        }
    }
}
