using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;
using Vats.Wasm.Snapshots;
using Vats.Wasm.Tests.TestSupport;

namespace Vats.Wasm.Tests.Snapshots;

public sealed class InstanceSnapshotTests
{
    // Every call mutates memory, a global and a table; call 5 grows memory, call 6 drops a data segment.
    private const string StatefulModule = """
        (module
          (type $t (func (result i32)))
          (memory (export "mem") 1 10)
          (global $g (mut i64) (i64.const 7))
          (table $tab 4 funcref)
          (elem declare func $a $b)
          (data $d "hello")
          (func $a (result i32) (i32.const 11))
          (func $b (result i32) (i32.const 22))
          (func (export "step") (param $n i32) (result i64)
            (global.set $g (i64.add (i64.mul (global.get $g) (i64.const 31)) (i64.extend_i32_u (local.get $n))))
            (i64.store (i32.mul (local.get $n) (i32.const 8200)) (global.get $g))
            (table.set $tab (i32.rem_u (local.get $n) (i32.const 4))
              (select (result funcref) (ref.func $a) (ref.func $b) (i32.and (local.get $n) (i32.const 1))))
            (if (i32.eq (local.get $n) (i32.const 5)) (then (drop (memory.grow (i32.const 2)))))
            (if (i32.eq (local.get $n) (i32.const 6)) (then (data.drop $d)))
            (global.get $g))
          (func (export "probe") (param $i i32) (result i32)
            (call_indirect (type $t) (local.get $i)))
          (func (export "load") (param $n i32) (result i64)
            (i64.load (i32.mul (local.get $n) (i32.const 8200))))
          (func (export "init") (result i32)
            (memory.init $d (i32.const 0) (i32.const 0) (i32.const 5))
            (i32.const 1)))
        """;

    private static CompiledModule? _module;

    private static CompiledModule Module => _module ??= Wat.Compile(StatefulModule);

    private static Instance NewInstance() => Instance.Instantiate(new Store(), Module);

    private static List<long> RunSteps(Instance instance, int from, int to)
    {
        var outputs = new List<long>();
        var step = instance.GetFunction("step");
        var load = instance.GetFunction("load");
        var probe = instance.GetFunction("probe");
        for (var n = from; n < to; n++)
        {
            outputs.Add(step.Invoke(WasmValue.I32(n))[0].AsI64());
            outputs.Add(load.Invoke(WasmValue.I32(n))[0].AsI64());
            outputs.Add(probe.Invoke(WasmValue.I32(n % 4))[0].AsI32());
        }
        return outputs;
    }

    [Test]
    public void RestoreThenContinueEqualsNeverStopped()
    {
        var uninterrupted = NewInstance();
        var expected = RunSteps(uninterrupted, 0, 20);

        var first = NewInstance();
        var actual = RunSteps(first, 0, 8);
        var snapshot = InstanceSnapshot.Capture(first);

        var second = NewInstance();
        InstanceSnapshot.Restore(second, snapshot);
        actual.AddRange(RunSteps(second, 8, 20));

        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(second.Memory!.Pages, Is.EqualTo(3u));
            Assert.That(InstanceSnapshot.Capture(second), Is.EqualTo(InstanceSnapshot.Capture(uninterrupted)));
        });
    }

    [Test]
    public void RestoringASmallerMemoryIntoAGrownInstanceLeavesZerosToGrowInto()
    {
        // Snapshot at 1 page; the target has grown to 3 and has bytes past page 1. A restore reuses the target's array
        // when the snapshot fits in it, so the bytes past the restored size must be cleared for the next growth.
        var small = NewInstance();
        small.GetFunction("step").Invoke(WasmValue.I32(1));
        var snapshot = InstanceSnapshot.Capture(small);

        var target = NewInstance();
        RunSteps(target, 0, 6);
        Assert.That(target.Memory!.Pages, Is.EqualTo(3u));
        target.Memory.Span[150_000] = 0x5A;
        InstanceSnapshot.Restore(target, snapshot);
        Assert.That(target.Memory!.Pages, Is.EqualTo(1u));
        Assert.That(InstanceSnapshot.Capture(target), Is.EqualTo(snapshot));
        Assert.That(target.Memory.Grow(2), Is.EqualTo(1));
        Assert.That(target.Memory.Span[65536..].ContainsAnyExcept((byte)0), Is.False, "grown pages are zero");
    }

    [Test]
    public void DroppedSegmentStaysDroppedAfterRestore()
    {
        var first = NewInstance();
        RunSteps(first, 0, 7);
        var second = NewInstance();
        InstanceSnapshot.Restore(second, InstanceSnapshot.Capture(first));

        var trap = Assert.Throws<TrapException>(() => second.GetFunction("init").Invoke());
        Assert.That(trap!.Kind, Is.EqualTo(TrapKind.MemoryOutOfBounds));
        Assert.That(NewInstance().GetFunction("init").Invoke()[0].AsI32(), Is.EqualTo(1));
    }

    [Test]
    public void EqualStatesGiveEqualBytes()
    {
        var a = NewInstance();
        var b = NewInstance();
        RunSteps(a, 0, 12);
        RunSteps(b, 0, 12);
        var snapshotA = InstanceSnapshot.Capture(a);
        Assert.Multiple(() =>
        {
            Assert.That(InstanceSnapshot.Capture(b), Is.EqualTo(snapshotA));
            Assert.That(InstanceSnapshot.Capture(a), Is.EqualTo(snapshotA), "capturing twice changes nothing");
        });
        RunSteps(b, 12, 13);
        Assert.That(InstanceSnapshot.Capture(b), Is.Not.EqualTo(snapshotA));
    }

    [Test]
    public void CorruptSnapshotIsRejectedAndInstanceUnchanged()
    {
        var source = NewInstance();
        RunSteps(source, 0, 9);
        var snapshot = InstanceSnapshot.Capture(source);

        var target = NewInstance();
        RunSteps(target, 0, 2);
        var before = InstanceSnapshot.Capture(target);

        var flipped = (byte[])snapshot.Clone();
        flipped[flipped.Length / 2] ^= 0x40;
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<SnapshotException>(() => InstanceSnapshot.Restore(target, flipped))!.Reason, Does.Contain("checksum"));
            Assert.Throws<SnapshotException>(() => InstanceSnapshot.Restore(target, snapshot.AsSpan(0, 40)));
            Assert.Throws<SnapshotException>(() => InstanceSnapshot.Restore(target, []));
        });
        Assert.That(InstanceSnapshot.Capture(target), Is.EqualTo(before));
    }

    [Test]
    public void SnapshotOfAnotherModuleIsRejected()
    {
        var other = Instance.Instantiate(new Store(), Wat.Compile("(module (memory 1))"));
        var e = Assert.Throws<SnapshotException>(() => InstanceSnapshot.Restore(NewInstance(), InstanceSnapshot.Capture(other)));
        Assert.That(e!.Reason, Does.Contain("different module"));
    }

    [Test]
    public void ZeroPagesAreNotStored()
    {
        var instance = NewInstance();
        var empty = InstanceSnapshot.Capture(instance);
        instance.Memory!.Grow(5);
        var grown = InstanceSnapshot.Capture(instance);
        Assert.That(grown.Length - empty.Length, Is.LessThan(16), "five zero pages must cost at most their bitmap bits");
    }
}
