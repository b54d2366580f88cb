using Acornima;
using Acornima.Ast;
using Vats.QuickJs;

namespace Vats.Bundler.Parsing;

/// <summary>
/// Parses module text with Acornima: ES modules as modules, CommonJS as the body of the strict function the bundle
/// wraps it in (so a top-level <c>return</c> is fine). Records comments, literal contents and the names each nested
/// scope declares on the way, which the rewriting passes need and the tree does not hold.
/// </summary>
internal static class JsParser
{
    public static ParsedSource Module(string text, string file) => Parse(text, file, SourceKind.Module);

    public static ParsedSource CommonJs(string text, string file) => Parse(text, file, SourceKind.CommonJs);

    /// <summary>
    /// A <c>.js</c> file outside a <c>"type": "module"</c> package: CommonJS, unless it parses only as a module (it
    /// has <c>import</c>/<c>export</c> declarations or <c>import.meta</c>), which is how Node tells them apart.
    /// </summary>
    public static ParsedSource Detect(string text, string file)
    {
        JsSyntaxException asScript;
        try
        {
            return Parse(text, file, SourceKind.CommonJs);
        }
        catch (JsSyntaxException e)
        {
            asScript = e;
        }
        try
        {
            return Parse(text, file, SourceKind.Module);
        }
        catch (JsSyntaxException asModule)
        {
            // Invalid either way: report it as what the text was evidently meant to be.
            throw UsesModuleSyntax(text, asScript) ? asModule : asScript;
        }
    }

    private static bool UsesModuleSyntax(string text, JsSyntaxException scriptError) =>
        scriptError.InnerException is ParseErrorException { Error: var error }
        && (error.Code is "ImportOutsideModule" or "ImportMetaOutsideModule"
            || (error.Index >= 0 && error.Index + 6 <= text.Length && string.CompareOrdinal(text, error.Index, "export", 0, 6) == 0));

    private static ParsedSource Parse(string text, string file, SourceKind kind)
    {
        bool isModule = kind == SourceKind.Module;
        var comments = new List<(Acornima.Range, CommentKind)>();
        var literals = new List<Acornima.Range>();
        var lookalikes = new List<int>();
        HashSet<string>? topLevel = null, topLevelVars = null;
        var options = new ParserOptions
        {
            // The engine is the judge of regular expressions (QuickJS compiles every module); Acornima only delimits them.
            OnRegExp = static (in RegExpParsingContext _) => RegExpParseResult.ForSuccess(),
            AllowReturnOutsideFunction = !isModule,
            AllowNewTargetOutsideFunction = !isModule,
            OnComment = (in Comment comment) => comments.Add((comment.Range, comment.Kind)),
            OnToken = (in Token token) => RecordToken(text, token, literals, lookalikes),
            OnNode = (Node node, in OnNodeContext context) =>
            {
                if (!context.HasScope) return;
                if (node is Program) (topLevel, topLevelVars) = TopLevelNames(context.Scope);
                else if (DeclaredNames(node, context.Scope) is { } names) node.UserData = names;
            },
        };
        try
        {
            var parser = new Parser(options);
            Program program = isModule ? parser.ParseModule(text, file) : parser.ParseScript(text, file, strict: true);
            return new ParsedSource
            {
                Text = text,
                File = file,
                Program = program,
                IsModule = isModule,
                Comments = comments,
                LiteralContents = literals,
                HtmlLookalikes = lookalikes,
                TopLevelNames = topLevel ?? [],
                TopLevelVars = topLevelVars ?? [],
            };
        }
        catch (ParseErrorException e)
        {
            var at = e.LineNumber > 0 ? $"{e.LineNumber}:{e.Column + 1}: " : "";
            throw new JsSyntaxException(kind, new BundleException($"{file}:{at}SyntaxError: {e.Description}"), e);
        }
        catch (InsufficientExecutionStackException e)
        {
            throw new JsSyntaxException(kind, new BundleException($"{file}: SyntaxError: nesting too deep to bundle"), e);
        }
    }

    private static void RecordToken(string text, in Token token, List<Acornima.Range> literals, List<int> lookalikes)
    {
        switch (token.Kind)
        {
            case TokenKind.StringLiteral:
                literals.Add(Acornima.Range.From(token.Start + 1, token.End - 1));
                break;
            case TokenKind.Template:
                // Template tokens are the characters between `, ${ and }, delimiters excluded.
                literals.Add(token.Range);
                break;
            case TokenKind.RegExpLiteral:
                literals.Add(Acornima.Range.From(token.Start + 1, text.LastIndexOf('/', token.End - 1, token.End - token.Start - 1)));
                break;
            case TokenKind.Punctuator:
                int end = token.End;
                if (end - token.Start == 2 && text[token.Start] == '-' && text[token.Start + 1] == '-' && end < text.Length && text[end] == '>')
                    lookalikes.Add(end);
                else if (text[end - 1] == '<' && text.AsSpan(end).StartsWith("!--", StringComparison.Ordinal))
                    lookalikes.Add(end);
                break;
        }
    }

    private static (HashSet<string> All, HashSet<string> Vars) TopLevelNames(in Scope scope)
    {
        var vars = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in scope.VarVariables) vars.Add(id.Name);
        var names = new HashSet<string>(vars, StringComparer.Ordinal);
        foreach (var id in scope.LexicalVariables) names.Add(id.Name);
        foreach (var id in scope.Functions) names.Add(id.Name);
        return (names, vars);
    }

    /// <summary>
    /// What a nested scope binds. Acornima lists a <c>var</c> in every block it is hoisted through; only function
    /// scopes and static blocks really bind it. A function expression's own name and a class's name are bound in the
    /// scopes of those nodes, which Acornima does not record.
    /// </summary>
    private static ScopeNames? DeclaredNames(Node node, in Scope scope)
    {
        bool bindsVars = node is IFunction or StaticBlock;
        string? ownName = node switch
        {
            FunctionExpression { Id: { } id } => id.Name,
            ClassDeclaration { Id: { } id } => id.Name,
            ClassExpression { Id: { } id } => id.Name,
            _ => null,
        };
        int count = (bindsVars ? scope.VarVariables.Length : 0) + scope.LexicalVariables.Length + scope.Functions.Length
            + (ownName is null ? 0 : 1);
        if (count == 0) return null;
        var names = new string[count];
        int i = 0;
        if (bindsVars) foreach (var id in scope.VarVariables) names[i++] = id.Name;
        foreach (var id in scope.LexicalVariables) names[i++] = id.Name;
        foreach (var id in scope.Functions) names[i++] = id.Name;
        if (ownName is not null) names[i] = ownName;
        return new ScopeNames(names);
    }
}
