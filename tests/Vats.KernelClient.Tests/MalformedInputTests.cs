using Vats.KernelClient.Tests.Support;

namespace Vats.KernelClient.Tests;

/// <summary>Bytes that are not the expected shape give <see cref="LiveslotsFormatException"/> saying what and where.</summary>
public sealed class MalformedInputTests
{
    [TestCase("{}", "delivery at $: expected a delivery array [tag, ...], found an object {}")]
    [TestCase("[]", "delivery at $: expected a delivery array [tag, ...], found an empty array")]
    [TestCase("[5]", "delivery at $[0]: expected a string (the tag), found number 5")]
    [TestCase("\"message\"", "delivery at $: expected a delivery array [tag, ...], found string \"message\"")]
    [TestCase("""["frobnicate"]""", "delivery at $[0]: expected a delivery tag (message, notify,")]
    [TestCase("""["message","o+0"]""", "delivery \"message\" at $: expected 3 elements [\"message\", targetVref, message], found an array of 2 elements")]
    [TestCase("""["message",5,{"methargs":{"body":"#1","slots":[]},"result":null}]""", "delivery \"message\" at $[1]: expected a string (target vref), found number 5")]
    [TestCase("""["message","o+0",{"methargs":{"body":"#1","slots":[7]},"result":null}]""", "at $[2].methargs.slots[0]: expected a string (vref), found number 7")]
    [TestCase("""["message","o+0",{"methargs":{"slots":[]},"result":null}]""", "at $[2].methargs.body: expected a string (capdata body), found nothing (the property is missing)")]
    [TestCase("""["message","o+0",{"methargs":{"body":"#1","slots":{}},"result":null}]""", "at $[2].methargs.slots: expected an array of strings (vrefs), found an object {}")]
    [TestCase("""["message","o+0",{"methargs":{"body":"#1","slots":[]},"result":7}]""", "at $[2].result: expected a string or null (result vpid), found number 7")]
    [TestCase("""["message","o+0",[]]""", "at $[2]: expected a message {\"methargs\":capdata,\"result\":vpid|null}, found an empty array")]
    [TestCase("""["notify",[["p+1","false",{"body":"#1","slots":[]}]]]""", "delivery \"notify\" at $[1][0][1]: expected a boolean (isReject), found string \"false\"")]
    [TestCase("""["notify",[["p+1",false]]]""", "at $[1][0]: expected a resolution [vpid, isReject, capdata], found an array of 2 elements")]
    [TestCase("""["notify",{}]""", "at $[1]: expected an array of resolutions")]
    [TestCase("""["dropExports",["o+1",null]]""", "delivery \"dropExports\" at $[1][1]: expected a string (vref), found null")]
    [TestCase("""["changeVatOptions",[]]""", "delivery \"changeVatOptions\" at $[1]: expected an options object, found an empty array")]
    [TestCase("""["startVat"]""", "delivery \"startVat\" at $: expected 2 elements [\"startVat\", capdata], found an array of 1 element")]
    [TestCase("""["bringOutYourDead",null]""", "delivery \"bringOutYourDead\" at $: expected 1 element [\"bringOutYourDead\"], found an array of 2 elements")]
    [TestCase("""["message",""", "delivery: invalid JSON at character 11: expected a JSON value, found the end of the text")]
    [TestCase("""["bringOutYourDead"] x""", "delivery: invalid JSON at character 21: expected the end of the JSON text, found 'x'")]
    [TestCase("""["bringOutYourDead",]""", "delivery: invalid JSON at character 20: expected a JSON value, found ']'")]
    [TestCase("""['bringOutYourDead']""", "delivery: invalid JSON at character 1: expected a JSON value, found '''")]
    [TestCase("[\"a\tb\"]", "invalid JSON at character 3: expected a string character (control characters must be escaped), found U+0009")]
    [TestCase("""["\x"]""", "invalid JSON at character 3: expected a valid escape")]
    [TestCase("""["\u12"]""", "expected four hex digits after \\u")]
    [TestCase("[01]", "invalid JSON at character 2: expected ',' or ']', found '1'")]
    [TestCase("[1.]", "expected a digit after '.'")]
    [TestCase("", "delivery: invalid JSON at character 0: expected a JSON value, found the end of the text")]
    [TestCase("\ufeff[\"bringOutYourDead\"]", "invalid JSON at character 0: expected a JSON value, found U+FEFF")]
    public void MalformedDeliveries(string json, string message) => AssertFormatError(() => LiveslotsJson.ParseDelivery(Bytes.Utf8(json)), message);

