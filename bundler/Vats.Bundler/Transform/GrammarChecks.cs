using Vats.Bundler.Lexing;

namespace Vats.Bundler.Transform;

/// <summary>
/// Cheap checks for grammar errors a tokenizer can see with certainty, so that common
/// mistakes (a missing comma or operator, <c>const = 1</c>) fail at bundle time with a
/// location instead of at load time. Anything uncertain is left for the engine to judge.
/// </summary>
internal static class GrammarChecks
{
    // Words after which another operand may follow on the same line.
    private static readonly HashSet<string> Keywords =
    [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
        "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
        "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected",
        "public", "await", "async", "of", "get", "set", "as", "from", "accessor", "type", "declare",
    ];

    // Words that may follow an operand: binary keyword operators and module-syntax words.
    private static readonly HashSet<string> Infix = ["in", "instanceof", "of", "as", "from", "with", "assert", "extends"];

    // Words that can never name a binding in module code.
    private static readonly HashSet<string> Reserved =
    [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
        "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
        "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected",
        "public", "await",
    ];

    private static readonly HashSet<string> ControlHeads = ["if", "for", "while", "with", "catch"];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KeywordLookup = Keywords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> InfixLookup = Infix.GetAlternateLookup<ReadOnlySpan<char>>();

    private static ReadOnlySpan<char> Span(TokenCursor c, int i) => c.Source.AsSpan(c[i].Start, c[i].Length);

    public static void Check(TokenCursor c, bool isModule)
    {
        var tokens = c.Tokens;
        var openOf = new Dictionary<int, int>();
        var open = new Stack<int>();
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            if (c.Is(i, "(")) open.Push(i);
            else if (c.Is(i, ")") && open.Count > 0) openOf[i] = open.Pop();
        }
        for (int i = 1; i < tokens.Count - 1; i++)
        {
            var b = tokens[i];
            if (b.NewlineBefore || !StartsOperand(c, i)) continue;
            if (EndsOperand(c, i - 1, openOf))
                throw c.Error(i, $"unexpected {Describe(c, i)} (missing operator, comma or semicolon?)");
        }
        if (!isModule) return;
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            if (tokens[i].Kind != TokenKind.Identifier || !(c.Is(i, "const") || c.Is(i, "let") || c.Is(i, "var"))) continue;
            if (i > 0 && (c.Is(i - 1, ".") || c.Is(i - 1, "?."))) continue;
            var next = tokens[i + 1];
            bool ok = next.Kind == TokenKind.Identifier && !Reserved.Contains(c.Text(i + 1)) || c.Is(i + 1, "{") || c.Is(i + 1, "[");
            bool isPropertyKey = c.Is(i + 1, ":") || c.Is(i + 1, "(") || c.Is(i + 1, ",") || c.Is(i + 1, "}");
            if (!ok && !isPropertyKey) throw c.Error(i + 1, $"expected a binding name after '{c.Text(i)}'");
        }
    }

    private static string Describe(TokenCursor c, int i) => c[i].Kind switch
    {
        TokenKind.String => "string",
        TokenKind.Number => "number",
        _ => $"'{c.Text(i)}'",
    };

    private static bool StartsOperand(TokenCursor c, int i)
    {
        var t = c[i];
        return t.Kind switch
        {
            TokenKind.Number or TokenKind.String => true,
            TokenKind.Identifier => !InfixLookup.Contains(Span(c, i)),
            _ => false,
        };
    }

    private static bool EndsOperand(TokenCursor c, int i, Dictionary<int, int> openOf)
    {
        var t = c[i];
        switch (t.Kind)
        {
            case TokenKind.Number or TokenKind.String or TokenKind.Regex:
                return true;
            case TokenKind.Template:
                return c.Source[t.End - 1] == '`';
            case TokenKind.Identifier:
                if (KeywordLookup.Contains(Span(c, i))) return false;
                return !(i > 0 && c.Is(i - 1, "@")); // decorators
            case TokenKind.Punctuator when c.Is(i, "]"):
                return true;
            case TokenKind.Punctuator when c.Is(i, ")"):
                {
                    if (!openOf.TryGetValue(i, out int open) || open == 0) return false;
                    int before = open - 1;
                    if (c.Is(before, "await") && before > 0 && c.Is(before - 1, "for")) return false;
                    if (c[before].Kind == TokenKind.Identifier && ControlHeads.Contains(c.Text(before))) return false;
                    // A decorator call or a function head may precede a declaration or body.
                    return !(before > 0 && c.Is(before - 1, "@"));
                }
            default:
                return false;
        }
    }
}
