using Vats.Bundler.Lexing;

namespace Vats.Bundler.Transform;

/// <summary>
/// Wraps a CommonJS module as a functor and finds its static <c>require</c> specifiers and
/// named exports (the patterns real packages use: <c>exports.x =</c>,
/// <c>module.exports = { … }</c>, <c>Object.defineProperty(exports, 'x', …)</c>).
/// </summary>
internal static class CjsTransform
{
    public static CjsRecord Transform(string source, string file)
    {
        var (tokens, comments) = JsLexer.Tokenize(source, file);
        var c = new TokenCursor(source, tokens, file);
        GrammarChecks.Check(c, isModule: false);
        var edits = new SourceEdits(source);
        var imports = new List<string>();
        var exports = new SortedSet<string>(StringComparer.Ordinal) { "default" };
        var reexports = new List<string>();
        var requiredInto = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            if (tokens[i].Kind != TokenKind.Identifier) continue;
            bool afterDot = i > 0 && (c.Is(i - 1, ".") || c.Is(i - 1, "?."));
            if (c.Is(i, "require") && !afterDot && c.Is(i + 1, "(") && tokens[i + 2].Kind == TokenKind.String && c.Is(i + 3, ")"))
            {
                string spec = c.StringValue(i + 2);
                if (!imports.Contains(spec)) imports.Add(spec);
                // `_x = require('m')` or `_x = _interopRequireWildcard(require('m'))`
                int before = c.Is(i - 1, "(") && c[i - 2].Kind == TokenKind.Identifier ? i - 3 : i - 1;
                if (before > 0 && c.Is(before, "=") && c[before - 1].Kind == TokenKind.Identifier)
                    requiredInto[c.Text(before - 1)] = spec;
            }
            else if (c.Is(i, "import") && !afterDot && c.Is(i + 1, "(") && !CodeRewrites.IsMethodName(c, i))
            {
                throw c.Error(i, "dynamic import() is not supported in bundles");
            }
            else if (c.Is(i, "exports") && !afterDot && c.Is(i + 1, ".") && c.Is(i + 3, "="))
            {
                exports.Add(c.Text(i + 2));
            }
            else if (c.Is(i, "module") && !afterDot && c.Is(i + 1, ".") && c.Is(i + 2, "exports"))
            {
                if (c.Is(i + 3, ".") && c.Is(i + 5, "=")) exports.Add(c.Text(i + 4));
                else if (c.Is(i + 3, "=") && c.Is(i + 4, "{")) CollectObjectKeys(c, i + 4, exports);
                else if (c.Is(i + 3, "=") && c.Is(i + 4, "require") && c.Is(i + 5, "(") && tokens[i + 6].Kind == TokenKind.String)
                    AddOnce(reexports, c.StringValue(i + 6));
            }
            else if ((c.Is(i, "__exportStar") || c.Is(i, "__export")) && c.Is(i + 1, "(") && c.Is(i + 2, "require")
                     && c.Is(i + 3, "(") && tokens[i + 4].Kind == TokenKind.String)
            {
                AddOnce(reexports, c.StringValue(i + 4));
            }
            else if (c.Is(i, "Object") && c.Is(i + 1, ".") && c.Is(i + 2, "keys") && c.Is(i + 3, "(")
                     && c[i + 4].Kind == TokenKind.Identifier && c.Is(i + 5, ")") && c.Is(i + 6, ".") && c.Is(i + 7, "forEach")
                     && requiredInto.TryGetValue(c.Text(i + 4), out var starSpec))
            {
                // Babel's `export * from` lowering copies every key of a required module.
                AddOnce(reexports, starSpec);
            }
            else if (c.Is(i, "defineProperty") && c.Is(i + 1, "(") && c.Is(i + 2, "exports") && c.Is(i + 3, ",")
                     && tokens[i + 4].Kind == TokenKind.String)
            {
                exports.Add(c.StringValue(i + 4));
            }
        }
        CodeRewrites.Apply(c, edits);
        Censor.Defang(source, tokens, comments, edits);
        string body = edits.Apply();
        string functor = "(function (require, exports, module, __filename, __dirname) { 'use strict'; " + body + " //*/\n})\n";
        return new CjsRecord { Functor = functor, Imports = imports, Exports = exports.ToList(), Reexports = reexports };
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value)) list.Add(value);
    }

    private static void CollectObjectKeys(TokenCursor c, int open, SortedSet<string> exports)
    {
        int close = c.Matching(open);
        int depth = c[open].Depth + 1;
        for (int k = open + 1; k < close; k++)
        {
            if (c[k].Depth != depth) continue;
            bool atKey = c.Is(k - 1, "{") || c.Is(k - 1, ",");
            if (!atKey) continue;
            if (c[k].Kind == TokenKind.Identifier && (c.Is(k + 1, ":") || c.Is(k + 1, ",") || c.Is(k + 1, "}") || c.Is(k + 1, "(")))
                exports.Add(c.Text(k));
            else if (c[k].Kind == TokenKind.String && c.Is(k + 1, ":"))
                exports.Add(c.StringValue(k));
        }
    }
}
