using Vats.Bundler.Output;

namespace Vats.Bundler.Tests;

[TestFixture]
public sealed class JsJsonTests
{
    // Expected strings are what JSON.stringify prints in Node for the same values.
    [TestCase("plain", "\"plain\"")]
    [TestCase("q\"b\\s", "\"q\\\"b\\\\s\"")]
    [TestCase("\b\f\n\r\t\u0001\u001f", "\"\\b\\f\\n\\r\\t\\u0001\\u001f\"")]
    [TestCase("é€\u034F\u2028<>&'+", "\"é€\u034F\u2028<>&'+\"")]
    [TestCase("😀", "\"😀\"")]
    public void QuotesLikeJsonStringify(string value, string expected)
    {
        Assert.That(Vats.QuickJs.JavaScriptJson.Quote(value), Is.EqualTo(expected));
    }

    [Test]
    public void EscapesLoneSurrogates()
    {
        // Built at run time: attribute arguments cannot carry lone surrogates.
        string value = new string(['\ud800', 'x', '\udfff']);
        Assert.That(Vats.QuickJs.JavaScriptJson.Quote(value), Is.EqualTo("\"\\ud800x\\udfff\""));
    }

    [Test]
    public void IndentsLikeJsonStringifyWithTwoSpaces()
    {
        var value = new JsObject { { "tags", new List<object>() }, { "o", new JsObject { { "a", 1 }, { "b", new List<object> { "x", false } } } }, { "e", new JsObject() } };
        Assert.That(JsJson.Stringify(value, 2), Is.EqualTo("{\n  \"tags\": [],\n  \"o\": {\n    \"a\": 1,\n    \"b\": [\n      \"x\",\n      false\n    ]\n  },\n  \"e\": {}\n}"));
        Assert.That(JsJson.Stringify(value), Is.EqualTo("{\"tags\":[],\"o\":{\"a\":1,\"b\":[\"x\",false]},\"e\":{}}"));
    }
}
