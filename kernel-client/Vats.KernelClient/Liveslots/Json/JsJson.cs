using System.Globalization;
using System.Text;
using Vats.QuickJs;

namespace Vats.KernelClient;

/// <summary>
/// Writes JSON byte for byte as JavaScript's <c>JSON.stringify</c> (no indentation) does; strings through
/// <see cref="JavaScriptJson"/>.
/// </summary>
internal static class JsJson
{
    /// <summary>Writes a parsed tree (see <see cref="JsJsonParser"/>) as JSON.stringify would.</summary>
    public static void AppendValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case JsNumber n: sb.Append(JsNumber.Format(n.Value)); break;
            case string s: JavaScriptJson.AppendQuoted(sb, s); break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    AppendValue(sb, list[i]);
                }
                sb.Append(']');
                break;
            case JsObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, item) in obj.Entries())
                {
                    if (!first) sb.Append(',');
                    first = false;
                    JavaScriptJson.AppendQuoted(sb, key);
                    sb.Append(':');
                    AppendValue(sb, item);
                }
                sb.Append('}');
                break;
            default:
                throw new ArgumentException($"not a JSON tree node: {value.GetType()}", nameof(value));
        }
    }

    public static string Stringify(object? value)
    {
        var sb = new StringBuilder();
        AppendValue(sb, value);
        return sb.ToString();
    }

    public static byte[] Utf8(StringBuilder sb) => Encoding.UTF8.GetBytes(sb.ToString());
}
