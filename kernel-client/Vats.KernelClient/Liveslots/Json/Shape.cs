using System.Globalization;
using Vats.QuickJs;

namespace Vats.KernelClient;

/// <summary>
/// Checks a parsed tree against a liveslots shape, throwing <see cref="LiveslotsFormatException"/> that names
/// the shape (<see cref="Context"/>), the path, what was expected and what was found.
/// </summary>
internal readonly record struct Shape(string Context)
{
    public LiveslotsFormatException Error(string path, string expected, object? found)
    {
        var description = Describe(found);
        return new LiveslotsFormatException($"{Context} at {path}: expected {expected}, found {description}", path, expected, description);
    }

    public List<object?> Array(object? value, string path, string expected) =>
        value as List<object?> ?? throw Error(path, expected, value);

    public JsObject Object(object? value, string path, string expected) =>
        value as JsObject ?? throw Error(path, expected, value);

    public string String(object? value, string path, string what) =>
        value as string ?? throw Error(path, $"a string ({what})", value);

    public string? StringOrNull(object? value, string path, string what) =>
        value is null ? null : value as string ?? throw Error(path, $"a string or null ({what})", value);

    public bool Bool(object? value, string path, string what) =>
        value as bool? ?? throw Error(path, $"a boolean ({what})", value);

    /// <summary>A tagged array: <c>[tag, ...]</c> with a string tag.</summary>
    public (List<object?> Items, string Tag) Tagged(object? value, string shapeName)
    {
        var items = Array(value, "$", $"{shapeName} array [tag, ...]");
        if (items.Count == 0) throw Error("$", $"{shapeName} array [tag, ...]", items);
        return (items, String(items[0], "$[0]", "the tag"));
    }

    /// <summary>Requires exactly <paramref name="count"/> elements; <paramref name="form"/> spells the shape.</summary>
    public void Arity(List<object?> items, int count, string form)
    {
        if (items.Count != count)
            throw Error("$", $"{count} element{(count == 1 ? "" : "s")} {form}", items);
    }

    public CapData CapData(object? value, string path)
    {
        var obj = Object(value, path, "capdata {\"body\":string,\"slots\":[vref, ...]}");
        return new CapData(
            String(Property(obj, "body"), path + ".body", "capdata body"),
            StringList(Property(obj, "slots"), path + ".slots", "vref"));
    }

    public VatMessage Message(object? value, string path)
    {
        var obj = Object(value, path, "a message {\"methargs\":capdata,\"result\":vpid|null}");
        var methargs = Property(obj, "methargs");
        // An absent result (JavaScript's undefined, dropped by JSON.stringify) reads as null.
        obj.TryGet("result", out var result);
        return new VatMessage(CapData(methargs, path + ".methargs"), StringOrNull(result, path + ".result", "result vpid"));
    }

    public IReadOnlyList<string> StringList(object? value, string path, string what)
    {
        var items = Array(value, path, $"an array of strings ({what}s)");
        var result = new string[items.Count];
        for (var i = 0; i < items.Count; i++) result[i] = String(items[i], Index(path, i), what);
        return result;
    }

    public IReadOnlyList<VatResolution> Resolutions(object? value, string path)
    {
        var items = Array(value, path, "an array of resolutions [[vpid, isReject, capdata], ...]");
        var result = new VatResolution[items.Count];
        for (var i = 0; i < items.Count; i++) result[i] = Resolution(items[i], Index(path, i));
        return result;
    }

    public VatResolution Resolution(object? value, string path)
    {
        const string expected = "a resolution [vpid, isReject, capdata]";
        var triple = Array(value, path, expected);
        if (triple.Count != 3) throw Error(path, expected, triple);
        return new VatResolution(
            String(triple[0], Index(path, 0), "vpid"),
            Bool(triple[1], Index(path, 1), "isReject"),
            CapData(triple[2], Index(path, 2)));
    }

    /// <summary>The property's value, or <see cref="Missing.Value"/> when the object has no such property.</summary>
    public static object? Property(JsObject obj, string name) => obj.TryGet(name, out var value) ? value : Missing.Value;

    public static string Index(string path, int i) => $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>A short description of a value for error messages.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        JsNumber n => $"number {Truncate(n.Text)}",
        string s => $"string {Truncate(JavaScriptJson.Quote(s))}",
        List<object?> { Count: 0 } => "an empty array",
        List<object?> list => $"an array of {list.Count} element{(list.Count == 1 ? "" : "s")} {Truncate(JsJson.Stringify(list))}",
        JsObject obj => $"an object {Truncate(JsJson.Stringify(obj))}",
        _ => value.ToString() ?? value.GetType().Name,
    };

    private static string Truncate(string s) => s.Length <= 60 ? s : string.Concat(s.AsSpan(0, 57), "...");
}

/// <summary>Stands for an absent property, so that error messages say so rather than "null".</summary>
internal sealed class Missing
{
    public static readonly Missing Value = new();

    private Missing()
    {
    }

    public override string ToString() => "nothing (the property is missing)";
}
