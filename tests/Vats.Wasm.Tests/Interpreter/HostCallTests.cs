using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.Interpreter;

public sealed class HostCallTests
{
    [Test]
    public void HostFunctionsMayReenter()
    {
        // fact(n) = n * host(n - 1), where host calls back into fact: the wasm and host frames interleave.
        Instance? instance = null;
        var hostCalls = 0;
        var imports = new Imports();
        imports.Define("env", "host", HostFunction.Create<int, int>(n =>
        {
            hostCalls++;
            return instance!.CallI32("fact", n);
        }));
        instance = Wasm.Instantiate("""
            (module
              (import "env" "host" (func $host (param i32) (result i32)))
              (memory 1)
              (func (export "fact") (param i32) (result i32)
                (local i32)
                (local.set 1 (i32.const 123))
                (if (result i32) (i32.le_s (local.get 0) (i32.const 1))
                  (then (i32.const 1))
                  (else (i32.mul (local.get 0) (call $host (i32.sub (local.get 0) (i32.const 1))))))
                (i32.add (local.get 1))
                (i32.sub (i32.const 123))))
            """, imports: imports);
        Assert.That(instance.CallI32("fact", 10), Is.EqualTo(3628800));
        Assert.That(hostCalls, Is.EqualTo(9));
    }

    [Test]
    public void ReentrancyCountsTowardsTheDepthLimit()
    {
        Instance? instance = null;
        var imports = new Imports();
        imports.Define("env", "host", HostFunction.Create<int, int>(n => instance!.CallI32("down", n)));
        instance = Wasm.Instantiate("""
            (module
              (import "env" "host" (func $host (param i32) (result i32)))
              (func (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $host (i32.sub (local.get 0) (i32.const 1))))))))
            """, new Store(new RuntimeOptions { MaxCallDepth = 100 }), imports);
        Assert.That(instance.CallI32("down", 50), Is.EqualTo(50));
        Assert.That(Assert.Throws<TrapException>(() => instance.CallI32("down", 200))!.Kind, Is.EqualTo(TrapKind.CallStackExhausted));
        Assert.That(instance.CallI32("down", 50), Is.EqualTo(50));
    }

    private sealed class HostFailure : Exception
    {
        public HostFailure() : base("host failed") { }
    }

    [Test]
    public void HostExceptionsPropagateUnchangedAndTheStoreStaysUsable()
    {
        var store = new Store();
        Instance? instance = null;
        var failAt = 3;
        var imports = new Imports();
        imports.Define("env", "host", HostFunction.Create<int, int>(n =>
        {
            if (n == failAt) throw new HostFailure();
            return instance!.CallI32("down", n);
        }));
        instance = Wasm.Instantiate("""
            (module
              (import "env" "host" (func $host (param i32) (result i32)))
              (global $g (mut i32) (i32.const 0))
              (func (export "down") (param i32) (result i32)
                (global.set $g (i32.add (global.get $g) (i32.const 1)))
                (if (result i32) (i32.eqz (local.get 0))
                  (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $host (i32.sub (local.get 0) (i32.const 1)))))))
              (func (export "calls") (result i32) (global.get $g)))
            """, store, imports);
        Assert.Throws<HostFailure>(() => instance.CallI32("down", 10));
        Assert.That(instance.CallI32("calls"), Is.EqualTo(7), "down ran for 10, 9, ..., 4 before the host failed at 3");
        failAt = -1;
        Assert.That(instance.CallI32("down", 20), Is.EqualTo(20));
        Assert.That(store.FuelConsumed, Is.GreaterThan(0));
    }

    [Test]
    public void HostSeesCallerMemoryAndMayGrowIt()
    {
        var imports = new Imports();
        imports.Define("env", "grow_and_write", new HostFunction(new FuncType([], []), (ctx, _) =>
        {
            var memory = ctx.Memory!;
            memory.Grow(1);
            memory.WriteInt32(65536 + 4, 77);
        }));
        var instance = Wasm.Instantiate("""
            (module
              (import "env" "grow_and_write" (func $g))
              (memory 1)
              (func (export "f") (result i32) (call $g) (i32.load (i32.const 65540))))
            """, imports: imports);
        Assert.That(instance.CallI32("f"), Is.EqualTo(77));
    }
}
