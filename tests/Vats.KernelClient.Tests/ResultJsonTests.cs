using System.Text.Json;
using Vats.KernelClient.Tests.Support;

namespace Vats.KernelClient.Tests;

/// <summary>Syscall results, delivery results and meter records (xsnap-protocol.md §2.4, §5.3, §5.4).</summary>
public sealed class ResultJsonTests
{
    private static IEnumerable<TestCaseData> SyscallResults()
    {
        yield return new TestCaseData("""["ok",null]""", VatSyscallResult.Ok()).SetArgDisplayNames("ok null");
        yield return new TestCaseData("""["ok","{\"v\":1}"]""", VatSyscallResult.Ok("{\"v\":1}")).SetArgDisplayNames("ok string");
        yield return new TestCaseData("""["ok",{"body":"#\"v6\"","slots":[]}]""", VatSyscallResult.Ok(new CapData("#\"v6\""))).SetArgDisplayNames("ok capdata");
        yield return new TestCaseData(
            """["error","syscall translation error: prepare to die"]""",
            VatSyscallResult.Error("syscall translation error: prepare to die")).SetArgDisplayNames("error");
        yield return new TestCaseData("""["error","vat is dead"]""", VatSyscallResult.Error("vat is dead")).SetArgDisplayNames("dead");
    }

    [TestCaseSource(nameof(SyscallResults))]
    public void SyscallResultsRoundTrip(string json, VatSyscallResult expected)
    {
        Assert.That(LiveslotsJson.Serialize(expected), Is.EqualTo(Bytes.Utf8(json)));
        var parsed = LiveslotsJson.ParseSyscallResult(Bytes.Utf8(json));
        Assert.That(parsed, Is.EqualTo(expected));
        Assert.That(parsed.GetHashCode(), Is.EqualTo(expected.GetHashCode()));
        Assert.That(parsed.ToString(), Is.EqualTo(json));
    }

    [Test]
    public void SyscallResultHelpersReadTheData()
    {
        Assert.That(VatSyscallResult.Ok().IsOk, Is.True);
        Assert.That(VatSyscallResult.Ok().Data, Is.Null);
        Assert.That(VatSyscallResult.Ok().GetString(), Is.Null);
        Assert.That(VatSyscallResult.Ok((string?)null), Is.EqualTo(VatSyscallResult.Ok()));
        Assert.That(VatSyscallResult.Ok("x").GetString(), Is.EqualTo("x"));
        Assert.That(VatSyscallResult.Ok("\ud800 lone").GetString(), Is.EqualTo("\ud800 lone"));
        Assert.That(VatSyscallResult.Ok(new CapData("#1", ["o+1"])).GetCapData(), Is.EqualTo(new CapData("#1", ["o+1"])));
        Assert.That(VatSyscallResult.Ok(JsonDocument.Parse("null").RootElement), Is.EqualTo(VatSyscallResult.Ok()));

        var error = VatSyscallResult.Error("vat is dead");
        Assert.That(error.IsOk, Is.False);
        Assert.That(error.Problem, Is.EqualTo("vat is dead"));
        Assert.That(() => error.GetString(), Throws.InvalidOperationException.With.Message.Contains("vat is dead"));
        Assert.That(
            () => VatSyscallResult.Ok("x").GetCapData(),
            Throws.TypeOf<LiveslotsFormatException>().With.Message.Contains("expected capdata"));
        Assert.That(
            () => VatSyscallResult.Ok(new CapData("#1")).GetString(),
            Throws.TypeOf<LiveslotsFormatException>().With.Message.Contains("expected a string (the data), found an object"));
        Assert.That(VatSyscallResult.Ok("a"), Is.Not.EqualTo(VatSyscallResult.Ok("b")));
        Assert.That(VatSyscallResult.Ok(), Is.Not.EqualTo(VatSyscallResult.Error("x")));
    }

    [TestCase("""["ok",null,null]""", true, null)]
    [TestCase("""["error","buildRootObject unresolved",null]""", false, "buildRootObject unresolved")]
    public void DeliveryResultsRoundTrip(string json, bool ok, string? problem)
    {
        var parsed = LiveslotsJson.ParseDeliveryResult(Bytes.Utf8(json));

        Assert.That(parsed.IsOk, Is.EqualTo(ok));
        Assert.That(parsed.Problem, Is.EqualTo(problem));
        Assert.That(parsed.Value, Is.Null);
        Assert.That(parsed, Is.EqualTo(ok ? VatDeliveryResult.Ok() : VatDeliveryResult.Error(problem!)));
        Assert.That(LiveslotsJson.Serialize(parsed), Is.EqualTo(Bytes.Utf8(json)));
    }

    [Test]
    public void BringOutYourDeadReportsRetentionStats()
    {
        const string json = """["ok",{"remotableRefCounts":0,"vrefRecognizers":0,"kindInfoTable":9,"slotToVal":5},null]""";

        var parsed = LiveslotsJson.ParseDeliveryResult(Bytes.Utf8(json));

        Assert.That(parsed.IsOk, Is.True);
        Assert.That(parsed.Value?.GetProperty("kindInfoTable").GetInt32(), Is.EqualTo(9));
        Assert.That(parsed.ToString(), Is.EqualTo(json));
        Assert.That(parsed, Is.EqualTo(VatDeliveryResult.Ok(JsonDocument.Parse(json).RootElement[1])));
        Assert.That(parsed, Is.Not.EqualTo(VatDeliveryResult.Ok()));
    }

    [Test]
    public void MeterUsageRoundTripsTheObservedRecord()
    {
        const string json = """{"currentHeapCount":3901,"compute":32,"allocate":42074144,"timestamps":[1795305778.409706,1795305778.410038]}""";

        var usage = LiveslotsJson.ParseMeterUsage(Bytes.Utf8(json));

        Assert.That(usage, Is.EqualTo(new MeterUsage(3901, 32, 42074144, [1795305778.409706, 1795305778.410038])));
        Assert.That(LiveslotsJson.Serialize(usage), Is.EqualTo(Bytes.Utf8(json)));
    }

    [Test]
    public void MeterUsageKeepsLargeCountsExactAndIgnoresOtherProperties()
    {
        var usage = LiveslotsJson.ParseMeterUsage(Bytes.Utf8(
            """{"meterType":"xs-meter-36","timestamps":[],"allocate":18446744073709551615,"compute":9007199254740993,"currentHeapCount":1e3}"""));

        Assert.That(usage.Allocate, Is.EqualTo(ulong.MaxValue));
        Assert.That(usage.Compute, Is.EqualTo(9007199254740993UL));
        Assert.That(usage.CurrentHeapCount, Is.EqualTo(1000UL));
        Assert.That(usage.Timestamps, Is.Empty);
        Assert.That(
            usage.ToString(),
            Is.EqualTo("""{"currentHeapCount":1000,"compute":9007199254740993,"allocate":18446744073709551615,"timestamps":[]}"""));
    }

    [Test]
    public void MeterUsageRefusesTimestampsJsonCannotHold() =>
        Assert.That(() => new MeterUsage(0, 0, 0, [double.NaN]), Throws.ArgumentException.With.Message.Contains("finite"));
}
