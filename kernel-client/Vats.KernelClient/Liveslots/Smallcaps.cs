using System.Text.Json;

namespace Vats.KernelClient;

/// <summary>
/// The smallcaps body format of @endo/marshal (<c>'#'</c> + JSON) for people: <see cref="Describe"/> renders a
/// body as readable text, and <see cref="Encode(string)"/> turns plain JSON into a body, as marshal would.
/// </summary>
/// <remarks>
/// In smallcaps JSON, strings starting with a character from <c>!</c> to <c>-</c> are special: <c>!…</c> an
/// escaped string, <c>+N</c>/<c>-N</c> a BigInt, <c>#undefined</c>, <c>#NaN</c>, <c>#Infinity</c>,
/// <c>#-Infinity</c>, <c>%name</c> a symbol, <c>$I.iface</c> a remotable and <c>&amp;I</c> a promise (slot I).
/// Records <c>{"#tag":t,"payload":p}</c> are tagged values, <c>{"#error":message,"name":…}</c> errors.
/// </remarks>
public static class Smallcaps
{
    /// <summary>
    /// Renders a smallcaps value for a command line: numbers, booleans and <c>null</c> as in JSON, strings quoted
    /// (<c>"hello"</c>), <c>undefined</c>, <c>NaN</c>, <c>Infinity</c>, BigInts as <c>10n</c>, symbols as
    /// <c>Symbol(name)</c>, remotables as <c>[o+1 Alleged: counter]</c>, promises as <c>[p-5 Promise]</c>,
    /// errors as <c>TypeError: message</c>, tagged values as <c>makeTagged("copySet", [1, 2])</c>, arrays as
    /// <c>[1, "x"]</c> and records as <c>{"a": 1}</c>.
    /// </summary>
    /// <param name="data">The capdata whose body to render; its slots name the remotables and promises.</param>
    /// <returns>The rendering (error messages are shown as they are, line breaks included).</returns>
    /// <exception cref="LiveslotsFormatException">
    /// The body is not smallcaps (e.g. a legacy body without <c>#</c>) or is not a value @endo/marshal would decode.
    /// </exception>
    public static string Describe(CapData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return SmallcapsDisplay.Describe(data);
    }

    /// <summary>
    /// Encodes a plain JSON value as @endo/marshal encodes the value <c>JSON.parse(json)</c>: special strings
    /// escaped with <c>!</c>, record properties sorted, numbers as JavaScript writes them (integers stay JSON
    /// numbers; beyond 2^53 they round as in JavaScript), <c>-0</c> as <c>0</c>.
    /// </summary>
    /// <param name="json">The JSON text, e.g. <c>[1,"x"]</c>.</param>
    /// <returns>The capdata, e.g. body <c>#[1,"x"]</c> with no slots.</returns>
    /// <exception cref="LiveslotsFormatException">The text is not JSON.</exception>
    public static CapData Encode(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Body(SmallcapsEncoding.Encode(JsJsonParser.Parse(json, "smallcaps value")));
    }

    /// <summary>Encodes a JSON value as <see cref="Encode(string)"/> does.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The capdata, with no slots.</returns>
    public static CapData Encode(JsonElement value) =>
        Body(SmallcapsEncoding.Encode(JsonValues.ToTree(value, "smallcaps value")));

    /// <summary>
    /// The <c>methargs</c> of a message from a method name and a JSON array of arguments:
    /// <c>("increment", "[1]")</c> gives body <c>#["increment",[1]]</c>.
    /// </summary>
    /// <param name="method">The method name.</param>
    /// <param name="argsJson">The arguments as a JSON array, e.g. <c>[1,"x"]</c>.</param>
    /// <returns>The capdata, with no slots.</returns>
    /// <exception cref="LiveslotsFormatException">The arguments are not a JSON array.</exception>
    public static CapData EncodeMethargs(string method, string argsJson)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(argsJson);
        var args = new Shape("message arguments").Array(
            JsJsonParser.Parse(argsJson, "message arguments"), "$", "a JSON array of arguments");
        return Body(SmallcapsEncoding.Encode(new List<object?> { method, args }));
    }

    private static CapData Body(object? encoded) => new("#" + JsJson.Stringify(encoded));
}
