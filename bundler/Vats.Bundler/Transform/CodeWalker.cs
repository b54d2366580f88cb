using Acornima;
using Acornima.Ast;
using Vats.Bundler.Parsing;

namespace Vats.Bundler.Transform;

/// <summary>
/// A walk over a parsed module that both module kinds share: it keeps the chain of scopes that shadow top-level
/// names, counts function nesting, refuses dynamic <c>import()</c>, and respells what SES's eval and import censors
/// would reject in code: a direct <c>eval(x)</c> becomes the indirect <c>(0,eval)(x)</c> (a direct eval cannot work
/// under SES anyway) and methods named <c>import</c> or <c>eval</c> get computed keys.
/// </summary>
internal abstract class CodeWalker(ParsedSource source, SourceEdits edits) : AstVisitor
{
    private readonly List<ScopeNames> _scopes = [];

    protected ParsedSource Source { get; } = source;

    protected SourceEdits Edits { get; } = edits;

    /// <summary>How many functions enclose the node being visited; 0 at the top level (class bodies do not count).</summary>
    protected int FunctionDepth { get; private set; }

    /// <summary>Walks the whole module.</summary>
    public void Walk()
    {
        try
        {
            Visit(Source.Program);
        }
        catch (InsufficientExecutionStackException)
        {
            throw new BundleException($"{Source.File}: SyntaxError: nesting too deep to bundle");
        }
    }

    /// <summary>True when a scope between the node being visited and the top level declares <paramref name="name"/>.</summary>
    protected bool IsShadowed(string name)
    {
        for (int i = _scopes.Count - 1; i >= 0; i--)
            if (_scopes[i].Contains(name)) return true;
        return false;
    }

    public override object? Visit(Node node)
    {
        // A switch's discriminant is outside the scope of its body; VisitSwitchStatement enters that scope itself.
        var names = node is SwitchStatement ? null : node.UserData as ScopeNames;
        bool function = node is IFunction;
        if (names is not null) _scopes.Add(names);
        if (function) FunctionDepth++;
        var result = base.Visit(node);
        if (function) FunctionDepth--;
        if (names is not null) _scopes.RemoveAt(_scopes.Count - 1);
        return result;
    }

    protected override object? VisitSwitchStatement(SwitchStatement node)
    {
        Visit(node.Discriminant);
        var names = node.UserData as ScopeNames;
        if (names is not null) _scopes.Add(names);
        foreach (var switchCase in node.Cases) Visit(switchCase);
        if (names is not null) _scopes.RemoveAt(_scopes.Count - 1);
        return node;
    }

    protected override object? VisitImportExpression(ImportExpression node) =>
        throw Source.Error(node.Start, "dynamic import() is not supported in bundles");

    protected override object? VisitCallExpression(CallExpression node)
    {
        MakeEvalIndirect(node.Callee);
        return base.VisitCallExpression(node);
    }

    protected override object? VisitNewExpression(NewExpression node)
    {
        MakeEvalIndirect(node.Callee);
        return base.VisitNewExpression(node);
    }

    protected override object? VisitMethodDefinition(MethodDefinition node)
    {
        QuoteMethodName(node.Key, node.Computed);
        return base.VisitMethodDefinition(node);
    }

    protected override object? VisitObjectProperty(ObjectProperty node)
    {
        if (node.Method || node.Kind is PropertyKind.Get or PropertyKind.Set) QuoteMethodName(node.Key, node.Computed);
        return base.VisitObjectProperty(node);
    }

    // Only where the text reads `eval(`, which is what the censor matches.
    private void MakeEvalIndirect(Expression callee)
    {
        if (callee is Identifier && Source.Spells(callee, "eval") && Source.NextSignificant(callee.End) == '(')
            Edits.Replace(callee.Start, callee.End, "(0,eval)");
    }

    private void QuoteMethodName(Expression key, bool computed)
    {
        if (computed || key is not Identifier) return;
        if (Source.Spells(key, "import")) Edits.Replace(key.Start, key.End, "[\"import\"]");
        else if (Source.Spells(key, "eval")) Edits.Replace(key.Start, key.End, "[\"eval\"]");
    }
}
