namespace Vats.Bundler.Lexing;

/// <summary>
/// A JavaScript tokenizer precise enough to find statement structure without a parser:
/// it tells regular expressions from division, follows nested template literals and
/// records comments separately.
/// </summary>
internal sealed class JsLexer
{
    private enum Brace { Block, Expression, TemplateSubstitution, ClassBody }

    private static readonly string[] Punctuators =
    [
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
        "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "%=",
        "&=", "|=", "^=", "<<", ">>", "**",
    ];

    // After these keywords an expression starts, so `/` begins a regular expression.
    private static readonly HashSet<string> ExpressionKeywords =
    [
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case",
        "do", "else", "yield", "await", "extends",
    ];

    private static readonly HashSet<string> ControlKeywords = ["if", "while", "for", "with"];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ExpressionKeywordLookup =
        ExpressionKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ControlKeywordLookup =
        ControlKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    private ReadOnlySpan<char> SpanOf(Token t) => _src.AsSpan(t.Start, t.Length);

    private readonly string _src;
    private readonly string _file;
    private readonly List<Token> _tokens = [];
    private readonly List<Comment> _comments = [];
    private readonly Stack<Brace> _braces = new();
    private readonly Stack<bool> _parensAreControl = new();
    private int _pos;
    private int _depth;
    private bool _newline;
    private bool _lastParenWasControl;
    private Brace _lastClosedBrace;

    // Depths at which a `class` keyword waits for its body's opening brace.
    private readonly Stack<int> _pendingClassBodies = new();

    private JsLexer(string source, string file)
    {
        _src = source;
        _file = file;
    }

    public static (List<Token> Tokens, List<Comment> Comments) Tokenize(string source, string file)
    {
        var lexer = new JsLexer(source, file);
        lexer.Run();
        return (lexer._tokens, lexer._comments);
    }

    private void Run()
    {
        if (_src.StartsWith("#!", StringComparison.Ordinal))
        {
            while (_pos < _src.Length && !IsLineTerminator(_src[_pos])) _pos++;
            _comments.Add(new Comment(0, _pos, false));
        }
        while (true)
        {
            SkipTrivia();
            if (_pos >= _src.Length) break;
            ScanToken();
        }
        if (_braces.Count > 0 || _parensAreControl.Count > 0)
            throw Error(_src.Length, "unexpected end of input (unclosed bracket)");
        _tokens.Add(new Token(TokenKind.End, _src.Length, _src.Length, 0, true));
    }

    private BundleException Error(int offset, string message) =>
        BundleException.At(_file, _src, offset, message);

