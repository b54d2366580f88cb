using Vats.Bundler.Lexing;

namespace Vats.Bundler.Transform;

/// <summary>Code-level respellings that keep SES's eval and import censors quiet.</summary>
internal static class CodeRewrites
{
    /// <summary>True when the identifier at <paramref name="i"/> names a method being defined.</summary>
    public static bool IsMethodName(TokenCursor c, int i)
    {
        if (!c.Is(i + 1, "(")) return false;
        int close = c.Matching(i + 1);
        if (!c.Is(close + 1, "{")) return false;
        return i == 0 || c.Is(i - 1, "{") || c.Is(i - 1, ",") || c.Is(i - 1, ";") || c.Is(i - 1, "}")
            || c.Is(i - 1, "*") || c.Is(i - 1, "static") || c.Is(i - 1, "async") || c.Is(i - 1, "get") || c.Is(i - 1, "set");
    }

    /// <summary>Turns direct eval calls into indirect ones and quotes methods named eval/import.</summary>
    public static void Apply(TokenCursor c, SourceEdits edits)
    {
        var tokens = c.Tokens;
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            var t = tokens[i];
            if (t.Kind != TokenKind.Identifier) continue;
            bool isEval = c.Is(i, "eval");
            if (!isEval && !c.Is(i, "import")) continue;
            if (!c.Is(i + 1, "(")) continue;
            if (i > 0 && (c.Is(i - 1, ".") || c.Is(i - 1, "?."))) continue;
            if (IsMethodName(c, i)) edits.Replace(t.Start, t.End, isEval ? "[\"eval\"]" : "[\"import\"]");
            else if (isEval) edits.Replace(t.Start, t.End, "(0,eval)");
        }
    }
}
