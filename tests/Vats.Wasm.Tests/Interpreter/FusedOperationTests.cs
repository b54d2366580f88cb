using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.Interpreter;

/// <summary>
/// Instruction sequences that lowering combines into one operation (constant operands, compare and branch,
/// i32.eqz of a compare, address arithmetic folded into loads and stores, a scaled index added to a base, an
/// opcode fetch feeding br_table, a move or an add followed by br) keep the exact wasm semantics, trap
/// offsets and fuel.
/// </summary>
public sealed class FusedOperationTests
{
    private static CompiledModule _compiled = null!;
    private static Store _store = null!;
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
                (local.get 1))
              (func (export "store_at") (param i32 i32)
                (i32.store offset=4 (i32.add (local.get 0) (i32.const 8)) (local.get 1)))
              (func (export "store8_at") (param i32 i32)
                (i32.store8 (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))
              (func (export "store16_at") (param i32 i32)
                (i32.store16 offset=2 (i32.add (local.get 0) (i32.const 2)) (local.get 1)))
              (func (export "store64_at") (param i32 i64)
                (i64.store (i32.add (local.get 0) (i32.const 8)) (local.get 1)))
              (func (export "store_const_at") (param i32)
                (i32.store (i32.add (local.get 0) (i32.const 4)) (i32.const 77)))
              (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
              (func (export "index") (param i32 i32) (result i32)
                (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 3))))
              (func (export "index_first") (param i32 i32) (result i32)
                (i32.add (i32.shl (local.get 1) (i32.const 34)) (local.get 0)))
              (func (export "not_lt") (param i32 i32) (result i32)
                (i32.eqz (i32.lt_s (local.get 0) (local.get 1))))
              (func (export "not_gtu_imm") (param i64) (result i32)
                (i32.eqz (i64.gt_u (local.get 0) (i64.const 10))))
              (func (export "if_not_eq") (param i32 i32) (result i32)
                (if (result i32) (i32.eqz (i32.eq (local.get 0) (local.get 1)))
                  (then (i32.const 1)) (else (i32.const 2))))
              (func (export "sum_to") (param i32) (result i32) (local i32 i32)
                (block $done
                  (loop $l
                    (br_if $done (i32.ge_s (local.get 1) (local.get 0)))
                    (local.set 2 (i32.add (local.get 2) (local.get 1)))
                    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                    (br $l)))
                (local.get 2))
              (func (export "double_until") (param i32) (result i32) (local i32)
                (local.set 1 (i32.const 1))
                (block $done
                  (loop $l
                    (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
                    (local.set 1 (i32.add (local.get 1) (local.get 1)))
                    (br $l)))
                (local.get 1))
              (func (export "pick") (param i32 i32) (result i32) (local i32)
                (block $b
                  (local.set 2 (local.get 0))
                  (br_if $b (i32.eqz (local.get 1)))
                  (local.set 2 (local.get 1))
                  (br $b))
                (local.get 2)))
            """);
        _store = new Store();
        _instance = Instance.Instantiate(_store, _compiled);
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

    private static void Call(string name, params int[] args) =>
        _instance.GetFunction(name).Invoke(args.Select(WasmValue.I32).ToArray());

    [Test]
    public void StoresWithAddressArithmetic()
    {
        Call("store_at", 100, 0x11223344);
        Call("store8_at", 201, 0x1AB);
        Call("store16_at", 300, 0x12345);
        _instance.GetFunction("store64_at").Invoke(WasmValue.I32(400), WasmValue.I64(0x0102030405060708));
        Call("store_const_at", 500);
        Assert.Multiple(() =>
        {
            Assert.That(_instance.CallI32("load32", 112), Is.EqualTo(0x11223344), "address + addend + offset");
            Assert.That(_instance.CallI32("load32", 200) & 0xFF, Is.EqualTo(0xAB), "i32.sub addend, value wrapped to a byte");
            Assert.That(_instance.CallI32("load32", 304) & 0xFFFF, Is.EqualTo(0x2345), "value wrapped to 16 bits");
            Assert.That(_instance.GetFunction("load64").Invoke(WasmValue.I32(408))[0].AsI64(), Is.EqualTo(0x0102030405060708));
            Assert.That(_instance.CallI32("load32", 504), Is.EqualTo(77), "a constant value");
        });
    }

    [Test]
    public void FusedStoreTrapsAtTheStore()
    {
        Call("store_at", 0, 5);
        Assert.That(_instance.CallI32("load32", 12), Is.EqualTo(5));
        Call("store_at", -4, 6);
        Assert.That(_instance.CallI32("load32", 8), Is.EqualTo(6), "the address sum wraps at 32 bits before the offset is added");
        var trap = Assert.Throws<TrapException>(() => Call("store_at", 65536 - 12, 1))!;
        Assert.Multiple(() =>
        {
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.MemoryOutOfBounds));
            // local.get 0, i32.const 8, i32.add, local.get 1, then the store.
            Assert.That(trap.InstructionOffset, Is.EqualTo(_compiled.Module.Codes[6].CodeOffset + 7));
        });
    }

    [Test]
    public void ScaledIndexAdd()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_instance.CallI32("index", 1000, 3), Is.EqualTo(1024));
            Assert.That(_instance.CallI32("index", -1, 0x20000000), Is.EqualTo(-1), "the shift and the sum wrap at 32 bits");
            Assert.That(_instance.CallI32("index_first", 1000, 3), Is.EqualTo(1012), "the shift count is taken mod 32");
        });
    }

    [Test]
    public void EqzOfAComparisonIsItsNegation()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_instance.CallI32("not_lt", 1, 2), Is.Zero);
            Assert.That(_instance.CallI32("not_lt", 2, 2), Is.EqualTo(1));
            Assert.That(_instance.CallI32("not_lt", -1, 2), Is.Zero, "signed");
            Assert.That(_instance.GetFunction("not_gtu_imm").Invoke(WasmValue.I64(10))[0].AsI32(), Is.EqualTo(1));
            Assert.That(_instance.GetFunction("not_gtu_imm").Invoke(WasmValue.I64(-1))[0].AsI32(), Is.Zero, "unsigned");
            Assert.That(_instance.CallI32("if_not_eq", 3, 3), Is.EqualTo(2));
            Assert.That(_instance.CallI32("if_not_eq", 3, 4), Is.EqualTo(1));
        });
    }

    [Test]
    public void BranchesFusedWithAMoveOrAnIncrement()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_instance.CallI32("sum_to", 10), Is.EqualTo(45));
            // Per iteration: the test (4) and the body (9); one more test, and the final local.get.
            Assert.That(_store.FuelConsumed, Is.EqualTo(13 * 10 + 5), "fuel counts the fused branch");
            Assert.That(_instance.CallI32("sum_to", 0), Is.Zero);
            Assert.That(_instance.CallI32("double_until", 100), Is.EqualTo(128));
            Assert.That(_instance.CallI32("double_until", 0), Is.EqualTo(1));
            Assert.That(_instance.CallI32("pick", 5, 0), Is.EqualTo(5));
            Assert.That(_instance.CallI32("pick", 5, 7), Is.EqualTo(7));
        });
    }
}
