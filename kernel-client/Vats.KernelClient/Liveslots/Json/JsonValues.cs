using System.Text.Json;

namespace Vats.KernelClient;

/// <summary>
/// The opaque JSON parts of the shapes (vat options, syscall result data, retention stats) are kept as
/// <see cref="JsonElement"/>s whose raw text is already in JSON.stringify's form, so writing one is a copy and
/// two are equal exactly when their texts are.
/// </summary>
internal static class JsonValues
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = JsJsonParser.MaxDepth + 1 };

    /// <summary>A self-contained element holding the JSON.stringify form of a parsed tree.</summary>
    public static JsonElement FromTree(object? tree) => FromCanonical(JsJson.Stringify(tree));

    /// <summary>A self-contained element for text already in JSON.stringify's form.</summary>
    public static JsonElement FromCanonical(string json)
    {
        using var document = JsonDocument.Parse(json, DocumentOptions);
        return document.RootElement.Clone();
    }

    /// <summary>What JavaScript would hold after JSON.parse of the element's text.</summary>
    public static object? ToTree(JsonElement element, string context)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
            throw new ArgumentException($"{context}: expected a JSON value, found an empty (default) JsonElement");
        return JsJsonParser.Parse(element.GetRawText(), context);
    }

    /// <summary>Copies an element supplied from outside into normalized, self-contained form.</summary>
    public static JsonElement Own(JsonElement element, string context) => FromTree(ToTree(element, context));

    public static bool Equal(JsonElement? a, JsonElement? b) =>
        a is null || b is null ? a is null && b is null : string.Equals(a.Value.GetRawText(), b.Value.GetRawText(), StringComparison.Ordinal);

    public static int Hash(JsonElement? a) => a is null ? 0 : StringComparer.Ordinal.GetHashCode(a.Value.GetRawText());
}
