using System.Globalization;
using System.Text;
using Vats.Bundler.Lexing;

namespace Vats.Bundler.Transform;

/// <summary>Shared token-level helpers: expression extents, binding patterns, string values.</summary>
internal sealed class TokenCursor(string source, List<Token> tokens, string file)
{
    private static readonly HashSet<string> NonEndingWords =
    [
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else",
        "yield", "await", "extends", "var", "let", "const", "function", "class", "if", "while", "for", "export",
        "import", "default", "async", "static", "get", "set",
    ];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NonEndingLookup =
        NonEndingWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Source => source;
    public List<Token> Tokens => tokens;

    public Token this[int i] => tokens[Math.Min(i, tokens.Count - 1)];

    public bool Is(int i, string text) => this[i].Is(source, text);

    public string Text(int i) => this[i].Text(source);

    public BundleException Error(int i, string message) => BundleException.At(file, source, this[i].Start, message);

    public bool CanEndExpression(int i)
    {
        var t = this[i];
        return t.Kind switch
        {
            TokenKind.Number or TokenKind.String or TokenKind.Regex or TokenKind.PrivateName => true,
            TokenKind.Template => source[t.End - 1] == '`',
            TokenKind.Identifier => !NonEndingLookup.Contains(source.AsSpan(t.Start, t.Length)) || (i > 0 && (Is(i - 1, ".") || Is(i - 1, "?."))),
            TokenKind.Punctuator => Is(i, ")") || Is(i, "]") || Is(i, "}") || Is(i, "++") || Is(i, "--"),
            _ => false,
        };
    }

    private bool ContinuesExpression(int i)
    {
        var t = this[i];
        return t.Kind switch
        {
            TokenKind.Template => true,
            TokenKind.Identifier => Is(i, "in") || Is(i, "instanceof"),
            TokenKind.Punctuator => !(Is(i, "{") || Is(i, "!") || Is(i, "~") || Is(i, "++") || Is(i, "--") || Is(i, ";") || Is(i, "}")),
            _ => false,
        };
    }

    /// <summary>
    /// Index of the last token of the expression (or initializer) starting at <paramref name="i"/>:
    /// stops before a `;`, a closing bracket, a comma when asked, or where ASI ends the statement.
    /// </summary>
    public int ExpressionEnd(int i, bool stopAtComma)
    {
        int depth = this[i].Depth;
        int k = i;
        while (true)
        {
            var t = this[k];
            if (t.Kind == TokenKind.End) return k - 1;
            if (t.Depth < depth) return k - 1;
            if (t.Depth == depth)
            {
                if (Is(k, ";")) return k - 1;
                if (stopAtComma && Is(k, ",")) return k - 1;
                if (k > i && t.NewlineBefore && CanEndExpression(k - 1) && !ContinuesExpression(k)) return k - 1;
            }
            k++;
        }
    }

    /// <summary>Index of the token closing the bracket opened at <paramref name="open"/>.</summary>
    public int Matching(int open)
    {
        int depth = this[open].Depth;
        for (int k = open + 1; k < tokens.Count; k++)
        {
            if (tokens[k].Depth == depth && tokens[k].Kind == TokenKind.Punctuator) return k;
            if (tokens[k].Kind == TokenKind.End) break;
        }
        throw Error(open, "unbalanced bracket");
    }

    /// <summary>Parses a binding pattern; collects (name, tokenIndex) and returns the next index.</summary>
    public int BindingPattern(int i, List<(string Name, int Index)> names)
    {
        if (this[i].Kind == TokenKind.Identifier) { names.Add((Text(i), i)); return i + 1; }
        if (Is(i, "["))
        {
            int close = Matching(i);
            int k = i + 1;
            while (k < close)
            {
                if (Is(k, ",")) { k++; continue; }
                if (Is(k, "...")) k++;
                k = BindingPattern(k, names);
                if (Is(k, "=")) k = ExpressionEnd(k + 1, true) + 1;
                if (Is(k, ",")) k++;
            }
            return close + 1;
        }
        if (Is(i, "{"))
        {
            int close = Matching(i);
            int k = i + 1;
            while (k < close)
            {
                if (Is(k, "...")) { k = BindingPattern(k + 1, names); }
                else
                {
                    int keyEnd = Is(k, "[") ? Matching(k) : k;
                    if (Is(keyEnd + 1, ":")) k = BindingPattern(keyEnd + 2, names);
                    else { names.Add((Text(k), k)); k++; }
                    if (Is(k, "=")) k = ExpressionEnd(k + 1, true) + 1;
                }
                if (Is(k, ",")) k++;
            }
            return close + 1;
        }
        throw Error(i, "expected a binding name or pattern");
    }

    /// <summary>Parses `let/const/var` declarators starting after the keyword.</summary>
    public int Declarators(int i, List<(string Name, int Index)> names)
    {
        while (true)
        {
            i = BindingPattern(i, names);
            if (Is(i, "=")) i = ExpressionEnd(i + 1, true) + 1;
            if (Is(i, ",") && this[i].Depth == this[i - 1].Depth) { i++; continue; }
            return i;
        }
    }

    /// <summary>The value of a string-literal token.</summary>
    public string StringValue(int i)
    {
        var t = this[i];
        if (t.Kind != TokenKind.String) throw Error(i, "expected a string literal");
        return DecodeString(source.AsSpan(t.Start + 1, t.Length - 2));
    }

    /// <summary>An import/export name: identifier or string literal.</summary>
    public string ModuleExportName(int i) => this[i].Kind == TokenKind.String ? StringValue(i) : Text(i);

    private static string DecodeString(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('\\') < 0) return s.ToString();
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\') { sb.Append(c); continue; }
            char e = s[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '0' when i + 1 >= s.Length || !char.IsAsciiDigit(s[i + 1]): sb.Append('\0'); break;
                case 'x': sb.Append((char)int.Parse(s.Slice(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 2; break;
                case 'u' when s[i + 1] == '{':
                    {
                        int close = s.Slice(i).IndexOf('}') + i;
                        int cp = int.Parse(s.Slice(i + 2, close - i - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        sb.Append(char.ConvertFromUtf32(cp));
                        i = close;
                        break;
                    }
                case 'u': sb.Append((char)int.Parse(s.Slice(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 4; break;
                case '\r': if (i + 1 < s.Length && s[i + 1] == '\n') i++; break;
                case '\n' or '\u2028' or '\u2029': break;
                default: sb.Append(e); break;
            }
        }
        return sb.ToString();
    }
}
