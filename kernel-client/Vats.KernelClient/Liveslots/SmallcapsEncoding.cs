namespace Vats.KernelClient;

/// <summary>@endo/marshal's <c>encodeToSmallcaps</c> for the values JSON can express.</summary>
internal static class SmallcapsEncoding
{
    /// <summary>Characters <c>!</c> (33) to <c>-</c> (45) start the special strings.</summary>
    public static bool StartsSpecial(string s) => s.Length > 0 && s[0] is >= '!' and <= '-';

    public static object? Encode(object? value) => value switch
    {
        null or bool => value,
        // JSON.parse turns an overflowing literal like 1e400 into Infinity; marshal then writes the constant.
        JsNumber { Value: double.PositiveInfinity } => "#Infinity",
        JsNumber { Value: double.NegativeInfinity } => "#-Infinity",
        JsNumber n => n, // the writer prints −0 as 0, as marshal replaces it
        string s => EncodeString(s),
        List<object?> list => list.Select(Encode).ToList(),
        JsObject obj => EncodeRecord(obj),
        _ => throw new ArgumentException($"not a JSON tree node: {value.GetType()}", nameof(value)),
    };

    /// <summary>Prefixing <c>!</c> keeps every string distinct and their sort order intact (a "Hilbert hotel").</summary>
    private static string EncodeString(string s) => StartsSpecial(s) ? "!" + s : s;

    private static JsObject EncodeRecord(JsObject obj)
    {
        // marshal sorts a copyRecord's names (Array.prototype.sort: by UTF-16 code units) so equal records
        // encode equally; the object it builds then enumerates array-index names first, as JsObject does.
        var entries = obj.Entries().ToList();
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var result = new JsObject();
        foreach (var (name, item) in entries) result.Set(EncodeString(name), Encode(item));
        return result;
    }
}