    private static bool IsLineTerminator(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    private static bool IsIdentStart(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '$' or '_' or '\\'
        || (c > 127 && (char.IsLetter(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.LetterNumber) )
        || char.IsSurrogate(c);

    private static bool IsIdentPart(char c) =>
        IsIdentStart(c) || c is >= '0' and <= '9' || c == '\u200C' || c == '\u200D'
        || (c > 127 && char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark
            or System.Globalization.UnicodeCategory.DecimalDigitNumber
            or System.Globalization.UnicodeCategory.ConnectorPunctuation);

    private void SkipTrivia()
    {
        while (_pos < _src.Length)
        {
            char c = _src[_pos];
            if (IsLineTerminator(c)) { _newline = true; _pos++; }
            else if (c is ' ' or '\t' or '\v' or '\f' or '\u00A0' or '\uFEFF' || (c > 127 && char.IsWhiteSpace(c))) _pos++;
            else if (c == '/' && Peek(1) == '/')
            {
                int start = _pos;
                while (_pos < _src.Length && !IsLineTerminator(_src[_pos])) _pos++;
                _comments.Add(new Comment(start, _pos, false));
            }
            else if (c == '/' && Peek(1) == '*')
            {
                int start = _pos;
                int close = _src.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (close < 0) throw Error(start, "unterminated comment");
                for (int i = _pos; i < close; i++) if (IsLineTerminator(_src[i])) { _newline = true; break; }
                _pos = close + 2;
                _comments.Add(new Comment(start, _pos, true));
            }
            else break;
        }
    }

    private char NextNonSpace()
    {
        int i = _pos;
        while (i < _src.Length && char.IsWhiteSpace(_src[i])) i++;
        return i < _src.Length ? _src[i] : '\0';
    }

    private char Peek(int ahead) => _pos + ahead < _src.Length ? _src[_pos + ahead] : '\0';

    private void Add(TokenKind kind, int start, int depth)
    {
        bool inClassBody = _braces.Count > 0 && _braces.Peek() == Brace.ClassBody;
        _tokens.Add(new Token(kind, start, _pos, depth, _newline, inClassBody));
        _newline = false;
        if (kind == TokenKind.Identifier && _pos - start == 5 && string.CompareOrdinal(_src, start, "class", 0, 5) == 0
            && !(_tokens.Count > 1 && (_tokens[^2].Is(_src, ".") || _tokens[^2].Is(_src, "?.")))
            && NextNonSpace() is not (':' or ',' or '}' or '(' or ')' or ';' or '='))
            _pendingClassBodies.Push(depth);
    }

    private void ScanToken()
    {
        int start = _pos;
        char c = _src[_pos];
        if (IsIdentStart(c)) { ScanIdentifierChars(); Add(TokenKind.Identifier, start, _depth); return; }
        if (c is >= '0' and <= '9' || (c == '.' && Peek(1) is >= '0' and <= '9')) { ScanNumber(); Add(TokenKind.Number, start, _depth); return; }
        if (c is '"' or '\'') { ScanString(c); Add(TokenKind.String, start, _depth); return; }
        if (c == '`') { _pos++; ScanTemplateRest(start, _depth); return; }
        if (c == '#' && _pos + 1 < _src.Length && IsIdentStart(_src[_pos + 1]))
        {
            _pos++;
            ScanIdentifierChars();
            Add(TokenKind.PrivateName, start, _depth);
            return;
        }
        if (c == '/' && RegexAllowed()) { ScanRegex(); Add(TokenKind.Regex, start, _depth); return; }
        ScanPunctuator(start);
    }

    private void ScanIdentifierChars()
    {
        while (_pos < _src.Length && IsIdentPart(_src[_pos]))
        {
            if (_src[_pos] == '\\')
            {
                // \uXXXX or \u{...} escape inside an identifier.
                _pos += 2;
                if (_pos < _src.Length && _src[_pos] == '{') { while (_pos < _src.Length && _src[_pos] != '}') _pos++; _pos++; }
                else _pos += 4;
            }
            else _pos++;
        }
    }

    private void ScanNumber()
    {
        bool hex = _src[_pos] == '0' && Peek(1) is 'x' or 'X' or 'b' or 'B' or 'o' or 'O';
        bool seenDot = false;
        while (_pos < _src.Length)
        {
            char c = _src[_pos];
            if (c is >= '0' and <= '9' or >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_') _pos++;
            else if (c == '.' && !hex && !seenDot) { seenDot = true; _pos++; }
            else if (c is '+' or '-' && !hex && _src[_pos - 1] is 'e' or 'E') _pos++;
            else break;
        }
    }

    private void ScanString(char quote)
    {
        int start = _pos++;
        while (true)
        {
            if (_pos >= _src.Length) throw Error(start, "unterminated string literal");
            char c = _src[_pos];
            if (c == quote) { _pos++; return; }
            if (c == '\\') { _pos += 2; if (_pos <= _src.Length && _src[_pos - 1] == '\r' && Peek(0) == '\n') _pos++; continue; }
            if (c is '\n' or '\r') throw Error(start, "unterminated string literal");
            _pos++;
        }
    }

    /// <summary>Scans template characters up to the closing backtick or the next <c>${</c>.</summary>
    private void ScanTemplateRest(int start, int depth)
    {
        while (true)
        {
            if (_pos >= _src.Length) throw Error(start, "unterminated template literal");
            char c = _src[_pos];
            if (c == '\\') { _pos += 2; continue; }
            if (c == '`') { _pos++; Add(TokenKind.Template, start, depth); return; }
            if (c == '$' && Peek(1) == '{')
            {
                _pos += 2;
                Add(TokenKind.Template, start, depth);
                _braces.Push(Brace.TemplateSubstitution);
                _depth = depth + 1;
                return;
            }
            _pos++;
        }
    }

    private void ScanRegex()
    {
        int start = _pos++;
        bool inClass = false;
        while (true)
        {
            if (_pos >= _src.Length || IsLineTerminator(_src[_pos])) throw Error(start, "unterminated regular expression");
            char c = _src[_pos];
            if (c == '\\') { _pos += 2; continue; }
            if (c == '[') inClass = true;
            else if (c == ']') inClass = false;
            else if (c == '/' && !inClass) { _pos++; break; }
            _pos++;
        }
        while (_pos < _src.Length && IsIdentPart(_src[_pos])) _pos++;
    }

    private bool RegexAllowed()
    {
        if (_tokens.Count == 0) return true;
        var prev = _tokens[^1];
        switch (prev.Kind)
        {
            case TokenKind.Number or TokenKind.String or TokenKind.Regex or TokenKind.PrivateName:
                return false;
            case TokenKind.Template:
                return _src[prev.End - 1] == '{';
            case TokenKind.Identifier:
                {
                    if (ExpressionKeywordLookup.Contains(SpanOf(prev)))
                        return !(_tokens.Count > 1 && _tokens[^2].Is(_src, "."));
                    return false;
                }
            default:
                if (prev.Is(_src, ")")) return _lastParenWasControl;
                if (prev.Is(_src, "]")) return false;
                if (prev.Is(_src, "}")) return _lastClosedBrace is Brace.Block;
                if (prev.Is(_src, "++") || prev.Is(_src, "--")) return false;
                return true;
        }
    }

    private Brace ClassifyOpenBrace()
    {
        if (_tokens.Count == 0) return Brace.Block;
        var prev = _tokens[^1];
        if (prev.Kind == TokenKind.Identifier)
            return ExpressionKeywordLookup.Contains(SpanOf(prev)) && !prev.Is(_src, "else") && !prev.Is(_src, "do")
                ? Brace.Expression : Brace.Block;
        if (prev.Kind == TokenKind.Template) return Brace.Expression;
        if (prev.Kind != TokenKind.Punctuator) return Brace.Block;
        if (prev.Is(_src, ")") || prev.Is(_src, ";") || prev.Is(_src, "{") || prev.Is(_src, "}") || prev.Is(_src, "=>"))
            return Brace.Block;
        // A label colon or case colon also precedes a block, but an object literal after
        // `:` is far more common in code that also divides after the closing brace.
        return Brace.Expression;
    }

    private void ScanPunctuator(int start)
    {
        char c = _src[_pos];
        switch (c)
        {
            case '{':
                {
                    var kind = ClassifyOpenBrace();
                    if (_pendingClassBodies.Count > 0 && _pendingClassBodies.Peek() == _depth)
                    {
                        _pendingClassBodies.Pop();
                        kind = Brace.ClassBody;
                    }
                    _pos++;
                    Add(TokenKind.Punctuator, start, _depth);
                    _braces.Push(kind);
                    _depth++;
                    return;
                }
            case '}':
                {
                    if (_braces.Count == 0) throw Error(start, "unexpected '}'");
                    var kind = _braces.Pop();
                    _depth--;
                    if (kind == Brace.TemplateSubstitution) { _pos++; ScanTemplateRest(start, _depth); return; }
                    _lastClosedBrace = kind;
                    _pos++;
                    Add(TokenKind.Punctuator, start, _depth);
                    return;
                }
            case '(':
                {
                    bool control = _tokens.Count > 0 && _tokens[^1].Kind == TokenKind.Identifier
                        && ControlKeywordLookup.Contains(SpanOf(_tokens[^1]))
                        && !(_tokens.Count > 1 && _tokens[^2].Is(_src, "."));
                    _pos++;
                    Add(TokenKind.Punctuator, start, _depth);
                    _parensAreControl.Push(control);
                    _depth++;
                    return;
                }
            case ')':
                if (_parensAreControl.Count == 0) throw Error(start, "unexpected ')'");
                _lastParenWasControl = _parensAreControl.Pop();
                _depth--;
                _pos++;
                Add(TokenKind.Punctuator, start, _depth);
                return;
            case '[':
                _pos++;
                Add(TokenKind.Punctuator, start, _depth);
                _parensAreControl.Push(false);
                _depth++;
                return;
            case ']':
                if (_parensAreControl.Count == 0) throw Error(start, "unexpected ']'");
                _parensAreControl.Pop();
                _depth--;
                _pos++;
                Add(TokenKind.Punctuator, start, _depth);
                return;
        }
        if (c is ',' or ';' or ':' or '~' or '@')
        {
            _pos++;
            Add(TokenKind.Punctuator, start, _depth);
            return;
        }
        foreach (var p in Punctuators)
        {
            if (p[0] != c) continue;
            if (string.CompareOrdinal(_src, _pos, p, 0, p.Length) == 0)
            {
                if (p == "?." && Peek(2) is >= '0' and <= '9') continue;
                _pos += p.Length;
                Add(TokenKind.Punctuator, start, _depth);
                return;
            }
        }
        if ("=<>+-*/%&|^!~?:;,.@".Contains(c))
        {
            _pos++;
            if (c == '/' && Peek(0) == '=') _pos++;
            Add(TokenKind.Punctuator, start, _depth);
            return;
        }
        throw Error(start, $"unexpected character '{c}'");
    }
}
