using System.Globalization;
using System.Numerics;
using System.Text;
using Vats.QuickJs;

namespace Vats.KernelClient;

/// <summary>
/// Decodes a smallcaps body with @endo/marshal's rules (<c>decodeFromSmallcaps</c> with liveslots' slot
/// conversion) and renders the value readably; whatever marshal would refuse is refused.
/// </summary>
internal sealed class SmallcapsDisplay
{
    // The well-known symbols passable as "%@@name" (Symbol[name] in ES2023).
    private static readonly HashSet<string> WellKnownSymbols = new(StringComparer.Ordinal)
    {
        "asyncIterator", "hasInstance", "isConcatSpreadable", "iterator", "match", "matchAll", "replace",
        "search", "species", "split", "toPrimitive", "toStringTag", "unscopables",
    };

    private readonly IReadOnlyList<string> slots;
    private readonly Shape shape = new("smallcaps body");

    // marshal converts each slot once, on first use, with the interface named there; later uses share it.
    private readonly Dictionary<int, (bool IsPromise, string? Iface)> seen = [];

    private SmallcapsDisplay(IReadOnlyList<string> slots) => this.slots = slots;

    public static string Describe(CapData data)
    {
        if (!data.Body.StartsWith('#'))
            throw new LiveslotsFormatException(
                $"smallcaps body: expected a body starting with '#', found {Shape.Describe(data.Body)} (a legacy body?)");
        var tree = JsJsonParser.Parse(data.Body.AsSpan(1).ToString(), "smallcaps body");
        var sb = new StringBuilder();
        new SmallcapsDisplay(data.Slots).Render(sb, tree, "$");
        return sb.ToString();
    }

