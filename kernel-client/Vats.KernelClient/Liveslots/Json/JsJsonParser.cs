using System.Globalization;
using System.Text;

namespace Vats.KernelClient;

/// <summary>
/// <c>JSON.parse</c> as JavaScript does it, into a small tree: null, <see cref="bool"/>, <see cref="JsNumber"/>,
/// <see cref="string"/>, <see cref="List{T}"/> of values, <see cref="JsObject"/>.
/// </summary>
/// <remarks>
/// System.Text.Json cannot be used for this: it refuses to read a string holding a lone surrogate
/// (<c>"\ud800"</c>), which JSON.stringify produces for any JavaScript string that has one, and it has no
/// notion of JavaScript's property order. Grammar: ECMA-404 exactly (no comments, no trailing commas, no BOM).
/// </remarks>
internal sealed class JsJsonParser
{
    /// <summary>Deeper nesting is refused rather than risking the stack; real liveslots shapes are shallow.</summary>
    public const int MaxDepth = 1000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string text;
    private readonly string context;
    private int pos;

    private JsJsonParser(string text, string context)
    {
        this.text = text;
        this.context = context;
    }

    /// <summary>Parses UTF-8 JSON text; <paramref name="context"/> names the shape for error messages.</summary>
    public static object? Parse(ReadOnlySpan<byte> utf8, string context)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? $" at byte {e.Index}" : "";
            throw new LiveslotsFormatException($"{context}: expected UTF-8 text, found an invalid UTF-8 sequence{at}", e);
        }
        return Parse(text, context);
    }

    /// <summary>Parses JSON text; <paramref name="context"/> names the shape for error messages.</summary>
    public static object? Parse(string text, string context)
    {
        var parser = new JsJsonParser(text, context);
        parser.SkipWhitespace();
        var value = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (parser.pos < text.Length) throw parser.Error("the end of the JSON text");
        return value;
    }

    private object? ParseValue(int depth)
    {
        if (pos >= text.Length) throw Error("a JSON value");
        switch (text[pos])
        {
            case '{': return ParseObject(depth + 1);
            case '[': return ParseArray(depth + 1);
            case '"': return ParseString();
            case 't': return Literal("true", true);
            case 'f': return Literal("false", false);
            case 'n': return Literal("null", null);
            default:
                if (text[pos] == '-' || char.IsAsciiDigit(text[pos])) return ParseNumber();
                throw Error("a JSON value");
        }
    }

    private object? Literal(string word, object? value)
    {
        if (string.CompareOrdinal(text, pos, word, 0, word.Length) != 0) throw Error("a JSON value");
        pos += word.Length;
        return value;
    }

    private JsObject ParseObject(int depth)
    {
        CheckDepth(depth);
        pos++;
        var result = new JsObject();
        SkipWhitespace();
        if (Peek() == '}')
        {
            pos++;
            return result;
        }
        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"') throw Error("a property name string");
            var key = ParseString();
            SkipWhitespace();
            if (Peek() != ':') throw Error("':'");
            pos++;
            SkipWhitespace();
            result.Set(key, ParseValue(depth));
            SkipWhitespace();
            var c = Peek();
            if (c != ',' && c != '}') throw Error("',' or '}'");
            pos++;
            if (c == '}') return result;
        }
    }

    private List<object?> ParseArray(int depth)
    {
        CheckDepth(depth);
        pos++;
        var result = new List<object?>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            pos++;
            return result;
        }
        while (true)
        {
            SkipWhitespace();
            result.Add(ParseValue(depth));
            SkipWhitespace();
            var c = Peek();
            if (c != ',' && c != ']') throw Error("',' or ']'");
            pos++;
            if (c == ']') return result;
        }
    }

    private string ParseString()
    {
        pos++; // opening quote
        var start = pos;
        // Fast path: no escapes.
        while (pos < text.Length && text[pos] != '"' && text[pos] != '\\' && text[pos] >= 0x20) pos++;
        if (pos < text.Length && text[pos] == '"') return text.Substring(start, pos++ - start);

        var sb = new StringBuilder();
        sb.Append(text, start, pos - start);
        while (true)
        {
            if (pos >= text.Length) throw Error("'\"' closing the string");
            var c = text[pos];
            if (c == '"')
            {
                pos++;
                return sb.ToString();
            }
            if (c < 0x20) throw Error("a string character (control characters must be escaped)");
            if (c != '\\')
            {
                sb.Append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= text.Length) throw Error("an escape character");
            var escape = text[pos++];
            switch (escape)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (pos + 4 > text.Length ||
                        !ushort.TryParse(text.AsSpan(pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
                        throw Error("four hex digits after \\u");
                    // A \u escape is one UTF-16 code unit, paired or not: JavaScript strings may hold lone surrogates.
                    sb.Append((char)unit);
                    pos += 4;
                    break;
                default:
                    pos--;
                    throw Error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }

    private JsNumber ParseNumber()
    {
        var start = pos;
        if (Peek() == '-') pos++;
        if (Peek() == '0') pos++;
        else if (char.IsAsciiDigit(Peek())) SkipDigits();
        else throw Error("a digit");
        if (Peek() == '.')
        {
            pos++;
            if (!char.IsAsciiDigit(Peek())) throw Error("a digit after '.'");
            SkipDigits();
        }
        if (Peek() is 'e' or 'E')
        {
            pos++;
            if (Peek() is '+' or '-') pos++;
            if (!char.IsAsciiDigit(Peek())) throw Error("a digit in the exponent");
            SkipDigits();
        }
        var token = text[start..pos];
        // .NET parses to the nearest double like JavaScript does, overflowing to ±Infinity (1e400).
        return new JsNumber(double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture), token);
    }

    private void SkipDigits()
    {
        while (char.IsAsciiDigit(Peek())) pos++;
    }

    private void SkipWhitespace()
    {
        while (pos < text.Length && text[pos] is ' ' or '\t' or '\n' or '\r') pos++;
    }

    private char Peek() => pos < text.Length ? text[pos] : '\0';

    private void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
            throw new LiveslotsFormatException($"{context}: expected JSON nested at most {MaxDepth} deep, found deeper nesting at character {pos}");
    }

    private LiveslotsFormatException Error(string expected)
    {
        string found;
        if (pos >= text.Length) found = "the end of the text";
        else
        {
            var c = text[pos];
            found = c is >= ' ' and < (char)0x7f ? $"'{c}'" : $"U+{(int)c:X4}";
        }
        return new LiveslotsFormatException(
            $"{context}: invalid JSON at character {pos}: expected {expected}, found {found}", path: null, expected, found);
    }
}
