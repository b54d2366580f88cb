using System.Text.Json;
using Vats.KernelClient.Tests.Support;

namespace Vats.KernelClient.Tests;

/// <summary>
/// <see cref="Smallcaps"/> against the pinned @endo/marshal (Reference/marshal-probe.mjs): encoding gives
/// marshal's bodies byte for byte, and decoding accepts what marshal accepts and renders what marshal decodes.
/// </summary>
/// <remarks>
/// Deliberate differences, not exercised here: a legacy (non-<c>#</c>) body is refused rather than decoded;
/// slot indexes must be decimal digits (marshal's <c>Number()</c> also takes <c>"$"</c> or <c>"$0x1"</c>, which
/// it never writes); an error's name is shown as sent, where marshal rebuilds unknown names as <c>Error</c>.
/// </remarks>
public sealed class SmallcapsMarshalTests
{
    private static readonly string[] EncodeInputs =
    [
        "1", "-0", "1.0", "0.1", "1e21", "1e-7", "1e400", "-1e400", "12345678901234567890", "5e-324", "null", "true",
        "\"hello\"", "\"\"", "\"!\"", "\"#undefined\"", "\"$0.Alleged: x\"", "\"&1\"", "\"+5\"", "\"-5\"", "\"%foo\"",
        "\"'\"", "\"(\"", "\")\"", "\"*\"", "\",\"", "\"\\\"\"", "\".\"", "\"0\"", "\" !\"",
        "[1,\"x\"]", "[]", "{}", "[[],[{}],{\"a\":[]}]",
        "{\"b\":1,\"a\":2,\"10\":3,\"2\":4,\"#k\":5,\"B\":6,\"!x\":7,\"-1\":8,\"+\":9,\"\":10}",
        "{\"é\":1,\"z\":2,\"\\ud800\":3,\"\\uffff\":4,\"\\ud83d\\ude00\":5,\"\\u0000\":6}",
        "{\"__proto__\":1,\"a\":{\"__proto__\":[2]}}",
        "{\"a\":1,\"a\":2}",
        "{\"#tag\":\"copySet\",\"payload\":[1]}",
        "{\"#error\":\"x\",\"name\":\"Error\"}",
        "[\"\\ud800\",\"\\u2028\",\"<&>'+\",\"\\u001f\\u007f\"]",
        " { \"x\" : [ null , true , -0.0 , 1E2 ] } ",
    ];

    private static readonly (string Body, string[] Slots)[] DecodeInputs =
    [
        ("#1", []), ("#\"hello\"", []), ("#\"$0.Alleged: counter\"", ["o+1"]), ("#\"$0\"", ["o-5"]), ("#\"&0\"", ["p-61"]),
        ("#\"+10\"", []), ("#\"-5\"", []), ("#\"+007\"", []), ("#\"-0\"", []), ("#\"+123456789012345678901234567890\"", []),
        ("#\"#undefined\"", []), ("#[\"#NaN\",\"#Infinity\",\"#-Infinity\",-0,1e21,1E-7,1.50,1e400]", []),
        ("#null", []), ("#[true,false]", []), ("#\"!!x\"", []), ("#\"!#undefined\"", []), ("#\"!\"", []),
        ("#\"%foo\"", []), ("#\"%@@asyncIterator\"", []), ("#\"%@@iterator\"", []), ("#\"%@@@@bar\"", []), ("#\"%\"", []),
        ("#{\"#error\":\"boom\",\"errorId\":\"error:liveSlots:v1#70001\",\"name\":\"Error\"}", []),
        ("#{\"#error\":\"bad\",\"name\":\"TypeError\"}", []), ("#{\"#error\":\"\",\"name\":\"RangeError\"}", []),
        ("#{\"#error\":\"!#x\",\"name\":\"!SyntaxError\"}", []),
        ("#{\"#error\":\"x\",\"name\":\"Error\",\"cause\":{\"#error\":\"y\",\"name\":\"TypeError\"}}", []),
        ("#{\"#error\":\"x\",\"name\":\"Error\",\"note\":\"+1\"}", []),
        ("#[{\"#error\":\"x\",\"name\":\"URIError\"}]", []),
        ("#{\"#tag\":\"copySet\",\"payload\":[1,2]}", []), ("#{\"#tag\":\"!#t\",\"payload\":null}", []),
        ("#{\"payload\":\"#undefined\",\"#tag\":\"copyBag\"}", []),
        ("#{\"b\":1,\"a\":\"!!x\",\"10\":2,\"2\":3,\"!#k\":4}", []), ("#{\"b\":1,\"!1\":2}", []), ("#{\"a\":1,\"!a\":2}", []),
        ("#{\"__proto__\":1}", []), ("#[[],{},\"\"]", []),
        ("#[\"$0.Alleged: counter\",\"$0\",\"&1\"]", ["o+1", "p+2"]), ("#[\"$0\",\"$0.Alleged: later\"]", ["o+1"]),
        ("#[\"$01.Alleged: x\",\"$1\"]", ["o+1", "o+2"]), ("#\"$0.Alleged: x.y\"", ["o+1"]), ("#\"&0.ignored\"", ["p+1"]),
        ("#\"$0.Alleged: device\"", ["d-70"]),
        ("#{\"amount\":{\"brand\":\"$0.Alleged: brand\",\"value\":\"+10\"},\"purse\":\"$1.Alleged: purse\"}", ["o-6", "o-5"]),
        ("#\"tab\\there \\ud800\"", []), ("#\"\\u2028é😀\"", []),

        // Refused by both.
        ("#", []), ("#[1,]", []), ("#\"#foo\"", []), ("#[\"+\"]", []), ("#\"+1.5\"", []), ("#\"$1.Alleged: x\"", ["o+1"]),
        ("#\"$0\"", ["p+1"]), ("#\"&0\"", ["o+1"]), ("#\"*x\"", []), ("#\"'x\"", []), ("#\"(\"", []), ("#\")\"", []),
        ("#\",\"", []), ("#\"\\\"q\"", []), ("#\"%@@nonesuch\"", []), ("#{\"#tag\":\"t\"}", []),
        ("#{\"#tag\":\"t\",\"payload\":1,\"x\":2}", []), ("#{\"#tag\":1,\"payload\":1}", []),
        ("#{\"#tag\":\"#undefined\",\"payload\":1}", []), ("#{\"#error\":\"x\"}", []),
        ("#{\"#error\":5,\"name\":\"Error\"}", []), ("#{\"#error\":\"x\",\"name\":\"Error\",\"message\":\"y\"}", []),
        ("#{\"#error\":\"x\",\"name\":\"+1\"}", []), ("#{\"#other\":1}", []), ("#{\"+1\":1}", []), ("#{\"$0\":1}", ["o+1"]),
    ];

