using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.PublicApiTests;

/// <summary>The embedding API used the way engine/README.md shows it.</summary>
public sealed class EmbeddingTests
{
    private static Instance Instantiate(Store store, HostFunction twice) =>
        Instance.Instantiate(store, CompiledModule.Compile(ModuleBytes.Calculator), new Imports().Define("env", "twice", twice));

    [Test]
    public void CallsExportsWithTypedValues()
    {
        var instance = Instantiate(new Store(), HostFunction.Create<int, int>(x => x * 2));
        Assert.Multiple(() =>
        {
            Assert.That(instance.GetFunction("add").Invoke(WasmValue.I32(40), WasmValue.I32(2))[0].AsI32(), Is.EqualTo(42));
            Assert.That(instance.GetFunction("add").Invoke(WasmValue.I32(int.MaxValue), WasmValue.I32(1))[0].AsI32(), Is.EqualTo(int.MinValue));
            Assert.That(instance.GetFunction("quad").Invoke(WasmValue.I32(5))[0].AsI32(), Is.EqualTo(20));
        });
    }

    [Test]
    public void RawInvokeNeedsNoBoxing()
    {
        var instance = Instantiate(new Store(), HostFunction.Create<int, int>(x => x * 2));
        Span<ulong> results = stackalloc ulong[1];
        instance.GetFunction("add").Invoke([7UL, 8UL], results);
        Assert.That(results[0], Is.EqualTo(15UL));
    }

