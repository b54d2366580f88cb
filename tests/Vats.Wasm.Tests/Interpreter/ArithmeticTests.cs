using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.Interpreter;

public sealed class ArithmeticTests
{
    private const string Module = """
        (module
          (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
          (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
          (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
          (func (export "rotr64") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
          (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
          (func (export "ctz64") (param i64) (result i64) (i64.ctz (local.get 0)))
          (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
          (func (export "max64") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
          (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
          (func (export "add32") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
          (func (export "neg32") (param f32) (result f32) (f32.neg (local.get 0)))
          (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
          (func (export "trunc_u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
          (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
          (func (export "u64_to_f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
          (func (export "i64_to_f32") (param i64) (result f32) (f32.convert_i64_s (local.get 0)))
          (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
          (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0)))
        """;

    private static Instance _instance = null!;

    [OneTimeSetUp]
    public void Setup() => _instance = Wasm.Instantiate(Module);

    private static WasmValue[] Call(string name, params WasmValue[] args) => _instance.GetFunction(name).Invoke(args);

    private static TrapKind TrapOf(string name, params WasmValue[] args) =>
        Assert.Throws<TrapException>(() => Call(name, args))!.Kind;

    [Test]
    public void IntegerDivisionTrapsAndEdgeCases()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_instance.CallI32("div_s", -7, 2), Is.EqualTo(-3));
            Assert.That(TrapOf("div_s", WasmValue.I32(1), WasmValue.I32(0)), Is.EqualTo(TrapKind.IntegerDivideByZero));
            Assert.That(TrapOf("div_s", WasmValue.I32(int.MinValue), WasmValue.I32(-1)), Is.EqualTo(TrapKind.IntegerOverflow));
            Assert.That(_instance.CallI32("rem_s", int.MinValue, -1), Is.Zero);
            Assert.That(_instance.CallI32("rem_s", -7, 2), Is.EqualTo(-1));
            Assert.That(TrapOf("rem_s", WasmValue.I32(1), WasmValue.I32(0)), Is.EqualTo(TrapKind.IntegerDivideByZero));
            Assert.That(Call("rem_s64", WasmValue.I64(long.MinValue), WasmValue.I64(-1))[0].AsI64(), Is.Zero);
            Assert.That(Call("div_u64", WasmValue.I64(-1), WasmValue.I64(2))[0].AsI64(), Is.EqualTo(long.MaxValue));
            Assert.That(TrapOf("div_u64", WasmValue.I64(1), WasmValue.I64(0)), Is.EqualTo(TrapKind.IntegerDivideByZero));
        });
    }

    [Test]
    public void BitOperations()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_instance.CallI32("shl", 1, 33), Is.EqualTo(2), "shift count is taken mod 32");
            Assert.That(Call("rotr64", WasmValue.I64(1), WasmValue.I64(65))[0].AsI64(), Is.EqualTo(long.MinValue));
            Assert.That(_instance.CallI32("clz", 0), Is.EqualTo(32));
            Assert.That(Call("ctz64", WasmValue.I64(0))[0].AsI64(), Is.EqualTo(64));
            Assert.That(_instance.CallI32("ext8", 0x80), Is.EqualTo(-128));
        });
    }

    [Test]
    public void FloatMinMaxNearestAndNaN()
    {
        Assert.Multiple(() =>
        {
            var min = Call("min", WasmValue.F32(0f), WasmValue.F32(-0f))[0];
            Assert.That(min.Bits, Is.EqualTo(0x80000000UL), "min(+0, -0) = -0");
            var max = Call("max64", WasmValue.F64(-0.0), WasmValue.F64(0.0))[0];
            Assert.That(max.Bits, Is.Zero, "max(-0, +0) = +0");
            var nanMin = Call("min", WasmValue.F32(1f), new WasmValue(Model.ValType.F32, 0xFFA00001))[0];
            Assert.That(nanMin.Bits, Is.EqualTo(0x7FC00000UL), "NaN results are canonical");
            Assert.That(Call("nearest", WasmValue.F64(2.5))[0].AsF64(), Is.EqualTo(2.0));
            Assert.That(Call("nearest", WasmValue.F64(3.5))[0].AsF64(), Is.EqualTo(4.0));
            Assert.That(Call("nearest", WasmValue.F64(-0.5))[0].Bits, Is.EqualTo(0x8000000000000000UL));
            var sum = Call("add32", new WasmValue(Model.ValType.F32, 0x7FA00000), WasmValue.F32(1f))[0];
            Assert.That(sum.Bits, Is.EqualTo(0x7FC00000UL));
            var neg = Call("neg32", new WasmValue(Model.ValType.F32, 0x7FA00001))[0];
            Assert.That(neg.Bits, Is.EqualTo(0xFFA00001UL), "neg is a bit operation and keeps the payload");
        });
    }

    [Test]
    public void Conversions()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Call("trunc", WasmValue.F64(-2147483648.9))[0].AsI32(), Is.EqualTo(int.MinValue));
            Assert.That(TrapOf("trunc", WasmValue.F64(2147483648.0)), Is.EqualTo(TrapKind.IntegerOverflow));
            Assert.That(TrapOf("trunc", WasmValue.F64(double.NaN)), Is.EqualTo(TrapKind.InvalidConversionToInteger));
            Assert.That(TrapOf("trunc_u64", WasmValue.F32(-1f)), Is.EqualTo(TrapKind.IntegerOverflow));
            Assert.That(Call("trunc_u64", WasmValue.F32(-0.9f))[0].AsI64(), Is.Zero);
            Assert.That(Call("sat", WasmValue.F64(-5))[0].AsI32(), Is.Zero);
            Assert.That(Call("sat", WasmValue.F64(1e20))[0].AsI32(), Is.EqualTo(-1));
            Assert.That(Call("sat", WasmValue.F64(double.NaN))[0].AsI32(), Is.Zero);
            // Just above a float midpoint: one rounding goes up; rounding through a double first lands on the
            // midpoint and then ties to even (down).
            Assert.That(Call("u64_to_f32", WasmValue.I64(unchecked((long)0x8000008000000001UL)))[0].Bits, Is.EqualTo(0x5F000001UL));
            Assert.That(Call("i64_to_f32", WasmValue.I64(0x0020000020000001L))[0].Bits, Is.EqualTo(0x5A000001UL));
        });
    }

    [Test]
    public void MultiValueResults()
    {
        var results = Call("swap", WasmValue.I32(1), WasmValue.I32(2));
        Assert.That(results.Select(v => v.AsI32()), Is.EqualTo(new[] { 2, 1 }));
    }
}
