using System.Globalization;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.SpecTests;

/// <summary>
/// Turns wast2json values into <see cref="WasmValue"/>s and checks results against expectations.
/// Floats are compared by bits (the suite's expected values are exact), except for the NaN classes.
/// Externref handle N of the script is host handle N + 1, so that the script's handle 0 is not our null.
/// </summary>
internal static class SpecValue
{
    private const uint F32CanonicalNaN = 0x7FC0_0000;
    private const ulong F64CanonicalNaN = 0x7FF8_0000_0000_0000;

    public static WasmValue Parse(SpecJsonValue value)
    {
        var text = value.Text ?? throw new SpecCommandFailure("harness", $"argument {value} has no scalar value");
        return value.Type switch
        {
            "i32" => new WasmValue(ValType.I32, ParseUInt32(text)),
            "i64" => new WasmValue(ValType.I64, ParseUInt64(text)),
            "f32" => new WasmValue(ValType.F32, ParseUInt32(text)),
            "f64" => new WasmValue(ValType.F64, ParseUInt64(text)),
            "externref" => new WasmValue(ValType.ExternRef, text == "null" ? 0 : checked(ParseUInt64(text) + 1)),
            "funcref" when text == "null" => WasmValue.Null(ValType.FuncRef),
            _ => throw new SpecCommandFailure("harness", $"unsupported argument {value}"),
        };
    }

    /// <summary>Null when <paramref name="actual"/> satisfies <paramref name="expected"/>, else what is wrong.</summary>
    public static string? Mismatch(SpecJsonValue expected, WasmValue actual)
    {
        var text = expected.Text ?? throw new SpecCommandFailure("harness", $"expected value {expected} has no scalar value");
        if (actual.Type.Name() != expected.Type) return $"expected {expected}, got {Format(actual)} (type differs)";
        var ok = expected.Type switch
        {
            "f32" when text == "nan:canonical" => ((uint)actual.Bits & 0x7FFF_FFFF) == F32CanonicalNaN,
            "f32" when text == "nan:arithmetic" => ((uint)actual.Bits & F32CanonicalNaN) == F32CanonicalNaN,
            "f64" when text == "nan:canonical" => (actual.Bits & 0x7FFF_FFFF_FFFF_FFFF) == F64CanonicalNaN,
            "f64" when text == "nan:arithmetic" => (actual.Bits & F64CanonicalNaN) == F64CanonicalNaN,
            "i32" or "f32" => actual.Bits == ParseUInt32(text),
            "i64" or "f64" => actual.Bits == ParseUInt64(text),
            "externref" => actual.Bits == (text == "null" ? 0 : checked(ParseUInt64(text) + 1)),
            // The script cannot name a particular function, only null or "some function".
            "funcref" => text == "null" ? actual.Bits == 0 : actual.Bits != 0,
            _ => throw new SpecCommandFailure("harness", $"unsupported expected value {expected}"),
        };
        return ok ? null : $"expected {Describe(expected)}, got {Format(actual)}";
    }

    public static string Format(WasmValue value) => value.Type switch
    {
        ValType.I32 => $"i32:{(int)(uint)value.Bits}",
        ValType.I64 => $"i64:{(long)value.Bits}",
        ValType.F32 => $"f32:{value.AsF32().ToString("R", CultureInfo.InvariantCulture)} (0x{(uint)value.Bits:x8})",
        ValType.F64 => $"f64:{value.AsF64().ToString("R", CultureInfo.InvariantCulture)} (0x{value.Bits:x16})",
        ValType.ExternRef => value.Bits == 0 ? "externref:null" : $"externref:{value.Bits - 1}",
        ValType.FuncRef => value.Bits == 0 ? "funcref:null" : $"funcref:function#{value.Bits - 1}",
        _ => value.ToString(),
    };

    public static string Describe(SpecJsonValue expected)
    {
        var text = expected.Text;
        if (text is null || text.StartsWith("nan:", StringComparison.Ordinal) || text == "null") return expected.ToString();
        return expected.Type is "funcref" ? "funcref:non-null" : Format(Parse(expected));
    }

    private static uint ParseUInt32(string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new SpecCommandFailure("harness", $"'{text}' is not a 32-bit pattern");

    private static ulong ParseUInt64(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new SpecCommandFailure("harness", $"'{text}' is not a 64-bit pattern");
}
