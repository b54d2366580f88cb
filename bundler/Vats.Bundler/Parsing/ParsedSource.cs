using Acornima;
using Acornima.Ast;

namespace Vats.Bundler.Parsing;

/// <summary>
/// A module's text as Acornima parsed it, with what the rewriting passes need besides the tree: comments and literal
/// contents (which SES's censor reads as text), and the names declared at the top level.
/// </summary>
internal sealed class ParsedSource
{
    public required string Text { get; init; }

    /// <summary>The module's name in messages (a path relative to the working directory).</summary>
    public required string File { get; init; }

    public required Program Program { get; init; }

    /// <summary>True for an ES module, false for CommonJS (a strict function body).</summary>
    public required bool IsModule { get; init; }

    /// <summary>Every comment (hashbang and HTML-like comments included), in source order.</summary>
    public required List<(Acornima.Range Range, CommentKind Kind)> Comments { get; init; }

    /// <summary>The text between the delimiters of every string, template and regular expression literal, in order.</summary>
    public required List<Acornima.Range> LiteralContents { get; init; }

    /// <summary>
    /// Offsets inside operator sequences that spell an HTML comment: after a <c>--</c> followed by <c>&gt;</c>
    /// (<c>a-->b</c>), and after a <c>&lt;</c> followed by <c>!--</c> (<c>a&lt;!--b</c>).
    /// </summary>
    public required List<int> HtmlLookalikes { get; init; }

    /// <summary>Names declared in the top-level scope: var, let, const, function, class and import bindings.</summary>
    public required HashSet<string> TopLevelNames { get; init; }

    /// <summary>The top-level <c>var</c> names, nested blocks included: bindings that exist, as undefined, before the code runs.</summary>
    public required HashSet<string> TopLevelVars { get; init; }

    public BundleException Error(int offset, string message) => BundleException.At(File, Text, offset, message);

    /// <summary>The first offset at or after <paramref name="offset"/> that is not white space or a comment.</summary>
    public int SkipTrivia(int offset)
    {
        var s = Text;
        while (offset < s.Length)
        {
            char c = s[offset];
            if (c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f' or '\u00A0' or '\uFEFF' or '\u2028' or '\u2029'
                || (c > 127 && char.IsWhiteSpace(c)))
            {
                offset++;
            }
            else if (c == '/' && offset + 1 < s.Length && s[offset + 1] == '/')
            {
                while (offset < s.Length && s[offset] is not ('\n' or '\r' or '\u2028' or '\u2029')) offset++;
            }
            else if (c == '/' && offset + 1 < s.Length && s[offset + 1] == '*')
            {
                int close = s.IndexOf("*/", offset + 2, StringComparison.Ordinal);
                offset = close < 0 ? s.Length : close + 2;
            }
            else
            {
                break;
            }
        }
        return offset;
    }

    /// <summary>The character at <paramref name="offset"/> after white space and comments, or NUL at the end.</summary>
    public char NextSignificant(int offset)
    {
        int at = SkipTrivia(offset);
        return at < Text.Length ? Text[at] : '\0';
    }

    /// <summary>True when the node's text is exactly <paramref name="text"/> (no escapes, no parentheses).</summary>
    public bool Spells(Node node, string text) =>
        node.End - node.Start == text.Length && string.CompareOrdinal(Text, node.Start, text, 0, text.Length) == 0;
}
