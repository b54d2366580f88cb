using System.Globalization;
using System.Text;

namespace Vats.KernelClient;

/// <summary>
/// Writes JSON byte for byte as JavaScript's <c>JSON.stringify</c> (no indentation) does.
/// </summary>
/// <remarks>
/// Only <c>"</c>, <c>\</c>, control characters below U+0020 and lone surrogates are escaped — control characters
/// as <c>\b \f \n \r \t</c> or <c>\u00xx</c>, lone surrogates as <c>\udxxx</c>, lowercase hex — and everything
/// else is written literally. System.Text.Json's encoders escape more (<c>&lt; &gt; &amp; ' +</c>, non-ASCII) or
/// use uppercase hex, which would change the bytes that transcripts compare.
/// </remarks>
internal static class JsJson
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendString(sb, s);
        return sb.ToString();
    }

    public static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        var run = 0; // start of the pending run of characters that need no escaping
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => UnicodeEscape(c),
                _ when char.IsHighSurrogate(c) => i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? null : UnicodeEscape(c),
                _ when char.IsLowSurrogate(c) => i > 0 && char.IsHighSurrogate(s[i - 1]) ? null : UnicodeEscape(c),
                _ => null,
            };
            if (escape is null) continue;
            sb.Append(s, run, i - run).Append(escape);
            run = i + 1;
        }
        sb.Append(s, run, s.Length - run).Append('"');
    }

    private static string UnicodeEscape(char c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);

    /// <summary>Writes a parsed tree (see <see cref="JsJsonParser"/>) as JSON.stringify would.</summary>
    public static void AppendValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case JsNumber n: sb.Append(JsNumber.Format(n.Value)); break;
            case string s: AppendString(sb, s); break;
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
                    AppendString(sb, key);
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
