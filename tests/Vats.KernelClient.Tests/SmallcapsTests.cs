namespace Vats.KernelClient.Tests;

/// <summary>
/// Rendering and encoding smallcaps bodies (xsnap-protocol.md §5.1). The expected strings here are the ones
/// <see cref="SmallcapsMarshalTests"/> checks against @endo/marshal itself.
/// </summary>
public sealed class SmallcapsTests
{
    [TestCase("#1", new string[0], "1")]
    [TestCase("#\"hello\"", new string[0], "\"hello\"")]
    [TestCase("#\"$0.Alleged: counter\"", new[] { "o+1" }, "[o+1 Alleged: counter]")]
    [TestCase("#\"$0\"", new[] { "o-5" }, "[o-5]")]
    [TestCase("#\"&0\"", new[] { "p-61" }, "[p-61 Promise]")]
    [TestCase("#\"+10\"", new string[0], "10n")]
    [TestCase("#\"-5\"", new string[0], "-5n")]
    [TestCase("#\"+007\"", new string[0], "7n")]
    [TestCase("#\"-0\"", new string[0], "0n")]
    [TestCase("#\"#undefined\"", new string[0], "undefined")]
    [TestCase("#[\"#NaN\",\"#Infinity\",\"#-Infinity\",-0,1e21,1E-7,1.50]", new string[0], "[NaN, Infinity, -Infinity, 0, 1e+21, 1e-7, 1.5]")]
    [TestCase("#null", new string[0], "null")]
    [TestCase("#[true,false]", new string[0], "[true, false]")]
    [TestCase("#\"!!x\"", new string[0], "\"!x\"")]
    [TestCase("#\"!#undefined\"", new string[0], "\"#undefined\"")]
    [TestCase("#\"%foo\"", new string[0], "Symbol(foo)")]
    [TestCase("#\"%@@asyncIterator\"", new string[0], "Symbol(Symbol.asyncIterator)")]
    [TestCase("#\"%@@@@bar\"", new string[0], "Symbol(@@bar)")]
    [TestCase("#{\"#error\":\"boom\",\"errorId\":\"error:liveSlots:v1#70001\",\"name\":\"Error\"}", new string[0], "Error: boom")]
    [TestCase("#{\"#error\":\"bad\",\"name\":\"TypeError\"}", new string[0], "TypeError: bad")]
    [TestCase("#{\"#error\":\"\",\"name\":\"RangeError\"}", new string[0], "RangeError")]
    [TestCase("#{\"#error\":\"!#x\",\"name\":\"MyError\"}", new string[0], "MyError: #x")]
    [TestCase("#{\"#tag\":\"copySet\",\"payload\":[1,2]}", new string[0], "makeTagged(\"copySet\", [1, 2])")]
    [TestCase("#{\"b\":1,\"a\":\"!!x\",\"10\":2,\"2\":3,\"!#k\":4}", new string[0], "{\"2\": 3, \"10\": 2, \"b\": 1, \"a\": \"!x\", \"#k\": 4}")]
    [TestCase("#[[],{},\"\"]", new string[0], "[[], {}, \"\"]")]
    [TestCase("#[\"$0.Alleged: counter\",\"$0\",\"&1\"]", new[] { "o+1", "p+2" }, "[[o+1 Alleged: counter], [o+1 Alleged: counter], [p+2 Promise]]")]
    [TestCase("#\"tab\\there \\ud800\"", new string[0], "\"tab\\there \\ud800\"")]
    [TestCase("#{\"amount\":{\"brand\":\"$0.Alleged: brand\",\"value\":\"+10\"},\"purse\":\"$1.Alleged: purse\"}", new[] { "o-6", "o-5" },
        "{\"amount\": {\"brand\": [o-6 Alleged: brand], \"value\": 10n}, \"purse\": [o-5 Alleged: purse]}")]
    public void Describes(string body, string[] slots, string expected) =>
        Assert.That(Smallcaps.Describe(new CapData(body, slots)), Is.EqualTo(expected));