    [TestCase("null", "syscall at $: expected a syscall array [tag, ...], found null")]
    [TestCase("[true]", "syscall at $[0]: expected a string (the tag), found true")]
    [TestCase("""["send"]""", "syscall \"send\" at $: expected 3 elements [\"send\", targetVref, message], found an array of 1 element")]
    [TestCase("""["send","o-1",{"methargs":{"body":"#1","slots":[]}},"extra"]""", "syscall \"send\" at $: expected 3 elements")]
    [TestCase("""["callNow","d-1",5,{"body":"#1","slots":[]}]""", "syscall \"callNow\" at $[2]: expected a string (method), found number 5")]
    [TestCase("""["subscribe",["p+1"]]""", "syscall \"subscribe\" at $[1]: expected a string (vpid), found an array of 1 element [\"p+1\"]")]
    [TestCase("""["resolve",[["p+1",0,{"body":"#1","slots":[]}]]]""", "syscall \"resolve\" at $[1][0][1]: expected a boolean (isReject), found number 0")]
    [TestCase("""["exit","true",{"body":"#1","slots":[]}]""", "syscall \"exit\" at $[1]: expected a boolean (isFailure), found string \"true\"")]
    [TestCase("""["vatstoreGet",1]""", "syscall \"vatstoreGet\" at $[1]: expected a string (key), found number 1")]
    [TestCase("""["vatstoreSet","k"]""", "syscall \"vatstoreSet\" at $: expected 3 elements [\"vatstoreSet\", key, value], found")]
    [TestCase("""["vatstoreSet","k",{}]""", "syscall \"vatstoreSet\" at $[2]: expected a string (value), found an object {}")]
    [TestCase("""["vatstoreGetNextKey"]""", "syscall \"vatstoreGetNextKey\" at $: expected 2 elements")]
    [TestCase("""["vatstoreDelete",null]""", "syscall \"vatstoreDelete\" at $[1]: expected a string (key), found null")]
    [TestCase("""["abandonExports","o+1"]""", "syscall \"abandonExports\" at $[1]: expected an array of strings (vrefs), found string \"o+1\"")]
    public void MalformedSyscalls(string json, string message) => AssertFormatError(() => LiveslotsJson.ParseSyscall(Bytes.Utf8(json)), message);

    [TestCase("""["maybe",null]""", "syscall result at $[0]: expected \"ok\" or \"error\", found string \"maybe\"")]
    [TestCase("""["ok"]""", "syscall result \"ok\" at $: expected 2 elements [\"ok\", data], found an array of 1 element")]
    [TestCase("""["error",5]""", "syscall result \"error\" at $[1]: expected a string (problem), found number 5")]
    [TestCase("{\"ok\":null}", "syscall result at $: expected a syscall result array [tag, ...], found an object")]
    public void MalformedSyscallResults(string json, string message) => AssertFormatError(() => LiveslotsJson.ParseSyscallResult(Bytes.Utf8(json)), message);

