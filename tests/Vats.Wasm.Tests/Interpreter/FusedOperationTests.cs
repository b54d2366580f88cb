using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.Interpreter;

/// <summary>
/// Instruction sequences that lowering combines into one operation (constant operands, compare and branch,
/// address arithmetic folded into loads, an opcode fetch feeding br_table) keep the exact wasm semantics.
/// </summary>
public sealed class FusedOperationTests
{
    private static CompiledModule _compiled = null!;
    private static Instance _instance = null!;

    [OneTimeSetUp]
    public void Setup()
    {
        _compiled = Tests.TestSupport.Wat.Compile("""
            (module
              (memory 1)
              (data (i32.const 100) "\02\00\01")
              (func (export "dispatch") (param i32) (result i32) (local i32)
                (block (block (block
                  (br_table 0 1 2 (i32.sub (local.tee 1 (i32.load8_u (local.get 0))) (i32.const 1))))
                  (return (i32.add (local.get 1) (i32.const 100))))
                  (return (i32.add (local.get 1) (i32.const 200))))
                (i32.add (local.get 1) (i32.const 300)))
              (func (export "pop") (param i32) (result i64) (local i32)
                (i64.load offset=4 (local.tee 1 (i32.sub (local.get 0) (i32.const 8)))))
              (func (export "pop_tee") (param i32) (result i32) (local i32)
                (drop (i64.load (local.tee 1 (i32.sub (local.get 0) (i32.const 8)))))
                (local.get 1))
              (func (export "peek") (param i32) (result i64)
                (i64.load (i32.add (local.get 0) (i32.const 16))))
              (func (export "small") (param i64) (result i32)
                (if (result i32) (i64.lt_u (local.get 0) (i64.const 0x100000000))
                  (then (i32.const 1)) (else (i32.const 0))))
              (func (export "count_down") (param i32) (result i32) (local i32)
                (loop $l
                  (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                  (br_if $l (i32.ge_s (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) (i32.const 0))))
                (local.get 1)))
            """);
        _instance = Instance.Instantiate(new Store(), _compiled);
    }

    private static long I64(string name, int arg) => _instance.GetFunction(name).Invoke(WasmValue.I32(arg))[0].AsI64();

    [Test]
    public void BrTableOnALoadedByte()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_instance.CallI32("dispatch", 100), Is.EqualTo(202));
            Assert.That(_instance.CallI32("dispatch", 102), Is.EqualTo(101));
            Assert.That(_instance.CallI32("dispatch", 101), Is.EqualTo(300), "index -1 wraps and takes the default");
        });
        var trap = Assert.Throws<TrapException>(() => _instance.CallI32("dispatch", 65536))!;
        Assert.Multiple(() =>
        {
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.MemoryOutOfBounds));
            // block block block local.get 0, then the load.
            Assert.That(trap.InstructionOffset, Is.EqualTo(_compiled.Module.Codes[0].CodeOffset + 8));
        });
    }

    [Test]
    public void LoadsWithAddressArithmetic()
    {
        Assert.Multiple(() =>
        {
            Assert.That(I64("pop", 100), Is.EqualTo(0x0001000200000000L));
            Assert.That(_instance.CallI32("pop_tee", 100), Is.EqualTo(92), "the local.tee still happens");
            Assert.That(I64("peek", 84), Is.EqualTo(0x10002L));
            Assert.That(I64("peek", -16), Is.Zero, "the address sum wraps at 32 bits before the offset is added");
        });
        var trap = Assert.Throws<TrapException>(() => I64("pop", 65536 + 4))!;
        Assert.Multiple(() =>
        {
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.MemoryOutOfBounds));
            // local.get 0, i32.const 8, i32.sub, local.tee 1, then the load.
            Assert.That(trap.InstructionOffset, Is.EqualTo(_compiled.Module.Codes[1].CodeOffset + 7));
        });
    }

    [Test]
    public void ComparisonsFusedWithBranches()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_instance.GetFunction("small").Invoke(WasmValue.I64(0xFFFFFFFF))[0].AsI32(), Is.EqualTo(1));
            Assert.That(_instance.GetFunction("small").Invoke(WasmValue.I64(0x100000000))[0].AsI32(), Is.Zero);
            Assert.That(_instance.GetFunction("small").Invoke(WasmValue.I64(-1))[0].AsI32(), Is.Zero, "unsigned comparison");
            Assert.That(_instance.CallI32("count_down", 5), Is.EqualTo(6));
            Assert.That(_instance.CallI32("count_down", -3), Is.EqualTo(1));
        });
    }
}
