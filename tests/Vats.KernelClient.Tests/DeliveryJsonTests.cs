using System.Text.Json;
using Vats.KernelClient.Tests.Support;

namespace Vats.KernelClient.Tests;

/// <summary>Deliveries read and written byte for byte as the kernel writes them (xsnap-protocol.md §5.2).</summary>
public sealed class DeliveryJsonTests
{
    private static IEnumerable<TestCaseData> Deliveries()
    {
        // Observed on the wire (minus the ["deliver", …] wrapper).
        yield return Case(
            """["startVat",{"body":"#{\"argv\":[]}","slots":[]}]""",
            new StartVatDelivery(new CapData("#{\"argv\":[]}")));
        yield return Case(
            """["message","o+0",{"methargs":{"body":"#[\"later\",[]]","slots":[]},"result":"p-61"}]""",
            new MessageDelivery("o+0", new VatMessage(new CapData("#[\"later\",[]]"), "p-61")));
        yield return Case(
            """["notify",[["p+6",false,{"body":"#\"later-result\"","slots":[]}]]]""",
            new NotifyDelivery([new VatResolution("p+6", false, new CapData("#\"later-result\""))]));

        // The other kinds, in the same form.
        yield return Case(
            """["message","o+12",{"methargs":{"body":"#[\"deposit\",[\"$0.Alleged: payment\"]]","slots":["o-70"]},"result":null}]""",
            new MessageDelivery("o+12", new VatMessage(new CapData("#[\"deposit\",[\"$0.Alleged: payment\"]]", ["o-70"]), null)));
        yield return Case(
            """["notify",[["p-1",true,{"body":"#{\"#error\":\"vat terminated\",\"name\":\"Error\"}","slots":[]}],["p-2",false,{"body":"#\"$0\"","slots":["o-3"]}]]]""",
            new NotifyDelivery([
                new VatResolution("p-1", true, new CapData("#{\"#error\":\"vat terminated\",\"name\":\"Error\"}")),
                new VatResolution("p-2", false, new CapData("#\"$0\"", ["o-3"])),
            ]));
        yield return Case("""["notify",[]]""", new NotifyDelivery([]));
        yield return Case("""["dropExports",["o+5","o+d10/1"]]""", new DropExportsDelivery(["o+5", "o+d10/1"]));
        yield return Case("""["retireExports",["o+5"]]""", new RetireExportsDelivery(["o+5"]));
        yield return Case("""["retireImports",["o-7","o-8"]]""", new RetireImportsDelivery(["o-7", "o-8"]));
        yield return Case(
            """["changeVatOptions",{"virtualObjectCacheSize":3,"reapDirtThreshold":{"deliveries":100}}]""",
            new ChangeVatOptionsDelivery(Element("""{"virtualObjectCacheSize":3,"reapDirtThreshold":{"deliveries":100}}""")));
        yield return Case("""["changeVatOptions",{}]""", new ChangeVatOptionsDelivery(Element("{}")));
        yield return Case("""["stopVat",{"body":"#\"#undefined\"","slots":[]}]""", new StopVatDelivery(new CapData("#\"#undefined\"")));
        yield return Case("""["bringOutYourDead"]""", new BringOutYourDeadDelivery());
    }

    private static TestCaseData Case(string json, VatDeliveryObject expected) =>
        new TestCaseData(json, expected).SetArgDisplayNames(expected.Tag + ": " + json[..Math.Min(json.Length, 60)]);

    private static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [TestCaseSource(nameof(Deliveries))]
    public void ParsesToTheTypedDelivery(string json, VatDeliveryObject expected)
    {
        var parsed = LiveslotsJson.ParseDelivery(Bytes.Utf8(json));
        Assert.That(parsed, Is.EqualTo(expected));
        Assert.That(parsed.GetHashCode(), Is.EqualTo(expected.GetHashCode()));
    }

    [TestCaseSource(nameof(Deliveries))]
    public void WritesTheSameBytes(string json, VatDeliveryObject expected)
    {
        Assert.That(LiveslotsJson.Serialize(expected), Is.EqualTo(Bytes.Utf8(json)));
        Assert.That(LiveslotsJson.ToJson(expected), Is.EqualTo(json));
        Assert.That(expected.ToString(), Is.EqualTo(json));
    }

