using System.Text;
using Acornima;
using Vats.Bundler.Parsing;

namespace Vats.Bundler.Transform;

/// <summary>
/// Keeps module text clear of the three patterns the SES evaluator rejects without parsing
/// (<c>import(</c>, HTML comments, direct <c>eval(</c>), by rewriting literals and comments
/// so that their meaning is unchanged.
/// </summary>
internal static class Censor
{
    /// <summary>
    /// Returns the offset and name of the first pattern SES would reject, if any. Equivalent to
    /// SES's regular expressions <c>(^|[^.]|\.\.\.)\bimport(\s*(?:\(|/[/*]))</c>,
    /// <c>(?:&lt;!--|--&gt;)</c> and <c>(^|[^.])\beval(\s*\()</c>, written as a scan because
    /// bundles run to megabytes.
    /// </summary>
    public static (int Offset, string Pattern)? FirstRejected(string text)
    {
        var span = text.AsSpan();
        (int Offset, string Pattern)? first = null;
        void Consider(int offset, string pattern)
        {
            if (offset >= 0 && (first is null || offset < first.Value.Offset)) first = (offset, pattern);
        }
        Consider(FindImport(span), "import(");
        Consider(span.IndexOf("<!--", StringComparison.Ordinal), "HTML comment");
        Consider(span.IndexOf("-->", StringComparison.Ordinal), "HTML comment");
        Consider(FindEval(span), "eval(");
        return first;
    }

    private static bool IsWordChar(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';

    // JavaScript's \s: white space and line terminators.
    private static bool IsJsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f' or '\u00A0' or '\uFEFF'
        || (c > 127 && char.IsWhiteSpace(c));

    private static int SkipSpace(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && IsJsSpace(s[i])) i++;
        return i;
    }

    private static int FindImport(ReadOnlySpan<char> s)
    {
        for (int from = 0; ;)
        {
            int rel = s[from..].IndexOf("import", StringComparison.Ordinal);
            if (rel < 0) return -1;
            int p = from + rel;
            from = p + 1;
            if (p > 0)
            {
                char before = s[p - 1];
                if (IsWordChar(before)) continue;
                if (before == '.' && !(p >= 3 && s[p - 2] == '.' && s[p - 3] == '.')) continue;
            }
            int k = SkipSpace(s, p + 6);
            if (k < s.Length && (s[k] == '(' || (s[k] == '/' && k + 1 < s.Length && s[k + 1] is '/' or '*'))) return p;
        }
    }

    private static int FindEval(ReadOnlySpan<char> s)
    {
        for (int from = 0; ;)
        {
            int rel = s[from..].IndexOf("eval", StringComparison.Ordinal);
            if (rel < 0) return -1;
            int p = from + rel;
            from = p + 1;
            if (p > 0 && (IsWordChar(s[p - 1]) || s[p - 1] == '.')) continue;
            int k = SkipSpace(s, p + 4);
            if (k < s.Length && s[k] == '(') return p;
        }
    }

    /// <summary>
    /// Adds edits that defang comments, literals and operator spellings, except inside text already removed or replaced.
    /// </summary>
    public static void Defang(ParsedSource parsed, SourceEdits edits)
    {
        string src = parsed.Text;
        foreach (var (range, kind) in parsed.Comments)
        {
            if (edits.Covers(range.Start, range.End)) continue;
            string text = src.Substring(range.Start, range.End - range.Start);
            // A hashbang is a comment only on a file's first line, and HTML-like comments only in scripts; inside a
            // functor both would be code, so they become line comments of the same length.
            int opener = kind == CommentKind.HashBang ? 2
                : kind != CommentKind.Line ? 0
                : text.StartsWith("<!--", StringComparison.Ordinal) ? 4
                : text.StartsWith("-->", StringComparison.Ordinal) ? 3 : 0;
            string safe = opener == 0 ? DefangComment(text) : "//" + new string(' ', opener - 2) + DefangComment(text[opener..]);
            if (safe != text) edits.Replace(range.Start, range.End, safe);
        }
        foreach (var range in parsed.LiteralContents)
        {
            if (edits.Covers(range.Start, range.End)) continue;
            var safe = DefangLiteral(src, range.Start, range.End);
            if (safe is not null) edits.Replace(range.Start, range.End, safe);
        }
        foreach (int at in parsed.HtmlLookalikes)
        {
            if (!edits.Covers(at, at)) edits.Insert(at, " ");
        }
    }

    private static string DefangComment(string text)
    {
        if (!text.Contains("import", StringComparison.Ordinal) && !text.Contains("eval", StringComparison.Ordinal)
            && !text.Contains("<!--", StringComparison.Ordinal) && !text.Contains("-->", StringComparison.Ordinal))
            return text;
        // Comment text has no meaning, so a visible respelling is the simplest safe rewrite.
        return text.Replace("<!--", "<! --", StringComparison.Ordinal)
            .Replace("-->", "-- >", StringComparison.Ordinal)
            .Replace("import", "im-port", StringComparison.Ordinal)
            .Replace("eval", "ev-al", StringComparison.Ordinal);
    }

    /// <summary>
    /// Escapes one character of each rejected pattern inside a literal's contents (the text between its delimiters,
    /// where <c>\xHH</c> means the same character); null if nothing needs it.
    /// </summary>
    private static string? DefangLiteral(string src, int start, int end)
    {
        var text = src.AsSpan(start, end - start);
        if (text.IndexOf("import", StringComparison.Ordinal) < 0 && text.IndexOf("eval", StringComparison.Ordinal) < 0
            && text.IndexOf("<!--", StringComparison.Ordinal) < 0 && text.IndexOf("-->", StringComparison.Ordinal) < 0)
            return null;
        var escapeAt = new SortedSet<int>();
        string s = text.ToString();
        for (int i = 0; i < s.Length; i++)
        {
            if (string.CompareOrdinal(s, i, "<!--", 0, 4) == 0) escapeAt.Add(i);
            else if (string.CompareOrdinal(s, i, "-->", 0, 3) == 0) escapeAt.Add(i + 2);
            else if (string.CompareOrdinal(s, i, "import", 0, 6) == 0 && FollowedByCallOrComment(s, i + 6)) escapeAt.Add(i);
            else if (string.CompareOrdinal(s, i, "eval", 0, 4) == 0 && FollowedByCall(s, i + 4)) escapeAt.Add(i);
        }
        if (escapeAt.Count == 0) return null;
        var sb = new StringBuilder(s.Length + 8 * escapeAt.Count);
        int pos = 0;
        foreach (int at in escapeAt)
        {
            int from = at;
            int backslashes = 0;
            while (from - backslashes - 1 >= 0 && s[from - backslashes - 1] == '\\') backslashes++;
            if (backslashes % 2 == 1) from--; // the character was already escaped: replace that escape
            if (from < pos) continue;
            sb.Append(s, pos, from - pos);
            sb.Append("\\x").Append(((int)s[at]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            pos = at + 1;
        }
        sb.Append(s, pos, s.Length - pos);
        return sb.ToString();
    }

    // The censor reads text, not values: only what literally matches needs escaping.
    private static bool FollowedByCall(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        return i < s.Length && s[i] == '(';
    }

    private static bool FollowedByCallOrComment(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        return i < s.Length && (s[i] == '(' || (s[i] == '/' && i + 1 < s.Length && s[i + 1] is '/' or '*'));
    }
}
