namespace Vats.KernelClient;

/// <summary>
/// A JSON object with JavaScript's own-property semantics, so that parsing and re-stringifying give what
/// <c>JSON.stringify(JSON.parse(text))</c> gives: a repeated key keeps its first position and takes its last
/// value, and array-index keys ("0", "1", "10") enumerate first, in ascending numeric order, before all other
/// keys in insertion order.
/// </summary>
internal sealed class JsObject
{
    private readonly List<string> order = [];
    private readonly Dictionary<string, object?> values = new(StringComparer.Ordinal);

    public int Count => order.Count;

    public void Set(string key, object? value)
    {
        if (!values.ContainsKey(key)) order.Add(key);
        values[key] = value;
    }

    public bool TryGet(string key, out object? value) => values.TryGetValue(key, out value);

    public bool Has(string key) => values.ContainsKey(key);

    /// <summary>The properties in JavaScript's enumeration order (OrdinaryOwnPropertyKeys).</summary>
    public IEnumerable<KeyValuePair<string, object?>> Entries()
    {
        var indexKeys = new List<(uint Index, string Key)>();
        foreach (var key in order)
            if (TryArrayIndex(key, out var index)) indexKeys.Add((index, key));
        indexKeys.Sort((a, b) => a.Index.CompareTo(b.Index));
        foreach (var (_, key) in indexKeys) yield return new(key, values[key]);
        foreach (var key in order)
            if (!TryArrayIndex(key, out _)) yield return new(key, values[key]);
    }

    /// <summary>
    /// True for a canonical array index: the decimal form of an integer 0 ≤ i &lt; 2³² − 1, without leading zeros.
    /// </summary>
    private static bool TryArrayIndex(string key, out uint index)
    {
        index = 0;
        if (key.Length is 0 or > 10 || (key.Length > 1 && key[0] == '0')) return false;
        ulong value = 0;
        foreach (var c in key)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (ulong)(c - '0');
        }
        if (value >= uint.MaxValue) return false;
        index = (uint)value;
        return true;
    }
}