    private static readonly Lazy<JsonElement> Reference = new(RunReference);

    [SetUp]
    public void RequireMarshal() => Checkout.RequireInstalled(TestPaths.MarshalPackage, "tests/Vats.KernelClient.Tests");

    [Test]
    public void EncodingGivesMarshalsBodies()
    {
        var bodies = Reference.Value.GetProperty("encode");
        var mismatches = new List<string>();
        for (var i = 0; i < EncodeInputs.Length; i++)
        {
            var ours = Smallcaps.Encode(EncodeInputs[i]).Body;
            var theirs = bodies[i].GetString();
            if (ours != theirs) mismatches.Add($"{EncodeInputs[i]}: ours {ours} / marshal {theirs}");
        }
        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void DecodingAcceptsAndRendersWhatMarshalDecodes()
    {
        var results = Reference.Value.GetProperty("decode");
        var mismatches = new List<string>();
        var refused = 0;
        for (var i = 0; i < DecodeInputs.Length; i++)
        {
            var (body, slots) = DecodeInputs[i];
            var theirs = results[i].GetString()!;
            string ours;
            try
            {
                ours = Smallcaps.Describe(new CapData(body, slots));
            }
            catch (LiveslotsFormatException e)
            {
                ours = "!error: " + e.Message;
            }
            var bothRefuse = ours.StartsWith("!error: ", StringComparison.Ordinal) && theirs.StartsWith("!error: ", StringComparison.Ordinal);
            if (bothRefuse) refused++;
            else if (ours != theirs) mismatches.Add($"{body} [{string.Join(",", slots)}]: ours {ours} / marshal {theirs}");
        }
        Assert.That(mismatches, Is.Empty);
        Assert.That(refused, Is.EqualTo(26), "the refused inputs are the ones listed as refused by both");
    }

    [Test]
    public void ValuesMarshalSerializesRenderAsMarshalDecodesThem()
    {
        var mismatches = new List<string>();
        foreach (var value in Reference.Value.GetProperty("values").EnumerateObject())
        {
            var body = value.Value.GetProperty("body").GetString()!;
            var slots = value.Value.GetProperty("slots").EnumerateArray().Select(s => s.GetString()!).ToArray();
            var ours = Smallcaps.Describe(new CapData(body, slots));
            var theirs = value.Value.GetProperty("shown").GetString();
            if (ours != theirs) mismatches.Add($"{value.Name} {body}: ours {ours} / marshal {theirs}");
        }
        Assert.That(mismatches, Is.Empty);
        Assert.That(Reference.Value.GetProperty("values").EnumerateObject().Count(), Is.EqualTo(17), "every value of the probe was compared");
    }

    [TestCase("integer", "#1", "1")]
    [TestCase("string", "#\"hello\"", "\"hello\"")]
    [TestCase("counter", "#\"$0.Alleged: counter\"", "[o+1 Alleged: counter]")]
    [TestCase("undefined", "#\"#undefined\"", "undefined")]
    [TestCase("error", "#{\"#error\":\"boom\",\"errorId\":\"error:liveSlots#70001\",\"name\":\"Error\"}", "Error: boom")]
    public void TheDocumentedExamplesAreMarshalsOwn(string name, string body, string shown)
    {
        var value = Reference.Value.GetProperty("values").GetProperty(name);
        Assert.That(value.GetProperty("body").GetString(), Is.EqualTo(body));
        Assert.That(Smallcaps.Describe(new CapData(body, value.GetProperty("slots").EnumerateArray().Select(s => s.GetString()!).ToArray())), Is.EqualTo(shown));
    }

    private static JsonElement RunReference()
    {
        Checkout.RequireInstalled(TestPaths.MarshalPackage, "tests/Vats.KernelClient.Tests");
        using var input = new MemoryStream();
        using (var writer = new Utf8JsonWriter(input))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("encode");
            foreach (var text in EncodeInputs) writer.WriteStringValue(text);
            writer.WriteEndArray();
            writer.WriteStartArray("decode");
            foreach (var (body, slots) in DecodeInputs)
            {
                writer.WriteStartObject();
                writer.WriteString("body", body);
                writer.WriteStartArray("slots");
                foreach (var slot in slots) writer.WriteStringValue(slot);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        var stdout = NodeProcess.Run(TestPaths.MarshalProbe, Bytes.Text(input.ToArray()));
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