    [Test]
    public void AMessageDeliveryWithoutResultIsWrittenWithResultNull()
    {
        // The kernel writes null, never leaves the property out; an absent one still reads as null.
        var parsed = LiveslotsJson.ParseDelivery(Bytes.Utf8("""["message","o+0",{"methargs":{"body":"#[\"ping\",[]]","slots":[]}}]"""));

        Assert.That(parsed, Is.EqualTo(new MessageDelivery("o+0", new VatMessage(new CapData("#[\"ping\",[]]"), null))));
        Assert.That(
            LiveslotsJson.ToJson(parsed),
            Is.EqualTo("""["message","o+0",{"methargs":{"body":"#[\"ping\",[]]","slots":[]},"result":null}]"""));
    }

    [Test]
    public void InsignificantWhitespaceAndExtraPropertiesAreNotKept()
    {
        // JSON.parse then JSON.stringify: liveslots ignores other properties of capdata and messages.
        var parsed = LiveslotsJson.ParseDelivery(Bytes.Utf8(
            """ [ "message" , "o+0" , { "result" : "p-1" , "extra" : 1 , "methargs" : { "slots" : [ ] , "body" : "#1" } } ] """));

        Assert.That(LiveslotsJson.ToJson(parsed), Is.EqualTo("""["message","o+0",{"methargs":{"body":"#1","slots":[]},"result":"p-1"}]"""));
    }

    [Test]
    public void ChangeVatOptionsKeepsTheObjectAsJavaScriptWouldHoldIt()
    {
        // A repeated key keeps its first place and last value; index-like keys come first; numbers are re-rendered.
        var parsed = (ChangeVatOptionsDelivery)LiveslotsJson.ParseDelivery(Bytes.Utf8(
            """["changeVatOptions",{"b":1.50,"a":1e3,"2":true,"b":2,"1":null}]"""));

        Assert.That(parsed.Options.GetRawText(), Is.EqualTo("""{"1":null,"2":true,"b":2,"a":1000}"""));
        Assert.That(parsed, Is.EqualTo(new ChangeVatOptionsDelivery(Element("""{ "1": null, "2": true, "b": 2, "a": 1000.0 }"""))));
        Assert.That(parsed, Is.Not.EqualTo(new ChangeVatOptionsDelivery(Element("""{"1":null,"2":true,"b":3,"a":1000}"""))));
    }

    [Test]
    public void ChangeVatOptionsRequiresAnObject()
    {
        Assert.That(() => new ChangeVatOptionsDelivery(Element("[1]")), Throws.ArgumentException.With.Message.Contains("expected a JSON object"));
        Assert.That(() => new ChangeVatOptionsDelivery(default), Throws.ArgumentException.With.Message.Contains("empty (default) JsonElement"));
    }

    [Test]
    public void ListsAreCopiedAndComparedByValue()
    {
        var vrefs = new List<string> { "o+1", "o+2" };
        var delivery = new DropExportsDelivery(vrefs);
        vrefs.Add("o+3");

        Assert.That(delivery.Vrefs, Is.EqualTo(new[] { "o+1", "o+2" }));
        Assert.That(delivery, Is.EqualTo(new DropExportsDelivery(["o+1", "o+2"])));
        Assert.That(delivery, Is.Not.EqualTo(new DropExportsDelivery(["o+2", "o+1"])));
        Assert.That((VatDeliveryObject)delivery, Is.Not.EqualTo(new RetireExportsDelivery(["o+1", "o+2"])));
        Assert.That(delivery with { Vrefs = ["o+9"] }, Is.EqualTo(new DropExportsDelivery(["o+9"])));
    }

    [Test]
    public void NullsAreRefusedAtConstruction()
    {
        Assert.That(() => new CapData(null!, []), Throws.ArgumentNullException);
        Assert.That(() => new CapData("#1", null!), Throws.ArgumentNullException);
        Assert.That(() => new CapData("#1", [null!]), Throws.ArgumentException.With.Message.Contains("must not contain null"));
        Assert.That(() => new MessageDelivery(null!, new VatMessage(new CapData("#1"), null)), Throws.ArgumentNullException);
        Assert.That(() => new NotifyDelivery(null!), Throws.ArgumentNullException);
    }
}
