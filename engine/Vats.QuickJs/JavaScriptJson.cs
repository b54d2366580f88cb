using System.Globalization;
using System.Text;

namespace Vats.QuickJs;

/// <summary>
/// Strings as JavaScript's <c>JSON.stringify</c> writes them, byte for byte: only <c>"</c>, <c>\</c>, control
/// characters below U+0020 (as <c>\b \f \n \r \t</c> or <c>\u00xx</c>) and lone surrogates (as <c>\udxxx</c>) are
/// escaped, with lowercase hex; everything else, non-ASCII included, is written as it is. System.Text.Json's
/// encoders escape more (<c>&lt; &gt; &amp; ' +</c>, non-ASCII) or use uppercase hex, which would change bundle
/// hashes and the syscall bytes transcripts compare.
/// </summary>
public static class JavaScriptJson
{
    /// <summary><c>JSON.stringify(s)</c>.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s);
        return sb.ToString();
    }

    /// <summary>Appends <c>JSON.stringify(s)</c> to <paramref name="sb"/>.</summary>
    public static void AppendQuoted(StringBuilder sb, string s)
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
}
