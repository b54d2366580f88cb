using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;
using Vats.Wasm.Tests.TestSupport;

namespace Vats.Wasm.Tests.Compiler;

/// <summary>What the compiler must do like the interpreter beyond plain results: deep recursion, limits, host re-entry and the fuel APIs.</summary>
public sealed class CompilerEngineTests
{
    private const string Recursive = """
        (module
          (func $f (export "f") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (call $f (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
        """;

    private static readonly ExecutionEngineKind[] Engines = [ExecutionEngineKind.Interpreter, ExecutionEngineKind.Compiler];

    /// <summary>
    /// Runs <paramref name="action"/> on a thread with a small stack (<paramref name="stackBytes"/>, 256 KiB by
    /// default): wasm depth must not depend on it.
    /// </summary>
    private static T OnSmallStack<T>(Func<T> action, int stackBytes = 256 * 1024)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = action(); }
            catch (Exception e) { error = e; }
        }, stackBytes);
        thread.Start();
        thread.Join();
        if (error is not null) throw error;
        return result;
    }

    [Test]
    public void AMillionFrameRecursionCompletesWhenTheLimitAllowsIt()
    {
        var store = new Store(new RuntimeOptions { Engine = ExecutionEngineKind.Compiler, MaxCallDepth = 1_100_000 });
        var f = Instance.Instantiate(store, Wat.Compile(Recursive)).GetFunction("f");
        var result = OnSmallStack(() => f.Invoke(WasmValue.I32(1_000_000))[0].AsI32());
        Assert.That(result, Is.EqualTo(1_000_000));
    }

    [Test]
    public void RunawayRecursionTrapsAtTheInterpretersFrameAndSlotLimits(
        [Values(50_000, 1_000_000)] int maxDepth, [Values(16 * 1024 * 1024, 5_000)] int maxSlots)
    {
        var outcomes = Engines.Select(engine =>
        {
            var store = new Store(new RuntimeOptions { Engine = engine, MaxCallDepth = maxDepth, MaxValueStackSlots = maxSlots });
            var f = Instance.Instantiate(store, Wat.Compile(Recursive)).GetFunction("f");
            var trap = OnSmallStack(() => Assert.Throws<TrapException>(() => f.Invoke(WasmValue.I32(2_000_000)))!);
            return $"{trap.Kind} {trap.FunctionIndex} {trap.InstructionOffset} fuel={store.FuelConsumed}";
        }).ToArray();
        Assert.That(outcomes[1], Is.EqualTo(outcomes[0]));
        Assert.That(outcomes[0], Does.StartWith("CallStackExhausted"));
    }

    /// <summary>
    /// Functions that are on no cycle of calls skip the stack check, except where the chain of unchecked frames below
    /// them would grow too long: a chain of 8,000 distinct functions, each keeping a dozen values across its call,
    /// below a recursion, is deeper than what the calling thread's stack has left below its limit, and must complete
    /// (continuing on stack segments) instead of overflowing the .NET stack.
    /// </summary>
    [Test]
    public void ALongChainOfNonRecursiveFunctionsCompletesWithoutOverflowingTheStack()
    {
        const int chain = 8_000;
        const int locals = 12;
        var wat = new System.Text.StringBuilder("(module\n");
        wat.Append("""
              (func $r (export "r") (param i32) (result i64)
                (if (result i64) (i32.eqz (local.get 0))
                  (then (call $c0 (i64.const 1)))
                  (else (i64.add (call $r (i32.sub (local.get 0) (i32.const 1))) (i64.const 1)))))

            """);
        for (var i = 0; i < chain; i++)
        {
            wat.Append($"  (func $c{i} (param i64) (result i64) (local{string.Concat(Enumerable.Repeat(" i64", locals))})\n");
            wat.Append($"    (local.set 1 (i64.xor (local.get 0) (i64.const {i})))\n");
            for (var k = 2; k <= locals; k++) wat.Append($"    (local.set {k} (i64.mul (local.get {k - 1}) (i64.const {k + 1})))\n");
            // Every local is live across the call, so each frame holds more than saved registers.
            var sum = i + 1 < chain ? $"(call $c{i + 1} (local.get {locals}))" : "(local.get 0)";
            for (var k = 1; k <= locals; k++) sum = $"(i64.add {sum} (local.get {k}))";
            wat.Append($"    {sum})\n");
        }
        wat.Append(')');
        var binary = Wat.Compile(wat.ToString());
        var results = Engines.Select(engine =>
        {
            var store = new Store(new RuntimeOptions { Engine = engine });
            var r = Instance.Instantiate(store, binary).GetFunction("r");
            // 1 MiB: the recursion passes its checks (more than the 512 KiB margin is left), the chain needs more.
            return OnSmallStack(() => $"{r.Invoke(WasmValue.I32(100))[0].AsI64()} fuel={store.FuelConsumed}", 1024 * 1024);
        }).ToArray();
        Assert.That(results[1], Is.EqualTo(results[0]));
    }

    /// <summary>
    /// A host function that reads and moves the fuel meter and re-enters wasm (which calls the host again, down to a
    /// depth): every value it sees, the results and the totals are the same under both engines, with and without a budget.
    /// </summary>
    [Test]
    public void ReentrantHostCallsSeeTheSameFuel([Values(null, 5_000L, 700L)] long? budget)
    {
        const string wat = """
            (module
              (import "host" "h" (func $h (param i32) (result i32)))
              (func $g (export "g") (param i32) (result i32)
                (local i32)
                (loop $l
                  (local.set 1 (i32.add (local.get 1) (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1))))
                  (br_if $l (i32.lt_u (local.get 1) (i32.const 100))))
                (i32.add (local.get 1) (call $h (local.get 0)))))
            """;
        var traces = Engines.Select(engine =>
        {
            var log = new List<string>();
            var store = new Store(new RuntimeOptions { Engine = engine, FuelPerCall = budget });
            Function? g = null;
            var host = new HostFunction(new FuncType([ValType.I32], [ValType.I32]), (context, values) =>
            {
                var s = context.Store;
                log.Add($"h({values[0]}) consumed={s.CurrentCallFuelConsumed} remaining={s.CurrentCallFuelRemaining}");
                if (values[0] == 2 && s.CurrentCallFuelRemaining is { } left) s.SetCurrentCallFuelRemaining(left + 50);
                if (values[0] > 0)
                {
                    Span<ulong> r = stackalloc ulong[1];
                    try
                    {
                        g!.Invoke([values[0] - 1], r);
                        values[0] = r[0];
                    }
                    catch (TrapException e)
                    {
                        log.Add($"nested trap {e.Kind} {e.FunctionIndex} {e.InstructionOffset}");
                        values[0] = 7;
                    }
                }
            });
            var instance = Instance.Instantiate(store, Wat.Compile(wat), new Imports().Define("host", "h", host));
            g = instance.GetFunction("g");
            try
            {
                log.Add($"g = {g.Invoke(WasmValue.I32(4))[0].AsI32()}");
            }
            catch (TrapException e)
            {
                log.Add($"trap {e.Kind} {e.FunctionIndex} {e.InstructionOffset}");
            }
            log.Add($"consumed {store.FuelConsumed}");
            return string.Join("\n", log);
        }).ToArray();
        Assert.That(traces[1], Is.EqualTo(traces[0]));
    }

    /// <summary>
    /// Bounds checks the compiler leaves out because an earlier check proved the same address value in bounds: a wider
    /// access, a check on one arm only, a changed local, a loop and a grown memory must still trap (or not) exactly
    /// where the interpreter does, at the edge of a memory of one page (every address takes the exact check) and of
    /// two pages.
    /// </summary>
    [Test]
    public void AccessesWhoseChecksAreProvenEarlierTrapLikeTheInterpreter([Values(1, 2)] int pages)
    {
        var wat = $$"""
            (module
              (memory {{pages}})
              (func (export "wider") (param i32) (result i32)
                (drop (i32.load8_u (local.get 0)))
                (i32.load offset=4 (local.get 0)))
              (func (export "narrower") (param i32) (result i32)
                (drop (i32.load offset=4 (local.get 0)))
                (i32.add (i32.load8_u offset=3 (local.get 0)) (i32.load16_u offset=1 (local.get 0))))
              (func (export "store") (param i32) (result i32)
                (i32.store offset=2 (local.get 0) (i32.const 7))
                (i32.store16 (local.get 0) (local.get 0))
                (i32.store offset=3 (local.get 0) (local.get 0))
                (i32.load (local.get 0)))
              (func (export "one_arm") (param i32) (result i32)
                (if (i32.and (local.get 0) (i32.const 1))
                  (then (drop (i64.load (local.get 0)))))
                (i32.wrap_i64 (i64.load offset=1 (local.get 0))))
              (func (export "both_arms") (param i32) (result i32)
                (if (i32.and (local.get 0) (i32.const 1))
                  (then (drop (i32.load offset=4 (local.get 0))))
                  (else (drop (i32.load offset=2 (local.get 0)))))
                (i32.add (i32.load offset=2 (local.get 0)) (i32.load offset=3 (local.get 0))))
              (func (export "copied") (param i32) (result i32) (local i32)
                (drop (i32.load8_u (local.get 0)))
                (local.set 1 (local.get 0))
                (drop (i32.load8_u (local.get 1)))
                (local.set 0 (i32.add (local.get 0) (i32.const 4)))
                (i32.add (i32.load8_u (local.get 1)) (i32.load8_u (local.get 0))))
              (func (export "looped") (param i32) (result i32) (local i32)
                (local.set 1 (i32.const 3))
                (loop $l
                  (drop (i32.load8_u (local.get 0)))
                  (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                  (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
                (i32.load8_u (local.get 0)))
              (func (export "grown") (param i32) (result i32)
                (drop (i32.load offset=8 (local.get 0)))
                (drop (memory.grow (i32.const 1)))
                (i32.add (i32.load offset=4 (local.get 0)) (i32.load offset=16 (local.get 0)))))
            """;
        string[] names = ["wider", "narrower", "store", "one_arm", "both_arms", "copied", "looped", "grown"];
        var end = pages * 65536;
        var module = Wat.Compile(wat);
        var outcomes = Engines.Select(engine =>
        {
            var lines = new List<string>();
            foreach (var name in names)
            {
                for (var address = end - 24; address <= end + 1; address++)
                {
                    var store = new Store(new RuntimeOptions { Engine = engine });
                    var f = Instance.Instantiate(store, module).GetFunction(name);
                    try
                    {
                        lines.Add($"{name}({address}) = {f.Invoke(WasmValue.I32(address))[0].AsI32()} fuel={store.FuelConsumed}");
                    }
                    catch (TrapException e)
                    {
                        lines.Add($"{name}({address}) trap {e.Kind} {e.FunctionIndex} {e.InstructionOffset} fuel={store.FuelConsumed}");
                    }
                }
            }
            return string.Join("\n", lines);
        }).ToArray();
        Assert.That(outcomes[1], Is.EqualTo(outcomes[0]));
        Assert.That(outcomes[0], Does.Contain($"wider({end - 5}) trap MemoryOutOfBounds"));
        Assert.That(outcomes[0], Does.Contain($"one_arm({end - 8}) trap MemoryOutOfBounds"));
        Assert.That(outcomes[0], Does.Contain($"grown({end - 17}) = 0"));
    }

    [Test]
    public void HostExceptionsPassThroughCompiledFramesUnchanged()
    {
        const string wat = """
            (module
              (import "host" "boom" (func $boom))
              (func (export "f") (call $boom)))
            """;
        var thrown = new InvalidTimeZoneException("mine");
        var store = new Store(new RuntimeOptions { Engine = ExecutionEngineKind.Compiler });
        var instance = Instance.Instantiate(store, Wat.Compile(wat), new Imports().Define("host", "boom", HostFunction.Create(() => throw thrown)));
        var caught = Assert.Throws<InvalidTimeZoneException>(() => instance.GetFunction("f").Invoke());
        Assert.That(caught, Is.SameAs(thrown));
    }
}
