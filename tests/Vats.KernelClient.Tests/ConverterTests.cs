using System.Text.Json;

namespace Vats.KernelClient.Tests;

/// <summary>The System.Text.Json options embed the shapes in larger documents without changing their bytes.</summary>
public sealed class ConverterTests
{
    /// <summary>A transcript-like entry (xsnap-protocol.md §5.5).</summary>
    private sealed record Entry(VatDeliveryObject D, IReadOnlyList<SyscallEntry> Sc, VatDeliveryResult R);

    private sealed record SyscallEntry(VatSyscallObject S, VatSyscallResult R);

    [Test]
    public void ShapesInsideADocumentKeepTheirExactText()
    {
        var entry = new Entry(
            new MessageDelivery("o+0", new VatMessage(new CapData("#[\"<é>\",[\"\ud800\"]]"), "p-1")),
            [new SyscallEntry(new VatstoreGetSyscall("k+<&>"), VatSyscallResult.Ok("v\u2028"))],
            VatDeliveryResult.Ok());
        var options = new JsonSerializerOptions(LiveslotsJson.Options) { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

        var json = JsonSerializer.Serialize(entry, options);

        Assert.That(json, Is.EqualTo(
            "{\"d\":[\"message\",\"o+0\",{\"methargs\":{\"body\":\"#[\\\"<é>\\\",[\\\"\\ud800\\\"]]\",\"slots\":[]},\"result\":\"p-1\"}]," +
            "\"sc\":[{\"s\":[\"vatstoreGet\",\"k+<&>\"],\"r\":[\"ok\",\"v\u2028\"]}]," +
            "\"r\":[\"ok\",null,null]}"));
        Assert.That(JsonSerializer.Deserialize<Entry>(json, options), Is.EqualTo(entry).Using<Entry>(SameEntry));
    }

    [Test]
    public void EachShapeTypeConverts()
    {
        object[] values =
        [
            new CapData("#1", ["o+1"]),
            new VatMessage(new CapData("#1"), null),
            new VatResolution("p+1", true, new CapData("#1")),
            VatSyscallResult.Error("vat is dead"),
            VatDeliveryResult.Error("boom"),
            new MeterUsage(1, 2, 3, [4.5]),
            new BringOutYourDeadDelivery(),
            new SubscribeSyscall("p+1"),
        ];
        foreach (var value in values)
        {
            var json = JsonSerializer.Serialize(value, value.GetType(), LiveslotsJson.Options);
            Assert.That(json, Is.EqualTo(value.ToString()), value.GetType().Name);
            Assert.That(JsonSerializer.Deserialize(json, value.GetType(), LiveslotsJson.Options), Is.EqualTo(value), value.GetType().Name);
        }
    }

    [Test]
    public void ADerivedTypeRefusesAnotherKind() =>
        Assert.That(
            () => JsonSerializer.Deserialize<SubscribeSyscall>("""["vatstoreGet","k"]""", LiveslotsJson.Options),
            Throws.TypeOf<LiveslotsFormatException>().With.Message.Contains("expected a SubscribeSyscall"));

    private static bool SameEntry(Entry a, Entry b) =>
        a.D.Equals(b.D) && a.R.Equals(b.R) && a.Sc.SequenceEqual(b.Sc);
}
