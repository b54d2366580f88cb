using System.Text.Json;
using Vats.KernelClient.Tests.Support;

namespace Vats.KernelClient.Tests;

/// <summary>Syscalls read and written byte for byte as liveslots writes them (xsnap-protocol.md §5.4).</summary>
public sealed class SyscallJsonTests
{
    private static IEnumerable<TestCaseData> Syscalls()
    {
        // Observed on the wire (minus the ["syscall", …] wrapper).
        yield return Case("""["vatstoreGet","idCounters"]""", new VatstoreGetSyscall("idCounters"));
        yield return Case(
            """["send","o-51",{"methargs":{"body":"#[\"later\",[]]","slots":[]},"result":"p+6"}]""",
            new SendSyscall("o-51", new VatMessage(new CapData("#[\"later\",[]]"), "p+6")));
        yield return Case("""["subscribe","p+6"]""", new SubscribeSyscall("p+6"));
        yield return Case(
            """["resolve",[["p-61",false,{"body":"#\"later-result\"","slots":[]}]]]""",
            new ResolveSyscall([new VatResolution("p-61", false, new CapData("#\"later-result\""))]));
        yield return Case(
            """["callNow","d-70","createByBundleID",{"body":"#[\"b1-4e7a\",{\"name\":\"v6\"}]","slots":[]}]""",
            new CallNowSyscall("d-70", "createByBundleID", new CapData("#[\"b1-4e7a\",{\"name\":\"v6\"}]")));

        // The other kinds, in the same form.
        yield return Case(
            """["send","o-1",{"methargs":{"body":"#[\"go\",[\"$0.Alleged: a\",\"&1\"]]","slots":["o+2","p+3"]}}]""",
            new SendSyscall("o-1", new VatMessage(new CapData("#[\"go\",[\"$0.Alleged: a\",\"&1\"]]", ["o+2", "p+3"]), null)));
        yield return Case(
            """["resolve",[["p-1",true,{"body":"#{\"#error\":\"boom\",\"name\":\"Error\"}","slots":[]}],["p+2",false,{"body":"#null","slots":[]}]]]""",
            new ResolveSyscall([
                new VatResolution("p-1", true, new CapData("#{\"#error\":\"boom\",\"name\":\"Error\"}")),
                new VatResolution("p+2", false, new CapData("#null")),
            ]));
        yield return Case("""["exit",false,{"body":"#\"done\"","slots":[]}]""", new ExitSyscall(false, new CapData("#\"done\"")));
        yield return Case("""["exit",true,{"body":"#\"$0\"","slots":["o-4"]}]""", new ExitSyscall(true, new CapData("#\"$0\"", ["o-4"])));
        yield return Case("""["vatstoreGetNextKey","vc.1."]""", new VatstoreGetNextKeySyscall("vc.1."));
        yield return Case(
            """["vatstoreSet","vom.o+d10/1","{\"body\":\"#{}\",\"slots\":[]}"]""",
            new VatstoreSetSyscall("vom.o+d10/1", "{\"body\":\"#{}\",\"slots\":[]}"));
        yield return Case("""["vatstoreDelete","vc.1.s"]""", new VatstoreDeleteSyscall("vc.1.s"));
        yield return Case("""["dropImports",["o-5","o-6"]]""", new DropImportsSyscall(["o-5", "o-6"]));
        yield return Case("""["retireImports",["o-5"]]""", new RetireImportsSyscall(["o-5"]));
        yield return Case("""["retireExports",["o+7"]]""", new RetireExportsSyscall(["o+7"]));
        yield return Case("""["abandonExports",[]]""", new AbandonExportsSyscall([]));
    }

    private static TestCaseData Case(string json, VatSyscallObject expected) =>
        new TestCaseData(json, expected).SetArgDisplayNames(expected.Tag + ": " + json[..Math.Min(json.Length, 60)]);

    [TestCaseSource(nameof(Syscalls))]
    public void ParsesToTheTypedSyscall(string json, VatSyscallObject expected)
    {
        var parsed = LiveslotsJson.ParseSyscall(Bytes.Utf8(json));
        Assert.That(parsed, Is.EqualTo(expected));
        Assert.That(parsed.GetHashCode(), Is.EqualTo(expected.GetHashCode()));
    }

    [TestCaseSource(nameof(Syscalls))]
    public void WritesTheSameBytes(string json, VatSyscallObject expected)
    {
        Assert.That(LiveslotsJson.Serialize(expected), Is.EqualTo(Bytes.Utf8(json)));
        Assert.That(expected.ToString(), Is.EqualTo(json));
    }

    [Test]
    public void ASendWithNullResultIsWrittenWithoutIt()
    {
        // liveslots' undefined result is dropped by JSON.stringify; an explicit null reads the same way.
        var parsed = LiveslotsJson.ParseSyscall(Bytes.Utf8("""["send","o-1",{"methargs":{"body":"#1","slots":[]},"result":null}]"""));

        Assert.That(parsed, Is.EqualTo(new SendSyscall("o-1", new VatMessage(new CapData("#1"), null))));
        Assert.That(parsed.ToString(), Is.EqualTo("""["send","o-1",{"methargs":{"body":"#1","slots":[]}}]"""));
    }

    [TestCase("""["frobnicate"]""", "frobnicate")]
    [TestCase("""["frobnicate",1,{"x":[true,null]},"y"]""", "frobnicate")]
    [TestCase("""["Send","o-1"]""", "Send")]
    [TestCase("""["",1]""", "")]
    public void AnUnknownTagIsAnUnknownSyscallNotAnError(string json, string tag)
    {
        var parsed = LiveslotsJson.ParseSyscall(Bytes.Utf8(json));

        Assert.That(parsed, Is.TypeOf<UnknownSyscall>());
        var unknown = (UnknownSyscall)parsed;
        Assert.That(unknown.Tag, Is.EqualTo(tag));
        Assert.That(unknown.Raw.ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(unknown.Raw[0].GetString(), Is.EqualTo(tag));
        Assert.That(LiveslotsJson.ToJson(parsed), Is.EqualTo(json));
        Assert.That(parsed, Is.EqualTo(LiveslotsJson.ParseSyscall(Bytes.Utf8(json))));
    }

    [Test]
    public void AnUnknownSyscallMustStartWithItsTag()
    {
        var raw = JsonDocument.Parse("""["other",1]""").RootElement;

        Assert.That(() => new UnknownSyscall("mine", raw), Throws.ArgumentException.With.Message.Contains("first element is the tag \"mine\""));
        Assert.That(new UnknownSyscall("other", raw).ToString(), Is.EqualTo("""["other",1]"""));
    }

    [Test]
    public void ListsInSyscallsCompareByValue()
    {
        Assert.That(
            new ResolveSyscall([new VatResolution("p+1", false, new CapData("#1", ["o+1"]))]),
            Is.EqualTo(new ResolveSyscall(new List<VatResolution> { new("p+1", false, new CapData("#1", new List<string> { "o+1" })) })));
        Assert.That(
            new ResolveSyscall([new VatResolution("p+1", false, new CapData("#1", ["o+1"]))]),
            Is.Not.EqualTo(new ResolveSyscall([new VatResolution("p+1", false, new CapData("#1", ["o+2"]))])));
        Assert.That((VatSyscallObject)new DropImportsSyscall(["o-1"]), Is.Not.EqualTo(new RetireImportsSyscall(["o-1"])));
    }
}