    [TestCase("""["ok",null]""", "delivery result \"ok\" at $: expected 3 elements [\"ok\", value, null], found an array of 2 elements")]
    [TestCase("""["ok",null,{}]""", "delivery result \"ok\" at $[2]: expected null (the slot the kernel fills with meter usage), found an object {}")]
    [TestCase("""["error",null,null]""", "delivery result \"error\" at $[1]: expected a string (problem), found null")]
    [TestCase("""["err","x","y"]""", "delivery result at $[0]: expected \"ok\" or \"error\", found string \"err\"")]
    public void MalformedDeliveryResults(string json, string message) => AssertFormatError(() => LiveslotsJson.ParseDeliveryResult(Bytes.Utf8(json)), message);

    [TestCase("[]", "meter usage at $: expected an object")]
    [TestCase("""{"currentHeapCount":1,"compute":2,"allocate":3}""", "meter usage at $.timestamps: expected an array of numbers, found nothing (the property is missing)")]
    [TestCase("""{"currentHeapCount":1,"compute":-2,"allocate":3,"timestamps":[]}""", "meter usage at $.compute: expected a non-negative integer, found number -2")]
    [TestCase("""{"currentHeapCount":1.5,"compute":2,"allocate":3,"timestamps":[]}""", "meter usage at $.currentHeapCount: expected a non-negative integer, found number 1.5")]
    [TestCase("""{"currentHeapCount":1,"compute":2,"allocate":"3","timestamps":[]}""", "meter usage at $.allocate: expected a non-negative integer, found string \"3\"")]
    [TestCase("""{"currentHeapCount":1,"compute":2,"allocate":3,"timestamps":[1,"2"]}""", "meter usage at $.timestamps[1]: expected a finite number, found string \"2\"")]
    [TestCase("""{"currentHeapCount":1,"compute":2,"allocate":3,"timestamps":[1e999]}""", "meter usage at $.timestamps[0]: expected a finite number, found number 1e999")]
    public void MalformedMeterUsage(string json, string message) => AssertFormatError(() => LiveslotsJson.ParseMeterUsage(Bytes.Utf8(json)), message);

    [Test]
    public void InvalidUtf8IsReportedWithItsOffset()
    {
        byte[] bytes = [(byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']'];

        AssertFormatError(() => LiveslotsJson.ParseSyscall(bytes), "syscall: expected UTF-8 text, found an invalid UTF-8 sequence at byte 2");
    }

    [Test]
    public void NestingIsBounded()
    {
        var deep = new string('[', 1001) + new string(']', 1001);

        AssertFormatError(() => LiveslotsJson.ParseSyscall(Bytes.Utf8(deep)), "syscall: expected JSON nested at most 1000 deep");
        Assert.That(LiveslotsJson.ParseSyscall(Bytes.Utf8("[\"x\"," + new string('[', 998) + new string(']', 999))), Is.TypeOf<UnknownSyscall>());
    }

    [Test]
    public void TheExceptionCarriesPathExpectedAndFound()
    {
        var e = Assert.Throws<LiveslotsFormatException>(
            () => LiveslotsJson.ParseSyscall(Bytes.Utf8("""["send","o-1",{"methargs":{"body":"#1","slots":[5]}}]""")));

        Assert.That(e.Path, Is.EqualTo("$[2].methargs.slots[0]"));
        Assert.That(e.Expected, Is.EqualTo("a string (vref)"));
        Assert.That(e.Found, Is.EqualTo("number 5"));
        Assert.That(e, Is.InstanceOf<FormatException>());
    }

    [Test]
    public void LongValuesAreShortenedInMessages()
    {
        var e = Assert.Throws<LiveslotsFormatException>(
            () => LiveslotsJson.ParseSyscall(Bytes.Utf8($"[\"vatstoreGet\",[\"{new string('x', 500)}\"]]")));

        Assert.That(e.Message, Has.Length.LessThan(200));
        Assert.That(e.Message, Does.EndWith("..."));
    }

    private static void AssertFormatError(TestDelegate parse, string message)
    {
        var e = Assert.Throws<LiveslotsFormatException>(parse);
        Assert.That(e.Message, Does.Contain(message));
    }
}
