using System.Globalization;
using System.Text;

namespace Vats.Bundler.Output;

/// <summary>An ordered JSON object: properties are written in insertion order, as JS does.</summary>
internal sealed class JsObject : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
}

/// <summary>
/// Writes JSON byte-for-byte as JavaScript's <c>JSON.stringify</c> does: non-ASCII left raw,
/// only quote, backslash, control characters and lone surrogates escaped.
/// </summary>
internal static class JsJson
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s);
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) AppendU(sb, c);
                    else if (char.IsHighSurrogate(c))
                    {
                        if (i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[i + 1]); i++; }
                        else AppendU(sb, c);
                    }
                    else if (char.IsLowSurrogate(c)) AppendU(sb, c);
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    private static void AppendU(StringBuilder sb, char c) =>
        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));

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
            case string s: AppendQuoted(sb, s); break;
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
                    AppendQuoted(sb, o[i].Key);
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
