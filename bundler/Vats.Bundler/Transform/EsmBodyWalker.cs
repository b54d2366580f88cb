using Acornima;
using Acornima.Ast;
using Vats.Bundler.Parsing;

namespace Vats.Bundler.Transform;

/// <summary>
/// Rewrites the code of an ES module for the functor it becomes. Every assignment to an exported top-level binding
/// (<c>=</c>, compound and logical assignment, <c>++</c>/<c>--</c>, destructuring, <c>for (… in/of …)</c> heads)
/// assigns through an accessor object instead (<c>x = 1</c> becomes <c>$assign.x = 1</c>), whose setter sets the
/// binding and publishes it to importers at that very moment. Scope analysis decides what <c>x</c> names: a local
/// that shadows the export is left alone. Also replaces <c>import.meta</c> and refuses top-level <c>await</c> and
/// identifiers that could collide with the bundle's own names.
/// </summary>
internal sealed class EsmBodyWalker(ParsedSource source, SourceEdits edits, HashSet<string> assignable)
    : CodeWalker(source, edits)
{
    private readonly bool _checkHidden = source.Text.Contains(EsmTransform.Hidden, StringComparison.Ordinal);

    /// <summary>The exported bindings assigned somewhere, which need an accessor.</summary>
    public SortedSet<string> Assigned { get; } = new(StringComparer.Ordinal);

    public bool UsesImportMeta { get; private set; }

    protected override object? VisitIdentifier(Identifier node)
    {
        if (_checkHidden && node.Name.StartsWith(EsmTransform.Hidden, StringComparison.Ordinal))
            throw Source.Error(node.Start, "identifier uses the prefix reserved for bundle internals");
        return node;
    }

    protected override object? VisitMetaProperty(MetaProperty node)
    {
        if (node.Meta.Name != "import") return node;
        Edits.Replace(node.Start, node.End, EsmTransform.MetaLocal);
        UsesImportMeta = true;
        return node;
    }

    protected override object? VisitAwaitExpression(AwaitExpression node)
    {
        if (FunctionDepth == 0) throw TopLevelAwait(node.Start);
        return base.VisitAwaitExpression(node);
    }

    /// <summary>
    /// Names that a rewritten top-level <c>var</c> declaration no longer declares itself (its pattern became an
    /// assignment target); the functor declares them before the body instead, which for a hoisted <c>var</c> changes
    /// nothing.
    /// </summary>
    public SortedSet<string> VarsToDeclare { get; } = new(StringComparer.Ordinal);

    protected override object? VisitVariableDeclaration(VariableDeclaration node)
    {
        if (FunctionDepth == 0 && node.Kind == VariableDeclarationKind.AwaitUsing) throw TopLevelAwait(node.Start);
        if (!DeclaresPublishedVar(node)) return base.VisitVariableDeclaration(node);
        // A `var` initializer assigns a binding that already exists (hoisted), so it is published like any other
        // assignment, at that moment: `var x = e` becomes `var x = $assign.x = e`, and a pattern
        // `var { a, b = 7 } = o` becomes `var {} = ({ a:$assign.a, b:$assign.b = 7 } = o)`.
        foreach (var declarator in node.Declarations)
        {
            if (declarator.Init is not { } init)
            {
                Visit(declarator.Id);
            }
            else if (declarator.Id is Identifier id)
            {
                Visit(id);
                bool published = IsPublished(id.Name);
                if (published)
                {
                    Edits.Insert(init.Start, EsmTransform.AssignObject + "." + id.Name + " = ");
                    Assigned.Add(id.Name);
                }
                Visit(init);
                if (published) KeepFunctionName(init, id.Name);
            }
            else
            {
                Edits.Insert(declarator.Id.Start, "{} = (");
                DeclareInstead(declarator.Id);
                Visit(init);
                Edits.Insert(init.End, ")");
            }
        }
        return node;
    }

    /// <summary>True for a <c>var</c> declaration of the module's own scope that binds an exported, assignable name.</summary>
    private bool DeclaresPublishedVar(VariableDeclaration node)
    {
        if (node.Kind != VariableDeclarationKind.Var || FunctionDepth > 0) return false;
        var names = new List<Identifier>();
        foreach (var declarator in node.Declarations) EsmTransform.BindingNames(declarator.Id, names);
        return names.Exists(id => IsPublished(id.Name));
    }

    private bool IsPublished(string name) => assignable.Contains(name) && !IsShadowed(name);

    // The pattern becomes an assignment target; every name it bound is declared by the functor instead.
    private void DeclareInstead(Node pattern)
    {
        var names = new List<Identifier>();
        EsmTransform.BindingNames(pattern, names);
        foreach (var id in names) VarsToDeclare.Add(id.Name);
        Target(pattern, shorthand: false);
    }

    private BundleException TopLevelAwait(int offset) => Source.Error(offset, "top-level await is not supported in bundles");

    protected override object? VisitAssignmentExpression(AssignmentExpression node)
    {
        bool renamed = Target(node.Left, shorthand: false);
        Visit(node.Right);
        if (renamed && node.Operator is Operator.Assignment or Operator.LogicalAndAssignment or Operator.LogicalOrAssignment
                or Operator.NullishCoalescingAssignment)
            KeepFunctionName(node.Right, ((Identifier)node.Left).Name);
        return node;
    }

    protected override object? VisitUnaryExpression(UnaryExpression node)
    {
        if (node is UpdateExpression) Target(node.Argument, shorthand: false);
        else Visit(node.Argument);
        return node;
    }

    protected override object? VisitForInStatement(ForInStatement node)
    {
        Head(node.Left);
        Visit(node.Right);
        Visit(node.Body);
        return node;
    }

    protected override object? VisitForOfStatement(ForOfStatement node)
    {
        if (node.Await && FunctionDepth == 0) throw TopLevelAwait(Source.SkipTrivia(node.Start + "for".Length));
        Head(node.Left);
        Visit(node.Right);
        Visit(node.Body);
        return node;
    }

    private void Head(Node left)
    {
        if (left is not VariableDeclaration declaration)
        {
            Target(left, shorthand: false);
        }
        else if (DeclaresPublishedVar(declaration))
        {
            // `for (var x of list)` assigns `x` at each iteration: `for ( $assign.x of list)`.
            Edits.Blank(declaration.Start, declaration.Start + "var".Length);
            DeclareInstead(declaration.Declarations[0].Id);
        }
        else
        {
            Visit(left);
        }
    }

    /// <summary>
    /// Visits an assignment target, renaming each exported binding in it to its accessor. Returns true when the target
    /// is one such binding.
    /// </summary>
    private bool Target(Node target, bool shorthand)
    {
        switch (target)
        {
            case Identifier id:
                Visit(id);
                if (!assignable.Contains(id.Name) || IsShadowed(id.Name)) return false;
                string access = EsmTransform.AssignObject + "." + id.Name;
                // `{ x }` in a pattern is short for `{ x: x }`; the accessor needs the long form.
                Edits.Replace(id.Start, id.End, shorthand ? id.Name + ":" + access : access);
                Assigned.Add(id.Name);
                return true;
            case ObjectPattern pattern:
                foreach (var property in pattern.Properties)
                {
                    if (property is RestElement rest)
                    {
                        Target(rest.Argument, shorthand: false);
                    }
                    else if (property is Property p)
                    {
                        if (!p.Shorthand) Visit(p.Key);
                        TargetWithDefault(p.Value, p.Shorthand);
                    }
                }
                return false;
            case ArrayPattern pattern:
                foreach (var element in pattern.Elements)
                {
                    if (element is RestElement rest) Target(rest.Argument, shorthand: false);
                    else if (element is not null) TargetWithDefault(element, shorthand: false);
                }
                return false;
            case AssignmentPattern or RestElement:
                TargetWithDefault(target, shorthand);
                return false;
            default:
                Visit(target);
                return false;
        }
    }

    private void TargetWithDefault(Node node, bool shorthand)
    {
        if (node is RestElement rest)
        {
            Target(rest.Argument, shorthand: false);
        }
        else if (node is AssignmentPattern withDefault)
        {
            bool renamed = Target(withDefault.Left, shorthand);
            Visit(withDefault.Right);
            if (renamed) KeepFunctionName(withDefault.Right, ((Identifier)withDefault.Left).Name);
        }
        else
        {
            Target(node, shorthand);
        }
    }

    /// <summary>
    /// An anonymous function or class assigned to a plain name takes that name; assigned to the accessor's property
    /// it would not, so it goes through an object literal property of the same name, which names it the same way.
    /// </summary>
    private void KeepFunctionName(Expression value, string name)
    {
        if (value is not (ArrowFunctionExpression or FunctionExpression { Id: null } or ClassExpression { Id: null })) return;
        // A `__proto__:` property would set the prototype instead; a computed key does not.
        bool proto = name == "__proto__";
        Edits.Insert(value.Start, proto ? "{[\"__proto__\"]:" : "{" + name + ":");
        Edits.Insert(value.End, proto ? "}[\"__proto__\"]" : "}." + name);
    }
}
