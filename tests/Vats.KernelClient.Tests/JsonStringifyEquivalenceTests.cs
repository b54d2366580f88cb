using System.Text.Json;
using Vats.KernelClient.Tests.Support;
using static Vats.KernelClient.Tests.Support.JsSpec;

namespace Vats.KernelClient.Tests;

/// <summary>
/// What LiveslotsJson writes is what JavaScript's JSON.stringify writes for the same objects, checked against
/// Node on strings that trip up other encoders (control characters, lone surrogates, characters HTML-safe
/// encoders escape), on numbers, and on objects JSON.parse reorders.
/// </summary>
public sealed class JsonStringifyEquivalenceTests
{
    private static readonly string[] TrickyStrings = BuildTrickyStrings();

    private static string[] BuildTrickyStrings()
    {
        var strings = new List<string>
        {
            "", "plain", "\"", "\\", "/", "\\\"", "\u007f", "\u0080", "\u009f", "\u00e9", "\u2028\u2029", "<>&'+`=",
            "\ud800", "\udc00", "\ud800\udc00", "\udc00\ud800", "a\ud800b", "\ud83d\ude00", "x\ud83d", "\ude00x", "\ud83d\ud83d\ude00",
            "\ufeff", "\uffff", "\ufffe", "#[\"later\",[]]", "{\"body\":\"#1\",\"slots\":[]}", "o+d10/1:2", "日本語",
        };
        for (var c = 0; c < 0x20; c++) strings.Add($"<{(char)c}>");
        strings.Add(new string(Enumerable.Range(0, 0x20).Select(c => (char)c).ToArray()));

        // Random strings weighted towards the interesting code units; the seed keeps the run repeatable.
        var random = new Random(20240611);
        char[] pool = ['"', '\\', '\b', '\f', '\n', '\r', '\t', '\0', '\u001f', '<', '>', '&', '\'', '+', 'a', '\u00e9', '\u2028', '\ud800', '\udbff', '\udc00', '\udfff', '\uffff'];
        for (var i = 0; i < 300; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var j = 0; j < chars.Length; j++)
                chars[j] = random.Next(3) == 0 ? (char)random.Next(0, 0x10000) : pool[random.Next(pool.Length)];
            strings.Add(new string(chars));
        }
        return [.. strings];
    }

    [Test]
    public void StringsInEveryShapeAreWrittenAsJsonStringifyWritesThem()
    {
        var cases = new List<string>();
        var ours = new List<string>();
        foreach (var s in TrickyStrings)
        {
            ours.Add(new VatstoreSetSyscall(s, s).ToString());
            cases.Add(Value(Arr(S("vatstoreSet"), S(s), S(s))));

            ours.Add(new MessageDelivery(s, new VatMessage(new CapData(s, [s, s]), s)).ToString());
            cases.Add(Value(Arr(S("message"), S(s), Obj(("methargs", Obj(("body", S(s)), ("slots", Arr(S(s), S(s))))), ("result", S(s))))));

            ours.Add(new NotifyDelivery([new VatResolution(s, true, new CapData(s))]).ToString());
            cases.Add(Value(Arr(S("notify"), Arr(Arr(S(s), Bool(true), Obj(("body", S(s)), ("slots", "[]")))))));

            ours.Add(VatSyscallResult.Error(s).ToString());
            cases.Add(Value(Arr(S("error"), S(s))));

            ours.Add(VatSyscallResult.Ok(s).ToString());
            cases.Add(Value(Arr(S("ok"), S(s))));
        }

        AssertSameLines(ours, JsSpec.Stringify(cases));
    }

    [Test]
    public void WhatNodeWritesParsesBackToTheSameValue()
    {
        var cases = TrickyStrings.Select(s => Value(Arr(S("callNow"), S(s), S(s), Obj(("body", S(s)), ("slots", Arr(S(s))))))).ToList();

        var lines = JsSpec.Stringify(cases);

        var mismatches = new List<string>();
        for (var i = 0; i < TrickyStrings.Length; i++)
        {
            var s = TrickyStrings[i];
            var parsed = LiveslotsJson.ParseSyscall(Bytes.Utf8(lines[i]));
            if (!parsed.Equals(new CallNowSyscall(s, s, new CapData(s, [s])))) mismatches.Add(lines[i]);
        }
        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void NumbersAreWrittenAsJavaScriptWritesThem()
    {
        var numbers = new List<double>
        {
            0, -0.0, 1, -1, 0.1, 0.1 + 0.2, 100, 1e20, 1e21, 1.5e21, 123456789012345680000.0, 1e-6, 1e-7, 1.5e-7, 123e-20,
            9007199254740992, 9007199254740994, 4.35, 0.000001, 1e16, 1e300, 1.7976931348623157e308, 5e-324,
            2.2250738585072014e-308, 1795305778.409706, 1795305778.4, 2.5, -2.5e-10, double.NaN,
            double.PositiveInfinity, double.NegativeInfinity,
        };
        var random = new Random(7);
        for (var i = 0; i < 2000; i++) numbers.Add(BitConverter.Int64BitsToDouble(random.NextInt64()));
        for (var i = 0; i < 1000; i++) numbers.Add(random.Next() / Math.Pow(10, random.Next(0, 25)));

        var lines = JsSpec.Stringify(numbers.Select(n => Value(N(n))).ToList());

        AssertSameLines(numbers.Select(JsNumber.Format).ToList(), lines);
    }

    [TestCase("""{"b":1.50,"a":1e3,"2":true,"b":2,"1":null}""")]
    [TestCase("""{"4294967294":1,"4294967295":2,"01":3,"1":4,"-1":5,"":6,"0":7}""")]
    [TestCase("""{"x":[1e400,-1e400,-0,0.0,1E+2,123456789012345678901234567890,5e-324,1e-400,-1.25e-7]}""")]
    [TestCase("""{"s":"\ud800\u00e9\/\u001F\u2028","t":"\uD83D\uDE00","<&>":"'+"}""")]
    [TestCase("""{"__proto__":1,"a":{"__proto__":[2]}}""")]
    [TestCase(""" { "k" : { "k" : { "k" : { } } } , "a" : [ [ ] , [ { } ] ] } """)]
    public void OptionObjectsAreKeptAsJsonParseThenStringifyWouldKeepThem(string text)
    {
        var ours = new ChangeVatOptionsDelivery(JsonDocument.Parse(text).RootElement).ToString();

        var node = JsSpec.Stringify([Reparse("[\"changeVatOptions\"," + text + "]")]);

        Assert.That(ours, Is.EqualTo(node[0]));
    }

    [TestCase("""[1,"x",null,{"b":1,"a":2}]""")]
    [TestCase("\"\\ud800\"")]
    [TestCase("12.50")]
    [TestCase("true")]
    public void SyscallResultDataIsKeptAsJsonParseThenStringifyWouldKeepIt(string text)
    {
        var ours = VatSyscallResult.Ok(JsonDocument.Parse(text).RootElement).ToString();

        var node = JsSpec.Stringify([Reparse("[\"ok\"," + text + "]")]);

        Assert.That(ours, Is.EqualTo(node[0]));
    }

    private static string Value(string spec) => "{\"value\":" + spec + "}";

    private static string Reparse(string text) => "{\"reparse\":" + S(text) + "}";

    private static void AssertSameLines(IReadOnlyList<string> ours, IReadOnlyList<string> node)
    {
        Assert.That(ours, Has.Count.EqualTo(node.Count));
        var mismatches = new List<string>();
        for (var i = 0; i < ours.Count; i++)
            if (!string.Equals(ours[i], node[i], StringComparison.Ordinal))
                mismatches.Add($"#{i}: ours {ours[i]} / JSON.stringify {node[i]}");
        Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {ours.Count} differ");
    }
}
