using System.Text;
using Vats.Bundler.Graph;
using Vats.Bundler.Transform;
using Vats.QuickJs;

namespace Vats.Bundler.Output;

/// <summary>
/// Writes the <c>source</c> of a nestedEvaluate bundle: an arrow that, when called (with or
/// without a file prefix), links every module and returns the entry module's namespace.
/// Module functors are inlined as expressions in the arrow's otherwise empty scope.
/// </summary>
internal static class NestedEvaluateWriter
{
    private static readonly Lazy<string> Linker = new(() =>
    {
        using var stream = typeof(NestedEvaluateWriter).Assembly.GetManifestResourceStream("Vats.Bundler.linker.js")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
    });

    public static string Write(ModuleGraph graph)
    {
        var sb = new StringBuilder(1 << 16);
        sb.Append("() => (").Append(Linker.Value).Append(")([\n");
        foreach (var node in graph.Modules)
        {
            sb.Append("// === ").Append(node.Index).Append(". ").Append(SafeComment(node.DisplayName)).Append(" ===\n");
            sb.Append("{kind:");
            switch (node.Kind)
            {
                case ModuleKind.Esm:
                    {
                        var esm = node.Esm!;
                        sb.Append("\"esm\",deps:").Append(Deps(node));
                        sb.Append(",live:").Append(JsJson.Stringify(esm.LiveExports.Select(p => new object[] { p.Key, p.Value }).ToList()));
                        sb.Append(",star:").Append(JsJson.Stringify(esm.StarExports));
                        sb.Append(",reexportMap:").Append(JsJson.Stringify(esm.ReexportMap
                            .Select(p => new object[] { p.Key, p.Value.Select(x => new object[] { x.Import, x.Export }).ToList() }).ToList()));
                        sb.Append(",functor:\n").Append(esm.Functor).Append("},\n");
                        break;
                    }
                case ModuleKind.Cjs:
                    sb.Append("\"cjs\",deps:").Append(Deps(node))
                        .Append(",names:").Append(JsJson.Stringify(StaticExports.Of(node).Order(StringComparer.Ordinal).ToList()))
                        .Append(",functor:\n").Append(node.Cjs!.Functor).Append("},\n");
                    break;
                default:
                    sb.Append("\"json\",value:JSON.parse(").Append(SafeStringLiteral(node.JsonText!)).Append(")},\n");
                    break;
            }
        }
        sb.Append("])\n");
        string source = sb.ToString();
        if (Censor.FirstRejected(source) is { } rejected)
        {
            var (line, column) = BundleException.LineColumn(source, rejected.Offset);
            throw new BundleException($"bundle:{line}:{column}: output would contain '{rejected.Pattern}', which SES rejects");
        }
        return source;
    }

    private static string Deps(ModuleNode node) =>
        JsJson.Stringify(node.Dependencies.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new object[] { p.Key, p.Value.Index }).ToList());

    private static string SafeComment(string text) => text.Replace("*/", "* /", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal).Replace("import", "im-port", StringComparison.Ordinal);

    /// <summary>A JS string literal whose text cannot form any pattern the SES censor rejects.</summary>
    internal static string SafeStringLiteral(string value) =>
        JavaScriptJson.Quote(value).Replace("(", "\\u0028", StringComparison.Ordinal).Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal).Replace("/", "\\u002f", StringComparison.Ordinal);
}
