using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.Interpreter;

public sealed class ControlTests
{
    [Test]
    public void DeepRecursionTrapsAndTheStoreStaysUsable()
    {
        var store = new Store();
        var instance = Wasm.Instantiate("""
            (module
              (func $down (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
              (func (export "id") (param i32) (result i32) (local.get 0)))
            """, store);
        var trap = Assert.Throws<TrapException>(() => instance.CallI32("down", 1_000_000))!;
        Assert.That(trap.Kind, Is.EqualTo(TrapKind.CallStackExhausted));
        Assert.Multiple(() =>
        {
            Assert.That(instance.CallI32("id", 7), Is.EqualTo(7));
            Assert.That(instance.CallI32("down", 10_000), Is.EqualTo(10_000), "recursion within the limit still works");
        });
    }

    [Test]
    public void MillionFramesWithinRaisedLimitsRun()
    {
        var store = new Store(new RuntimeOptions { MaxCallDepth = 1_100_000 });
        var instance = Wasm.Instantiate("""
            (module
              (func $down (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
            """, store);
        Assert.That(instance.CallI32("down", 1_000_000), Is.EqualTo(1_000_000));
    }

    [Test]
    public void ValueStackLimitTrapsBeforeTheDepthLimit()
    {
        var store = new Store(new RuntimeOptions { MaxValueStackSlots = 10_000 });
        var instance = Wasm.Instantiate("""
            (module
              (func $down (export "down") (param i32) (result i32)
                (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
            """, store);
        Assert.That(instance.CallI32("down", 100), Is.EqualTo(100));
        var trap = Assert.Throws<TrapException>(() => instance.CallI32("down", 1000))!;
        Assert.Multiple(() =>
        {
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.CallStackExhausted));
            Assert.That(trap.FunctionIndex, Is.Zero);
        });
        Assert.That(instance.CallI32("down", 100), Is.EqualTo(100), "the store is usable afterwards");
    }

    [Test]
    public void TrapCarriesFunctionIndexAndOffset()
    {
        var compiled = Tests.TestSupport.Wat.Compile("""
            (module
              (import "env" "f" (func))
              (func (export "ok") (result i32) (i32.const 1))
              (func (export "boom") nop nop unreachable))
            """);
        var imports = new Imports();
        imports.Define("env", "f", HostFunction.Create(() => { }));
        var instance = Instance.Instantiate(new Store(), compiled, imports);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("boom").Invoke())!;
        Assert.Multiple(() =>
        {
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.Unreachable));
            Assert.That(trap.FunctionIndex, Is.EqualTo(2));
            // The body's code is: nop nop unreachable end.
            Assert.That(trap.InstructionOffset, Is.EqualTo(compiled.Module.Codes[1].CodeOffset + 2));
        });
    }

    [Test]
    public void MemoryTrapOffsetPointsAtTheLoad()
    {
        var compiled = Tests.TestSupport.Wat.Compile("""
            (module (memory 1)
              (func (export "load") (param i32) (result i64) (i64.load offset=8 (local.get 0))))
            """);
        var instance = Instance.Instantiate(new Store(), compiled);
        Assert.That(instance.GetFunction("load").Invoke(WasmValue.I32(65536 - 16))[0].AsI64(), Is.Zero);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("load").Invoke(WasmValue.I32(65536 - 15)))!;
        Assert.Multiple(() =>
        {
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.MemoryOutOfBounds));
            Assert.That(trap.FunctionIndex, Is.Zero);
            // local.get 0 is two bytes, then the load.
            Assert.That(trap.InstructionOffset, Is.EqualTo(compiled.Module.Codes[0].CodeOffset + 2));
        });
    }

    [Test]
    public void BranchesCarryMultipleValues()
    {
        var instance = Wasm.Instantiate("""
            (module
              (func (export "pick") (param i32) (result i32)
                (local i32 i32)
                (block (result i32 i32)
                  (i32.const 10) (i32.const 20)
                  (br_if 0 (local.get 0))
                  (drop) (drop) (i32.const 1) (i32.const 2))
                (local.set 2) (local.set 1)
                (i32.sub (local.get 1) (local.get 2)))
              (func (export "table") (param i32) (result i32)
                (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 100)))
                  (return (i32.const 101)))
                (i32.const 102)))
            """);
        Assert.Multiple(() =>
        {
            Assert.That(instance.CallI32("pick", 1), Is.EqualTo(-10));
            Assert.That(instance.CallI32("pick", 0), Is.EqualTo(-1));
            Assert.That(instance.CallI32("table", 0), Is.EqualTo(100));
            Assert.That(instance.CallI32("table", 1), Is.EqualTo(101));
            Assert.That(instance.CallI32("table", 2), Is.EqualTo(102));
            Assert.That(instance.CallI32("table", 99), Is.EqualTo(102));
        });
    }

    [Test]
    public void LocalWritesDoNotChangeOperandsAlreadyPushed()
    {
        var instance = Wasm.Instantiate("""
            (module
              (func (export "f") (param i32) (result i32)
                (local.get 0)
                (local.set 0 (i32.const 5))
                (local.get 0)
                (i32.sub))
              (func (export "tee") (param i32) (result i32)
                (local.get 0)
                (local.tee 0 (i32.add (local.get 0) (i32.const 1)))
                (i32.mul)))
            """);
        Assert.Multiple(() =>
        {
            Assert.That(instance.CallI32("f", 12), Is.EqualTo(7));
            Assert.That(instance.CallI32("tee", 6), Is.EqualTo(42));
        });
    }

    [Test]
    public void TableOperations()
    {
        var instance = Wasm.Instantiate("""
            (module
              (table $t 2 10 funcref)
              (elem declare func $a)
              (func $a (result i32) (i32.const 42))
              (func (export "size") (result i32) (table.size $t))
              (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $a) (local.get 0)))
              (func (export "set") (param i32) (table.set $t (local.get 0) (ref.func $a)))
              (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
              (func (export "fill") (param i32 i32) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
              (func (export "call") (param i32) (result i32) (call_indirect $t (result i32) (local.get 0))))
            """);
        Assert.Multiple(() =>
        {
            Assert.That(instance.CallI32("size"), Is.EqualTo(2));
            Assert.That(instance.CallI32("is_null", 1), Is.EqualTo(1));
            Assert.That(Assert.Throws<TrapException>(() => instance.CallI32("call", 1))!.Kind, Is.EqualTo(TrapKind.UninitializedElement));
            Assert.That(Assert.Throws<TrapException>(() => instance.CallI32("call", 2))!.Kind, Is.EqualTo(TrapKind.UndefinedElement));
            Assert.That(instance.CallI32("grow", 3), Is.EqualTo(2));
            Assert.That(instance.CallI32("grow", 100), Is.EqualTo(-1));
            Assert.That(instance.CallI32("size"), Is.EqualTo(5));
            Assert.That(instance.CallI32("call", 4), Is.EqualTo(42));
            Assert.That(Assert.Throws<TrapException>(() => instance.GetFunction("fill").Invoke(WasmValue.I32(3), WasmValue.I32(3)))!.Kind,
                Is.EqualTo(TrapKind.TableOutOfBounds));
            instance.GetFunction("fill").Invoke(WasmValue.I32(3), WasmValue.I32(2));
            Assert.That(instance.CallI32("is_null", 4), Is.EqualTo(1));
            Assert.That(Assert.Throws<TrapException>(() => instance.GetFunction("set").Invoke(WasmValue.I32(5)))!.Kind,
                Is.EqualTo(TrapKind.TableOutOfBounds));
        });
    }
}
