using Acornima;
using Acornima.Ast;
using Vats.Bundler.Parsing;

namespace Vats.Bundler.Transform;

/// <summary>
/// Finds what a CommonJS module requires and exports, in the patterns real packages use: <c>require('x')</c>,
/// <c>exports.x =</c>, <c>module.exports.x =</c>, <c>module.exports = { … }</c>,
/// <c>Object.defineProperty(exports, 'x', …)</c>, and re-exports through <c>module.exports = require('x')</c>,
/// TypeScript's <c>__exportStar(require('x'))</c> and Babel's <c>Object.keys(_x).forEach</c> over a required module.
/// The archive format must list them before the module runs, as Node's CommonJS lexer does.
/// </summary>
internal sealed class CjsExportsWalker(ParsedSource source, SourceEdits edits) : CodeWalker(source, edits)
{
    // Locals that hold a required module (`_x = require('m')`, `_x = _interop(require('m'))`), for Babel's re-exports.
    private readonly Dictionary<string, string> _requiredInto = new(StringComparer.Ordinal);

    /// <summary><c>require</c> specifiers, in order of appearance.</summary>
    public List<string> Imports { get; } = [];

    /// <summary>Named exports, <c>default</c> included.</summary>
    public SortedSet<string> Exports { get; } = new(StringComparer.Ordinal) { "default" };

    /// <summary>Specifiers whose exports this module passes through.</summary>
    public List<string> Reexports { get; } = [];

    protected override object? VisitCallExpression(CallExpression node)
    {
        if (RequiredSpecifier(node) is { } spec)
        {
            AddOnce(Imports, spec);
        }
        else if (CalleeName(node.Callee) is "__exportStar" or "__export" && node.Arguments.Count > 0
                 && RequiredSpecifier(node.Arguments[0]) is { } starSpec)
        {
            AddOnce(Reexports, starSpec);
        }
        else if (CalleeName(node.Callee) == "defineProperty" && node.Arguments.Count >= 2
                 && node.Arguments[0] is Identifier { Name: "exports" } && node.Arguments[1] is StringLiteral name)
        {
            Exports.Add(name.Value);
        }
        return base.VisitCallExpression(node);
    }

    protected override object? VisitVariableDeclarator(VariableDeclarator node)
    {
        if (node.Id is Identifier id && node.Init is { } init) Holds(id.Name, init);
        return base.VisitVariableDeclarator(node);
    }

    protected override object? VisitAssignmentExpression(AssignmentExpression node)
    {
        if (node.Operator == Operator.Assignment)
        {
            switch (node.Left)
            {
                case Identifier id:
                    Holds(id.Name, node.Right);
                    break;
                case MemberExpression { Computed: false, Property: Identifier property } member when IsExportsObject(member.Object):
                    Exports.Add(property.Name);
                    break;
                case MemberExpression member when IsModuleExports(member):
                    if (node.Right is ObjectExpression literal) AddObjectKeys(literal);
                    else if (RequiredSpecifier(node.Right) is { } spec) AddOnce(Reexports, spec);
                    break;
            }
        }
        return base.VisitAssignmentExpression(node);
    }

    protected override object? VisitMemberExpression(MemberExpression node)
    {
        // Babel's `export * from 'm'`: Object.keys(_m).forEach(…) copies every key of the required module.
        if (node is { Computed: false, Property: Identifier { Name: "forEach" }, Object: CallExpression keys }
            && keys.Callee is MemberExpression { Computed: false, Object: Identifier { Name: "Object" }, Property: Identifier { Name: "keys" } }
            && keys.Arguments.Count == 1 && keys.Arguments[0] is Identifier holder
            && _requiredInto.TryGetValue(holder.Name, out var spec))
        {
            AddOnce(Reexports, spec);
        }
        return base.VisitMemberExpression(node);
    }

    private void Holds(string local, Node value)
    {
        var spec = RequiredSpecifier(value);
        if (spec is null && value is CallExpression { Callee: Identifier, Arguments.Count: > 0 } wrapper)
            spec = RequiredSpecifier(wrapper.Arguments[0]);
        if (spec is not null) _requiredInto[local] = spec;
    }

    private static string? RequiredSpecifier(Node node) =>
        node is CallExpression { Callee: Identifier { Name: "require" }, Arguments.Count: 1 } call
        && call.Arguments[0] is StringLiteral spec ? spec.Value : null;

    private static string? CalleeName(Expression callee) => callee switch
    {
        Identifier id => id.Name,
        MemberExpression { Computed: false, Property: Identifier property } => property.Name,
        _ => null,
    };

    private static bool IsModuleExports(MemberExpression member) =>
        member is { Computed: false, Object: Identifier { Name: "module" }, Property: Identifier { Name: "exports" } };

    private static bool IsExportsObject(Expression node) =>
        node is Identifier { Name: "exports" } || (node is MemberExpression member && IsModuleExports(member));

    // Keys of `module.exports = { a, b: 1, 'c': 2, d() {} }`; getters, spreads and computed keys are not followed.
    private void AddObjectKeys(ObjectExpression literal)
    {
        foreach (var node in literal.Properties)
        {
            if (node is not ObjectProperty { Computed: false } property || property.Kind is PropertyKind.Get or PropertyKind.Set) continue;
            if (property.Method && property.Value is FunctionExpression { Async: true } or FunctionExpression { Generator: true }) continue;
            switch (property.Key)
            {
                case Identifier id:
                    Exports.Add(id.Name);
                    break;
                case StringLiteral name when !property.Method:
                    Exports.Add(name.Value);
                    break;
            }
        }
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value)) list.Add(value);
    }
}
