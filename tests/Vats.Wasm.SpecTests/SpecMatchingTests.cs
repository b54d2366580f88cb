using System.Text.Json;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.SpecTests;

/// <summary>Value and trap matching must be as strict as documented: exact bits, except for the NaN classes.</summary>
[TestFixture]
public sealed class SpecMatchingTests
{
    [TestCase("integer divide by zero", TrapKind.IntegerDivideByZero)]
    [TestCase("uninitialized element 2", TrapKind.UninitializedElement)]
    [TestCase("undefined element", TrapKind.UndefinedElement)]
    [TestCase("out of bounds table access", TrapKind.TableOutOfBounds)]
    public void TrapTextsMapToKinds(string text, TrapKind kind) =>
        Assert.That(SpecFileRunner.ExpectedTrapKind(text), Is.EqualTo(kind));

    [Test]
    public void UnknownTrapTextMapsToNoKind() =>
        Assert.That(SpecFileRunner.ExpectedTrapKind("something else entirely"), Is.Null);

    [TestCase("f32", "nan:canonical", 0x7FC0_0000UL, true)]
    [TestCase("f32", "nan:canonical", 0xFFC0_0000UL, true)]
    [TestCase("f32", "nan:canonical", 0x7FC0_0001UL, false)]
    [TestCase("f32", "nan:arithmetic", 0x7FC0_0001UL, true)]
    [TestCase("f32", "nan:arithmetic", 0x7FA0_0000UL, false)]
    [TestCase("f32", "2143289344", 0x7FC0_0000UL, true)]
    [TestCase("f32", "2143289344", 0xFFC0_0000UL, false)]
    [TestCase("f64", "nan:canonical", 0x7FF8_0000_0000_0000UL, true)]
    [TestCase("f64", "nan:canonical", 0x7FF8_0000_0000_0001UL, false)]
    [TestCase("f64", "nan:arithmetic", 0xFFF8_0000_0000_0001UL, true)]
    [TestCase("f64", "nan:arithmetic", 0x7FF4_0000_0000_0000UL, false)]
    public void NaNClassesAndExactBits(string type, string expected, ulong actualBits, bool matches)
    {
        var valType = type == "f32" ? ValType.F32 : ValType.F64;
        var json = JsonSerializer.Deserialize<SpecJsonValue>(
            $$"""{"Type":"{{type}}","Value":"{{expected}}"}""")!;
        var mismatch = SpecValue.Mismatch(json, new WasmValue(valType, actualBits));
        Assert.That(mismatch is null, Is.EqualTo(matches), mismatch);
    }
}