    [Test]
    public void WrongArgumentsAreRejectedBeforeRunning()
    {
        var add = Instantiate(new Store(), HostFunction.Create<int, int>(x => x)).GetFunction("add");
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => add.Invoke(WasmValue.I32(1)));
            Assert.Throws<ArgumentException>(() => add.Invoke(WasmValue.I32(1), WasmValue.I64(2)));
        });
    }

    [Test]
    public void HostFunctionSeesCallerMemoryAndCanReenter()
    {
        var store = new Store();
        Instance? instance = null;
        var seenMemoryPages = 0u;
        var twice = new HostFunction(new FuncType([ValType.I32], [ValType.I32]), (context, values) =>
        {
            seenMemoryPages = context.Memory!.Pages;
            // Re-enter the same instance from inside the import.
            Span<ulong> sum = stackalloc ulong[1];
            instance!.GetFunction("add").Invoke([values[0], values[0]], sum);
            values[0] = sum[0];
        });
        instance = Instantiate(store, twice);
        Assert.Multiple(() =>
        {
            Assert.That(instance.GetFunction("quad").Invoke(WasmValue.I32(3))[0].AsI32(), Is.EqualTo(12));
            Assert.That(seenMemoryPages, Is.EqualTo(1u));
        });
    }

    [Test]
    public void HostExceptionReachesTheHostAndTheStoreStaysUsable()
    {
        var instance = Instantiate(new Store(), HostFunction.Create<int, int>(x => x > 100 ? throw new InvalidOperationException("too big") : x * 2));
        Assert.That(() => instance.GetFunction("quad").Invoke(WasmValue.I32(1000)), Throws.InvalidOperationException.With.Message.EqualTo("too big"));
        Assert.That(instance.GetFunction("quad").Invoke(WasmValue.I32(1))[0].AsI32(), Is.EqualTo(4));
    }

    [Test]
    public void MemoryIsReadableWritableAndGrowableFromTheHost()
    {
        var memory = Instantiate(new Store(), HostFunction.Create<int, int>(x => x)).GetMemory("mem");
        memory.WriteInt64(65528, -2);
        Assert.Multiple(() =>
        {
            Assert.That(memory.ReadInt64(65528), Is.EqualTo(-2L));
            Assert.That(memory.ReadUInt32(65532), Is.EqualTo(uint.MaxValue));
            Assert.That(Assert.Throws<TrapException>(() => memory.ReadInt64(65529))!.Kind, Is.EqualTo(TrapKind.MemoryOutOfBounds));
            Assert.That(memory.Grow(2), Is.EqualTo(1));
            Assert.That(memory.Pages, Is.EqualTo(3u));
            Assert.That(memory.ReadInt64(65528), Is.EqualTo(-2L), "growth keeps contents");
            Assert.That(memory.Grow(2), Is.EqualTo(-1), "declared maximum is 4 pages");
        });
    }

    [Test]
    public void GlobalsEnforceMutabilityAndType()
    {
        var counter = Instantiate(new Store(), HostFunction.Create<int, int>(x => x)).GetGlobal("counter");
        counter.Value = WasmValue.I32(9);
        Assert.Multiple(() =>
        {
            Assert.That(counter.Value.AsI32(), Is.EqualTo(9));
            Assert.Throws<ArgumentException>(() => counter.Value = WasmValue.F32(1));
            Assert.Throws<InvalidOperationException>(() => new Global(new GlobalType(ValType.I32, false), WasmValue.I32(1)).Value = WasmValue.I32(2));
        });
    }

    [Test]
    public void TrapsAreTypedWithLocation()
    {
        var instance = Instantiate(new Store(), HostFunction.Create<int, int>(x => x));
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("div").Invoke(WasmValue.I32(1), WasmValue.I32(0)))!;
        Assert.Multiple(() =>
        {
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.IntegerDivideByZero));
            Assert.That(trap.FunctionIndex, Is.EqualTo(3));
            // The last 0x6D byte of the module is the i32.div_s opcode (earlier ones are letters of names).
            Assert.That(trap.InstructionOffset, Is.EqualTo(Array.LastIndexOf(ModuleBytes.Calculator, (byte)0x6D)));
        });
        var overflow = Assert.Throws<TrapException>(() => instance.GetFunction("div").Invoke(WasmValue.I32(int.MinValue), WasmValue.I32(-1)))!;
        Assert.That(overflow.Kind, Is.EqualTo(TrapKind.IntegerOverflow));
    }

    [Test]
    public void FuelStopsAnInfiniteLoopAtTheSamePointEveryRun()
    {
        long Run()
        {
            var store = new Store(new RuntimeOptions { FuelPerCall = 100_000 });
            var instance = Instantiate(store, HostFunction.Create<int, int>(x => x));
            var trap = Assert.Throws<TrapException>(() => instance.GetFunction("spin").Invoke())!;
            Assert.That(trap.Kind, Is.EqualTo(TrapKind.OutOfFuel));
            Assert.That(instance.GetFunction("add").Invoke(WasmValue.I32(1), WasmValue.I32(1))[0].AsI32(), Is.EqualTo(2), "a new call gets a new budget");
            return store.FuelConsumed;
        }
        var first = Run();
        Assert.That(first, Is.GreaterThan(0).And.LessThanOrEqualTo(100_000));
        Assert.That(Run(), Is.EqualTo(first));
    }

    [Test]
    public void LinkErrorsNameTheImport()
    {
        var module = CompiledModule.Compile(ModuleBytes.Calculator);
        var missing = Assert.Throws<LinkException>(() => Instance.Instantiate(new Store(), module))!;
        var wrongType = Assert.Throws<LinkException>(() => Instance.Instantiate(new Store(), module,
            new Imports().Define("env", "twice", HostFunction.Create<long, long>(x => x))))!;
        Assert.Multiple(() =>
        {
            Assert.That((missing.ImportModule, missing.ImportName), Is.EqualTo(("env", "twice")));
            Assert.That(wrongType.Reason, Does.Contain("incompatible import type"));
        });
    }

    [Test]
    public void MalformedBytesAreTypedWithOffset()
    {
        var truncated = ModuleBytes.Calculator.AsSpan(0, 30).ToArray();
        var e = Assert.Throws<MalformedModuleException>(() => CompiledModule.Compile(truncated))!;
        Assert.That(e.Offset, Is.InRange(8, 30));
        Assert.Throws<MalformedModuleException>(() => CompiledModule.Compile([0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00]));
    }

    [Test]
    public void AllErrorsShareOneBaseType()
    {
        Assert.Multiple(() =>
        {
            Assert.That(typeof(MalformedModuleException).IsSubclassOf(typeof(WasmException)));
            Assert.That(typeof(InvalidModuleException).IsSubclassOf(typeof(WasmException)));
            Assert.That(typeof(LinkException).IsSubclassOf(typeof(WasmException)));
            Assert.That(typeof(TrapException).IsSubclassOf(typeof(WasmException)));
            Assert.That(typeof(SnapshotException).IsSubclassOf(typeof(WasmException)));
        });
    }
}
