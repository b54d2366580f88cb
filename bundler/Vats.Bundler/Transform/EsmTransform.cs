using System.Text;
using Vats.Bundler.Lexing;
using Vats.Bundler.Output;
using Vats.QuickJs;

namespace Vats.Bundler.Transform;

/// <summary>
/// Lowers an ES module to a functor at the token level. Exported bindings are published through
/// <c>liveVar</c> updaters: hoisted declarations at the start, every binding again when the body
/// completes, and after each assignment to an exported binding anywhere in the module, so that
/// reassigned exports stay live in importers.
/// </summary>
internal sealed class EsmTransform
{
    internal const string Hidden = "$h\u034F_";
    private const string SetterObject = Hidden + "set";
    private const string DefaultLocal = Hidden + "default";
    private const string MetaLocal = Hidden + "___meta";

    private static readonly string[] AssignmentOperators =
        ["=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??="];

    private readonly TokenCursor _c;
    private readonly SourceEdits _edits;
    private readonly List<string> _specifiers = [];
    private readonly List<(string Spec, string Import, string Local)> _imports = [];
    private readonly List<(string Local, string Export, int Index)> _localExports = [];
    private readonly List<(string Spec, string Import, string Export)> _reexports = [];
    private readonly List<string> _stars = [];
    private readonly HashSet<string> _hoisted = new(StringComparer.Ordinal);
    private readonly HashSet<int> _declarationSites = [];
    private readonly SortedSet<string> _usedSetters = new(StringComparer.Ordinal);
    private bool _needsMeta;
    private bool _anonymousDefaultFunction;

    private EsmTransform(string source, string file, List<Token> tokens)
    {
        _c = new TokenCursor(source, tokens, file);
        _edits = new SourceEdits(source);
    }