    private void Render(StringBuilder sb, object? value, string path)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case JsNumber n: sb.Append(FormatNumber(n.Value)); break;
            case string s: RenderString(sb, s, path); break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Render(sb, list[i], Shape.Index(path, i));
                }
                sb.Append(']');
                break;
            case JsObject obj when obj.Has("#tag"): RenderTagged(sb, obj, path); break;
            case JsObject obj when obj.Has("#error"): RenderError(sb, obj, path); break;
            case JsObject obj: RenderRecord(sb, obj, path); break;
            default: throw new ArgumentException($"not a JSON tree node: {value.GetType()}", nameof(value));
        }
    }

    private static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => JsNumber.Format(value),
    };

    private void RenderString(StringBuilder sb, string s, string path)
    {
        if (!SmallcapsEncoding.StartsSpecial(s))
        {
            JavaScriptJson.AppendQuoted(sb, s);
            return;
        }
        var rest = s[1..];
        switch (s[0])
        {
            case '!':
                JavaScriptJson.AppendQuoted(sb, rest);
                return;
            case '#':
                sb.Append(s switch
                {
                    "#undefined" => "undefined",
                    "#NaN" => "NaN",
                    "#Infinity" => "Infinity",
                    "#-Infinity" => "-Infinity",
                    _ => throw shape.Error(path, "a known constant (#undefined, #NaN, #Infinity, #-Infinity)", s),
                });
                return;
            case '+' or '-':
                if (rest.Length == 0 || !rest.All(char.IsAsciiDigit)) throw shape.Error(path, "a BigInt: a sign and decimal digits", s);
                sb.Append(BigInteger.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)).Append('n');
                return;
            case '%':
                sb.Append("Symbol(").Append(SymbolDescription(rest, s, path)).Append(')');
                return;
            case '$':
                RenderSlot(sb, s, isPromise: false, path);
                return;
            case '&':
                RenderSlot(sb, s, isPromise: true, path);
                return;
            default:
                throw shape.Error(path, "no string starting with one of \"'()*, (reserved for future use)", s);
        }
    }

    /// <summary>What JavaScript's <c>String(symbol)</c> shows between the parentheses.</summary>
    private string SymbolDescription(string name, string encoded, string path)
    {
        if (!name.StartsWith("@@", StringComparison.Ordinal)) return name; // Symbol.for(name)
        var suffix = name[2..];
        if (suffix.StartsWith("@@", StringComparison.Ordinal)) return suffix; // a registered name that itself starts with @@
        return WellKnownSymbols.Contains(suffix) ? "Symbol." + suffix : throw shape.Error(path, "a registered or well-known symbol", encoded);
    }

    private void RenderSlot(StringBuilder sb, string encoded, bool isPromise, string path)
    {
        var kind = isPromise ? "a promise" : "a remotable";
        var dot = encoded.IndexOf('.');
        var digits = dot < 0 ? encoded[1..] : encoded[1..dot];
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) ||
            !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= slots.Count)
            throw shape.Error(path, $"{kind} {encoded[0]}I with a slot index below {slots.Count}", encoded);
        var slot = slots[index];
        // liveslots converts a p± vref to a promise and anything else to a presence, whose kind marshal checks.
        if (slot.StartsWith('p') != isPromise)
            throw shape.Error(path, $"{kind} in slot {index}, but the vref {JavaScriptJson.Quote(slot)} there is not one", encoded);
        if (!seen.TryGetValue(index, out var first))
        {
            first = (isPromise, dot < 0 ? null : encoded[(dot + 1)..]);
            seen[index] = first;
        }
        sb.Append('[').Append(slot);
        if (isPromise) sb.Append(" Promise");
        else if (first.Iface is { } iface) sb.Append(' ').Append(iface);
        sb.Append(']');
    }

    private void RenderTagged(StringBuilder sb, JsObject obj, string path)
    {
        foreach (var (key, _) in obj.Entries())
            if (key is not "#tag" and not "payload") throw shape.Error(path, "a tagged record with only \"#tag\" and \"payload\"", obj);
        obj.TryGet("#tag", out var tag);
        var name = DecodeString(tag, path + "[\"#tag\"]", "a string tag");
        var payload = Shape.Property(obj, "payload");
        if (payload is Missing) throw shape.Error(path, "a tagged record with a \"payload\"", obj);
        sb.Append("makeTagged(");
        JavaScriptJson.AppendQuoted(sb, name);
        sb.Append(", ");
        Render(sb, payload, path + ".payload");
        sb.Append(')');
    }

    private void RenderError(StringBuilder sb, JsObject obj, string path)
    {
        if (obj.Has("message")) throw shape.Error(path, "an error record without a \"message\" property", obj);
        // Decoded in marshal's order: name, message, errorId, cause, errors, then the rest (annotations).
        var name = DecodeString(Shape.Property(obj, "name"), path + ".name", "the error name");
        obj.TryGet("#error", out var encodedMessage);
        var message = DecodeString(encodedMessage, path + "[\"#error\"]", "the error message");
        var discard = new StringBuilder();
        foreach (var key in new[] { "errorId", "cause", "errors" })
            if (obj.TryGet(key, out var item) && Truthy(item)) Render(discard, item, $"{path}.{key}");
        foreach (var (key, item) in obj.Entries())
            if (key is not "#error" and not "name" and not "errorId" and not "cause" and not "errors")
                Render(discard, item, $"{path}[{JavaScriptJson.Quote(key)}]");
        // Error.prototype.toString, with the name as sent (marshal would rebuild an unknown name as Error).
        sb.Append(name.Length == 0 ? message : message.Length == 0 ? name : $"{name}: {message}");
    }

    private void RenderRecord(StringBuilder sb, JsObject obj, string path)
    {
        var decoded = new JsObject();
        foreach (var (key, item) in obj.Entries())
        {
            if (key.StartsWith('#')) throw shape.Error(path, "a record with no property name starting with '#' other than \"#tag\" or \"#error\"", key);
            var name = DecodeString(key, $"{path}[{JavaScriptJson.Quote(key)}]", "a property name that decodes to a string");
            var rendered = new StringBuilder();
            Render(rendered, item, $"{path}[{JavaScriptJson.Quote(key)}]");
            decoded.Set(name, rendered.ToString());
        }
        sb.Append('{');
        var first = true;
        foreach (var (name, rendered) in decoded.Entries())
        {
            if (!first) sb.Append(", ");
            first = false;
            JavaScriptJson.AppendQuoted(sb, name);
            sb.Append(": ").Append((string)rendered!);
        }
        sb.Append('}');
    }

    /// <summary>A smallcaps value that must decode to a string: a plain string or a <c>!</c>-escaped one.</summary>
    private string DecodeString(object? value, string path, string what)
    {
        if (value is string s)
        {
            if (!SmallcapsEncoding.StartsSpecial(s)) return s;
            if (s[0] == '!') return s[1..];
        }
        throw shape.Error(path, $"{what} (a string, or '!' and a string)", value);
    }

    private static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        JsNumber n => n.Value != 0 && !double.IsNaN(n.Value),
        string s => s.Length > 0,
        _ => true,
    };
}