    [TestCase("{\"body\":\"#1\"}", "legacy")]
    [TestCase("#", "smallcaps body: invalid JSON at character 0: expected a JSON value")]
    [TestCase("#\"#foo\"", "smallcaps body at $: expected a known constant (#undefined, #NaN, #Infinity, #-Infinity), found string \"#foo\"")]
    [TestCase("#[\"+\"]", "smallcaps body at $[0]: expected a BigInt: a sign and decimal digits, found string \"+\"")]
    [TestCase("#\"+1.5\"", "expected a BigInt")]
    [TestCase("#\"$1.Alleged: x\"", "smallcaps body at $: expected a remotable $I with a slot index below 1, found string \"$1.Alleged: x\"", "o+1")]
    [TestCase("#\"$0\"", "expected a remotable in slot 0, but the vref \"p+1\" there is not one", "p+1")]
    [TestCase("#\"&0\"", "expected a promise in slot 0, but the vref \"o+1\" there is not one", "o+1")]
    [TestCase("#\"*x\"", "reserved for future use")]
    [TestCase("#\"%@@nonesuch\"", "expected a registered or well-known symbol, found string \"%@@nonesuch\"")]
    [TestCase("#{\"#tag\":\"t\"}", "expected a tagged record with a \"payload\"")]
    [TestCase("#{\"#tag\":\"t\",\"payload\":1,\"x\":2}", "expected a tagged record with only \"#tag\" and \"payload\"")]
    [TestCase("#{\"#tag\":1,\"payload\":1}", "at $[\"#tag\"]: expected a string tag")]
    [TestCase("#{\"#error\":\"x\"}", "at $.name: expected the error name (a string, or '!' and a string), found nothing (the property is missing)")]
    [TestCase("#{\"#error\":5,\"name\":\"Error\"}", "at $[\"#error\"]: expected the error message")]
    [TestCase("#{\"#error\":\"x\",\"name\":\"Error\",\"message\":\"y\"}", "expected an error record without a \"message\" property")]
    [TestCase("#{\"#other\":1}", "expected a record with no property name starting with '#'")]
    [TestCase("#{\"+1\":1}", "at $[\"+1\"]: expected a property name that decodes to a string")]
    public void RefusesWhatMarshalRefuses(string body, string message, params string[] slots)
    {
        var e = Assert.Throws<LiveslotsFormatException>(() => Smallcaps.Describe(new CapData(body, slots)));
        Assert.That(e.Message, Does.Contain(message));
    }

    [TestCase("[1,\"x\"]", "#[1,\"x\"]")]
    [TestCase("1", "#1")]
    [TestCase("\"hello\"", "#\"hello\"")]
    [TestCase("[\"!\",\"#undefined\",\"$0\",\"%x\",\"&1\",\"+1\",\"-1\",\"'\",\"(\",\")\",\"*\",\",\",\"\\\"\",\".\",\"\"]",
        "#[\"!!\",\"!#undefined\",\"!$0\",\"!%x\",\"!&1\",\"!+1\",\"!-1\",\"!'\",\"!(\",\"!)\",\"!*\",\"!,\",\"!\\\"\",\".\",\"\"]")]
    [TestCase("{\"b\":1,\"a\":2,\"10\":3,\"2\":4,\"#k\":5,\"B\":6}", "#{\"2\":4,\"10\":3,\"!#k\":5,\"B\":6,\"a\":2,\"b\":1}")]
    [TestCase("[-0, 1.0, 1e21, 1e-7, 0.1, 1e400, -1e400, 12345678901234567890]", "#[0,1,1e+21,1e-7,0.1,\"#Infinity\",\"#-Infinity\",12345678901234567000]")]
    [TestCase(" { \"x\" : [ null , true ] } ", "#{\"x\":[null,true]}")]
    [TestCase("\"\\u003c\\u00e9\\ud800\"", "#\"<é\\ud800\"")]
    public void Encodes(string json, string body)
    {
        var encoded = Smallcaps.Encode(json);
        Assert.That(encoded.Body, Is.EqualTo(body));
        Assert.That(encoded.Slots, Is.Empty);
    }

    [Test]
    public void EncodesMethargs()
    {
        Assert.That(Smallcaps.EncodeMethargs("increment", "[1,\"x\"]"), Is.EqualTo(new CapData("#[\"increment\",[1,\"x\"]]")));
        Assert.That(Smallcaps.EncodeMethargs("#weird", "[]").Body, Is.EqualTo("#[\"!#weird\",[]]"));
        var e = Assert.Throws<LiveslotsFormatException>(() => Smallcaps.EncodeMethargs("m", "{\"a\":1}"));
        Assert.That(e.Message, Does.Contain("message arguments at $: expected a JSON array of arguments, found an object"));
    }

    [Test]
    public void EncodedValuesDescribeAsTheirJson()
    {
        Assert.That(Smallcaps.Describe(Smallcaps.Encode("{\"#tag\":\"x\",\"payload\":\"+1\"}")), Is.EqualTo("{\"#tag\": \"x\", \"payload\": \"+1\"}"));
        Assert.That(Smallcaps.Describe(Smallcaps.EncodeMethargs("increment", "[1]")), Is.EqualTo("[\"increment\", [1]]"));
    }

    [Test]
    public void EncodeRefusesInvalidJson()
    {
        var e = Assert.Throws<LiveslotsFormatException>(() => Smallcaps.Encode("[1,"));
        Assert.That(e.Message, Does.Contain("smallcaps value: invalid JSON at character 3"));
    }
}
