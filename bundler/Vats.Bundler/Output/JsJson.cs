using System.Globalization;
using System.Text;
using Vats.QuickJs;

namespace Vats.Bundler.Output;

/// <summary>An ordered JSON object: properties are written in insertion order, as JS does.</summary>
internal sealed class JsObject : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
}

/// <summary>
/// Writes JSON byte-for-byte as JavaScript's <c>JSON.stringify</c> does (strings through
/// <see cref="JavaScriptJson"/>: non-ASCII left raw, only quote, backslash, control characters and lone
/// surrogates escaped).
/// </summary>
internal static class JsJson
{
    /// <summary>JSON.stringify(value, null, indent) for strings, booleans, integers, lists and <see cref="JsObject"/>.</summary>
    public static string Stringify(object? value, int indent = 0)
    {
        var sb = new StringBuilder();
        Write(sb, value, indent, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, int indent, int level)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case string s: JavaScriptJson.AppendQuoted(sb, s); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case int n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
            case long n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
            case JsObject o:
                if (o.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                for (int i = 0; i < o.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, indent, level + 1);
                    JavaScriptJson.AppendQuoted(sb, o[i].Key);
                    sb.Append(indent > 0 ? ": " : ":");
                    Write(sb, o[i].Value, indent, level + 1);
                }
                NewLine(sb, indent, level);
                sb.Append('}');
                break;
            case System.Collections.IEnumerable list:
                {
                    var items = list.Cast<object?>().ToList();
                    if (items.Count == 0) { sb.Append("[]"); break; }
                    sb.Append('[');
                    for (int i = 0; i < items.Count; i++)
                    {
                        if (i > 0) sb.Append(',');
                        NewLine(sb, indent, level + 1);
                        Write(sb, items[i], indent, level + 1);
                    }
                    NewLine(sb, indent, level);
                    sb.Append(']');
                    break;
                }
            default: throw new ArgumentException($"cannot serialise {value.GetType()}");
        }
    }

    private static void NewLine(StringBuilder sb, int indent, int level)
    {
        if (indent == 0) return;
        sb.Append('\n').Append(' ', indent * level);
    }
}
