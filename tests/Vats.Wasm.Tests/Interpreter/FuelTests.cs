using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.Interpreter;

public sealed class FuelTests
{
    private const string Loop = """
        (module
          (func (export "count") (param $n i32)
            (loop $l
              local.get $n
              i32.const 1
              i32.sub
              local.tee $n
              br_if $l))
          (func (export "forever") (loop $l (br $l))))
        """;

    [TestCase(1)]
    [TestCase(10)]
    [TestCase(1000)]
    public void LoopCostsOnePerExecutedNonStructuralInstruction(int n)
    {
        var store = new Store();
        var instance = Wasm.Instantiate(Loop, store);
        instance.GetFunction("count").Invoke(WasmValue.I32(n));
        // n times the five body instructions; loop and the two ends are structure and free.
        Assert.That(store.FuelConsumed, Is.EqualTo(5L * n));
    }

    [TestCase(0, 4)] // local.get, if, local.get, br_if (not taken); the else arm is structure only
    [TestCase(1, 6)] // local.get, if, then: i32.const, drop, local.get, br_if (taken)
    public void StructureIsFree(int arg, long expected)
    {
        var store = new Store();
        var instance = Wasm.Instantiate("""
            (module
              (func (export "f") (param i32)
                (block (block (block (nop)
                  (if (local.get 0) (then (drop (i32.const 7))) (else (nop)))
                  (br_if 2 (local.get 0)))))))
            """, store);
        instance.GetFunction("f").Invoke(WasmValue.I32(arg));
        Assert.That(store.FuelConsumed, Is.EqualTo(expected));
    }

    [Test]
    public void ExhaustionHappensAtTheSamePointEveryRun()
    {
        long Run()
        {
            var store = new Store { FuelPerCall = 10_001 };
            var instance = Wasm.Instantiate(Loop, store);
            var trap = Assert.Throws<TrapException>(() => instance.GetFunction("forever").Invoke())!;
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.OutOfFuel));
            return store.FuelConsumed;
        }
        var first = Run();
        var second = Run();
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            // One br per iteration (loop is free) until the next iteration's run no longer fits: all 10 001 used.
            Assert.That(first, Is.EqualTo(10_001));
        });
    }

    [Test]
    public void BudgetIsPerTopLevelCallAndUnlimitedByDefault()
    {
        var store = new Store();
        var instance = Wasm.Instantiate(Loop, store);
        instance.GetFunction("count").Invoke(WasmValue.I32(100_000));
        Assert.That(store.FuelConsumed, Is.EqualTo(5L * 100_000));
        store.FuelPerCall = 100;
        Assert.That(Assert.Throws<TrapException>(() => instance.GetFunction("count").Invoke(WasmValue.I32(100)))!.Kind,
            Is.EqualTo(TrapKind.OutOfFuel));
        Assert.That(store.FuelConsumed, Is.LessThanOrEqualTo(100));
        instance.GetFunction("count").Invoke(WasmValue.I32(10));
        Assert.That(store.FuelConsumed, Is.EqualTo(50), "a new call gets a fresh budget");
    }

    [Test]
    public void ReentrantCallsShareTheBudget()
    {
        var store = new Store();
        Instance? instance = null;
        var imports = new Imports();
        imports.Define("env", "spin", new HostFunction(new Model.FuncType([Model.ValType.I32], []),
            (_, v) => instance!.GetFunction("count").Invoke(WasmValue.I32((int)v[0]))));
        instance = Wasm.Instantiate("""
            (module
              (import "env" "spin" (func $spin (param i32)))
              (func (export "count") (param $n i32)
                (loop $l local.get $n i32.const 1 i32.sub local.tee $n br_if $l))
              (func (export "outer") (call $spin (i32.const 10)) (call $spin (i32.const 10))))
            """, store, imports);
        instance.GetFunction("outer").Invoke();
        // outer: i32.const, call, i32.const, call = 4; each nested count(10) = 50.
        Assert.That(store.FuelConsumed, Is.EqualTo(4 + 2 * 50));
        store.FuelPerCall = 80;
        Assert.That(Assert.Throws<TrapException>(() => instance.GetFunction("outer").Invoke())!.Kind, Is.EqualTo(TrapKind.OutOfFuel));
    }

    [Test]
    public void HostFunctionsSeeTheFuelOfTheCallInProgress()
    {
        var store = new Store(new RuntimeOptions { FuelPerCall = 1000 });
        var seen = new List<(long Consumed, long? Remaining)>();
        var imports = new Imports().Define("env", "probe", HostFunction.Create(() =>
            seen.Add((store.CurrentCallFuelConsumed, store.CurrentCallFuelRemaining))));
        var instance = Wasm.Instantiate("""
            (module
              (import "env" "probe" (func $probe))
              (func (export "run")
                (call $probe)
                (drop (i32.add (i32.const 1) (i32.const 2)))
                (call $probe)))
            """, store, imports);
        instance.GetFunction("run").Invoke();
        Assert.Multiple(() =>
        {
            // The whole straight-line body (call, 4 instructions, call = 6) is charged when it starts.
            Assert.That(seen, Is.EqualTo(new[] { (6L, (long?)994L), (6L, (long?)994L) }));
            Assert.That(store.FuelConsumed, Is.EqualTo(6));
            Assert.That((store.CurrentCallFuelConsumed, store.CurrentCallFuelRemaining), Is.EqualTo((0L, (long?)null)), "idle store");
        });
        store.FuelPerCall = null;
        seen.Clear();
        instance.GetFunction("run").Invoke();
        Assert.That(seen[0].Remaining, Is.Null, "unmetered call");
    }

    [Test]
    public void HostFunctionsCanChangeTheBudgetOfTheCallInProgress()
    {
        var store = new Store(new RuntimeOptions { FuelPerCall = 100 });
        long? next = null;
        var imports = new Imports().Define("env", "meter", HostFunction.Create(() => store.SetCurrentCallFuelRemaining(next)));
        var instance = Wasm.Instantiate("""
            (module
              (import "env" "meter" (func $meter))
              (func $count (param $n i32)
                (loop $l local.get $n i32.const 1 i32.sub local.tee $n br_if $l))
              (func (export "run") (param $n i32)
                (call $meter)
                (call $count (local.get $n))))
            """, store, imports);
        var run = instance.GetFunction("run");

        // Unmetered from the host call on: 1,000 iterations (5,000 fuel) fit although the call had 100.
        run.Invoke(WasmValue.I32(1000));
        // run: call, local.get, call (3); count(1000): 5 per iteration.
        Assert.That(store.FuelConsumed, Is.EqualTo(3 + 5000), "consumed stays continuous across the change");

        // A budget of 0 stops the call at its next straight-line run.
        next = 0;
        Assert.That(Assert.Throws<TrapException>(() => run.Invoke(WasmValue.I32(1)))!.Kind, Is.EqualTo(TrapKind.OutOfFuel));

        // A bigger budget than the call started with.
        next = 6000;
        run.Invoke(WasmValue.I32(1000));
        Assert.That(store.FuelConsumed, Is.EqualTo(3 + 5000));
        Assert.Throws<InvalidOperationException>(() => store.SetCurrentCallFuelRemaining(5), "no call is running");
    }
}