    /// <summary>True when the text has top-level import or export declarations.</summary>
    public static bool LooksLikeModule(string source, List<Token> tokens)
    {
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            var t = tokens[i];
            if (t.Depth != 0 || t.Kind != TokenKind.Identifier) continue;
            if (i > 0 && (tokens[i - 1].Is(source, ".") || tokens[i - 1].Is(source, "?."))) continue;
            if (t.Is(source, "export")) return true;
            if (t.Is(source, "import") && !tokens[i + 1].Is(source, "(") && !tokens[i + 1].Is(source, ".")) return true;
        }
        return false;
    }

    public static EsmRecord Transform(string source, string file)
    {
        var (tokens, comments) = JsLexer.Tokenize(source, file);
        if (source.Contains(Hidden, StringComparison.Ordinal))
        {
            foreach (var token in tokens)
            {
                if (token.Kind == TokenKind.Identifier && source.AsSpan(token.Start, token.Length).StartsWith(Hidden))
                    throw BundleException.At(file, source, token.Start, "identifier uses the prefix reserved for bundle internals");
            }
        }
        var t = new EsmTransform(source, file, tokens);
        GrammarChecks.Check(t._c, isModule: true);
        return t.Run(comments);
    }

    private EsmRecord Run(List<Comment> comments)
    {
        var tokens = _c.Tokens;
        ScanTopLevelDeclarations();
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            var t = tokens[i];
            if (t.Kind != TokenKind.Identifier) continue;
            bool afterDot = i > 0 && (_c.Is(i - 1, ".") || _c.Is(i - 1, "?."));
            if (afterDot) continue;
            if (t.Depth == 0 && _c.Is(i, "export")) { i = Export(i); continue; }
            if (t.Depth == 0 && _c.Is(i, "await"))
                throw _c.Error(i, "top-level await is not supported in bundles");
            if (_c.Is(i, "import"))
            {
                if (_c.Is(i + 1, "."))
                {
                    if (!_c.Is(i + 2, "meta")) throw _c.Error(i, "unexpected import.");
                    _edits.Replace(t.Start, _c[i + 2].End, MetaLocal);
                    _needsMeta = true;
                    i += 2;
                    continue;
                }
                if (_c.Is(i + 1, "("))
                {
                    if (CodeRewrites.IsMethodName(_c, i)) continue;
                    throw _c.Error(i, "dynamic import() is not supported in bundles");
                }
                if (t.Depth == 0) { i = Import(i); continue; }
            }
        }
        RewriteAssignments();
        CodeRewrites.Apply(_c, _edits);
        Censor.Defang(_c.Source, tokens, comments, _edits);
        string body = _edits.Apply();
        return Build(body);
    }

    private void AddSpecifier(string spec)
    {
        if (!_specifiers.Contains(spec)) _specifiers.Add(spec);
    }

    /// <summary>Records top-level let/const/var/function/class names and their binding tokens.</summary>
    private void ScanTopLevelDeclarations()
    {
        var tokens = _c.Tokens;
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            if (tokens[i].Depth != 0 || tokens[i].Kind != TokenKind.Identifier) continue;
            bool statementStart = i == 0 || _c.Is(i - 1, ";") || _c.Is(i - 1, "}") || _c.Is(i - 1, "export")
                || (tokens[i].NewlineBefore && _c.CanEndExpression(i - 1));
            if (!statementStart) continue;
            if (_c.Is(i, "let") || _c.Is(i, "const") || _c.Is(i, "var"))
            {
                if (_c[i + 1].Kind != TokenKind.Identifier && !_c.Is(i + 1, "{") && !_c.Is(i + 1, "[")) continue;
                var names = new List<(string, int)>();
                _c.Declarators(i + 1, names);
                foreach (var (_, index) in names) _declarationSites.Add(index);
            }
            else if (_c.Is(i, "function") || (_c.Is(i, "async") && _c.Is(i + 1, "function") && !_c[i + 1].NewlineBefore))
            {
                int k = _c.Is(i, "async") ? i + 2 : i + 1;
                if (_c.Is(k, "*")) k++;
                if (_c[k].Kind == TokenKind.Identifier) _hoisted.Add(_c.Text(k));
            }
        }
    }

    private int SkipAttributesAndSemicolon(int k)
    {
        if ((_c.Is(k, "with") || _c.Is(k, "assert")) && !_c[k].NewlineBefore && _c.Is(k + 1, "{")) k = _c.Matching(k + 1) + 1;
        if (_c.Is(k, ";")) k++;
        return k;
    }

    private int Import(int i)
    {
        int k = i + 1;
        if (_c[k].Kind == TokenKind.String)
        {
            AddSpecifier(_c.StringValue(k));
            k = SkipAttributesAndSemicolon(k + 1);
            _edits.Blank(_c[i].Start, _c[k - 1].End);
            return k - 1;
        }
        var bindings = new List<(string Import, string Local)>();
        if (_c[k].Kind == TokenKind.Identifier && !_c.Is(k, "from"))
        {
            bindings.Add(("default", _c.Text(k)));
            k++;
            if (_c.Is(k, ",")) k++;
        }
        else if (_c.Is(k, "from") && _c.Is(k + 1, "from"))
        {
            bindings.Add(("default", "from"));
            k++;
        }
        if (_c.Is(k, "*"))
        {
            if (!_c.Is(k + 1, "as")) throw _c.Error(k, "expected 'as'");
            bindings.Add(("*", _c.Text(k + 2)));
            k += 3;
        }
        else if (_c.Is(k, "{"))
        {
            int close = _c.Matching(k);
            k++;
            while (k < close)
            {
                string imported = _c.ModuleExportName(k);
                string local = imported;
                if (_c.Is(k + 1, "as")) { local = _c.Text(k + 2); k += 3; } else k++;
                bindings.Add((imported, local));
                if (_c.Is(k, ",")) k++;
            }
            k = close + 1;
        }
        if (!_c.Is(k, "from")) throw _c.Error(k, "expected 'from' in import declaration");
        string spec = _c.StringValue(k + 1);
        AddSpecifier(spec);
        foreach (var (imp, local) in bindings) _imports.Add((spec, imp, local));
        k = SkipAttributesAndSemicolon(k + 2);
        _edits.Blank(_c[i].Start, _c[k - 1].End);
        return k - 1;
    }

    private int Export(int i)
    {
        int k = i + 1;
        if (_c.Is(k, "*"))
        {
            string? asName = null;
            k++;
            if (_c.Is(k, "as")) { asName = _c.ModuleExportName(k + 1); k += 2; }
            if (!_c.Is(k, "from")) throw _c.Error(k, "expected 'from'");
            string spec = _c.StringValue(k + 1);
            AddSpecifier(spec);
            if (asName is null) { if (!_stars.Contains(spec)) _stars.Add(spec); }
            else _reexports.Add((spec, "*", asName));
            k = SkipAttributesAndSemicolon(k + 2);
            _edits.Blank(_c[i].Start, _c[k - 1].End);
            return k - 1;
        }
        if (_c.Is(k, "{"))
        {
            int close = _c.Matching(k);
            var pairs = new List<(string Local, string Export, int Index)>();
            for (int j = k + 1; j < close;)
            {
                string local = _c.ModuleExportName(j);
                string exported = local;
                int index = j;
                if (_c.Is(j + 1, "as")) { exported = _c.ModuleExportName(j + 2); j += 3; } else j++;
                pairs.Add((local, exported, index));
                if (_c.Is(j, ",")) j++;
            }
            k = close + 1;
            if (_c.Is(k, "from") && _c[k + 1].Kind == TokenKind.String)
            {
                string spec = _c.StringValue(k + 1);
                AddSpecifier(spec);
                foreach (var (local, exported, _) in pairs) _reexports.Add((spec, local, exported));
                k = SkipAttributesAndSemicolon(k + 2);
            }
            else
            {
                _localExports.AddRange(pairs);
                if (_c.Is(k, ";")) k++;
            }
            _edits.Blank(_c[i].Start, _c[k - 1].End);
            return k - 1;
        }
        if (_c.Is(k, "default")) return ExportDefault(i, k + 1);

        // export declaration: drop the keyword, keep the declaration.
        _edits.Blank(_c[i].Start, _c[i].End);
        if (_c.Is(k, "var") || _c.Is(k, "let") || _c.Is(k, "const"))
        {
            var names = new List<(string Name, int Index)>();
            int end = _c.Declarators(k + 1, names);
            foreach (var (name, index) in names)
            {
                _localExports.Add((name, name, index));
                if (_c.Is(k, "var")) _hoisted.Add(name);
            }
            return k; // initializers are scanned like any other code
        }
        int f = k;
        if (_c.Is(f, "async")) f++;
        if (_c.Is(f, "function"))
        {
            f++;
            if (_c.Is(f, "*")) f++;
            _localExports.Add((_c.Text(f), _c.Text(f), f));
            return f;
        }
        if (_c.Is(k, "class"))
        {
            _localExports.Add((_c.Text(k + 1), _c.Text(k + 1), k + 1));
            return k + 1;
        }
        throw _c.Error(k, "unsupported export form");
    }

    private int ExportDefault(int exportIndex, int k)
    {
        int f = k;
        if (_c.Is(f, "async") && _c.Is(f + 1, "function") && !_c[f + 1].NewlineBefore) f++;
        if (_c.Is(f, "function"))
        {
            int nameAt = _c.Is(f + 1, "*") ? f + 2 : f + 1;
            _edits.Blank(_c[exportIndex].Start, _c[k - 1].End);
            if (_c[nameAt].Kind == TokenKind.Identifier)
            {
                _localExports.Add((_c.Text(nameAt), "default", nameAt));
                return nameAt;
            }
            _edits.Insert(_c[nameAt - 1].End, " " + DefaultLocal);
            _hoisted.Add(DefaultLocal);
            _anonymousDefaultFunction = true;
            _localExports.Add((DefaultLocal, "default", -1));
            return nameAt - 1;
        }
        if (_c.Is(k, "class") && _c[k + 1].Kind == TokenKind.Identifier && !_c.Is(k + 1, "extends"))
        {
            _edits.Blank(_c[exportIndex].Start, _c[k - 1].End);
            _localExports.Add((_c.Text(k + 1), "default", k + 1));
            return k + 1;
        }
        int last;
        if (_c.Is(k, "class"))
        {
            int body = k + 1;
            while (!(_c.Is(body, "{") && _c[body].Depth == _c[k].Depth)) body++;
            last = _c.Matching(body);
        }
        else last = _c.ExpressionEnd(k, stopAtComma: false);
        _edits.Replace(_c[exportIndex].Start, _c[k].Start, $"const {DefaultLocal}={{default:");
        _edits.Insert(_c[last].End, "}.default;");
        _localExports.Add((DefaultLocal, "default", -1));
        return k - 1; // the expression is scanned like any other code
    }

    /// <summary>
    /// Publishes exported bindings after each assignment: <c>x = e</c> becomes
    /// <c>$set.x = x = e</c>, whose setter re-reads the module-level binding, so a shadowing
    /// local only causes a harmless extra notification.
    /// </summary>
    private void RewriteAssignments()
    {
        var exportedLocals = _localExports.Where(e => !_imports.Any(im => im.Local == e.Local))
            .Select(e => e.Local).Where(l => l != DefaultLocal).ToHashSet(StringComparer.Ordinal);
        if (exportedLocals.Count == 0) return;
        var tokens = _c.Tokens;
        var lookup = exportedLocals.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            var t = tokens[i];
            if (t.Kind != TokenKind.Identifier || !lookup.Contains(_c.Source.AsSpan(t.Start, t.Length))) continue;
            if (_declarationSites.Contains(i) || t.InClassBody) continue;
            if (i > 0 && (_c.Is(i - 1, ".") || _c.Is(i - 1, "?.") || _c.Is(i - 1, "let") || _c.Is(i - 1, "const")
                          || _c.Is(i - 1, "var") || _c.Is(i - 1, "function") || _c.Is(i - 1, "class"))) continue;
            string name = t.Text(_c.Source);
            string set = $"{SetterObject}.{name}=";
            if (AssignmentOperators.Any(op => _c.Is(i + 1, op)))
            {
                _edits.Insert(t.Start, set);
                _usedSetters.Add(name);
            }
            else if ((_c.Is(i + 1, "++") || _c.Is(i + 1, "--")) && !_c[i + 1].NewlineBefore)
            {
                _edits.Insert(t.Start, "(" + set);
                _edits.Insert(_c[i + 1].End, ")");
                _usedSetters.Add(name);
            }
            else if (i > 0 && (_c.Is(i - 1, "++") || _c.Is(i - 1, "--")) && !t.NewlineBefore)
            {
                _edits.Insert(_c[i - 1].Start, "(" + set);
                _edits.Insert(t.End, ")");
                _usedSetters.Add(name);
            }
        }
    }

    private EsmRecord Build(string body)
    {
        var importLocals = _imports.ToDictionary(im => im.Local, im => (im.Spec, im.Import), StringComparer.Ordinal);
        var live = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var reexportMap = new SortedDictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        foreach (var (spec, imp, exp) in _reexports) Add(reexportMap, spec, (imp, exp));
        foreach (var (local, exp, index) in _localExports)
        {
            if (importLocals.TryGetValue(local, out var source)) Add(reexportMap, source.Spec, (source.Import, exp));
            else
            {
                if (live.ContainsKey(exp)) throw _c.Error(Math.Max(index, 0), $"duplicate export '{exp}'");
                live[exp] = local;
            }
        }
        var localsPublished = live.Values.Distinct().Order(StringComparer.Ordinal).ToList();

        var pre = new StringBuilder();
        if (_imports.Count > 0)
            pre.Append("let ").AppendJoin(',', _imports.Select(im => im.Local).Distinct()).Append(';');
        if (_usedSetters.Count > 0)
        {
            pre.Append("const ").Append(SetterObject).Append("={");
            pre.AppendJoin(',', _usedSetters.Where(localsPublished.Contains)
                .Select(n => $"set {n}(_){{{Hidden}live[{JavaScriptJson.Quote(n)}]({n})}}"));
            pre.Append("};");
        }
        if (_anonymousDefaultFunction)
            pre.Append($"Object.defineProperty({DefaultLocal},'name',{{value:'default'}});");
        foreach (var local in localsPublished.Where(_hoisted.Contains))
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
            NeedsImportMeta = _needsMeta,
        };

        static void Add(SortedDictionary<string, List<(string, string)>> map, string key, (string, string) value)
        {
            if (!map.TryGetValue(key, out var list)) map[key] = list = [];
            list.Add(value);
        }
    }
}
