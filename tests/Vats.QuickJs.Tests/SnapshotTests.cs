using Vats.QuickJs.Tests.Support;
using Vats.Wasm.Errors;

namespace Vats.QuickJs.Tests;

public sealed class SnapshotTests
{
    private const string Setup = """
        var counter = 0;
        var state = { items: [], map: new Map() };
        function step(n) {
          counter += n;
          state.items.push({ n, at: Date.now(), r: Math.random() });
          state.map.set('k' + n, [n, n * n]);
          Promise.resolve(n).then(v => state.items.push('job' + v));
          setImmediate(() => state.items.push('task' + n));
          return counter;
        }
        step(1);
        """;

    [Test]
    public void RestoreThenContinueEqualsNeverStopped()
    {
        var hostFunctions = new Dictionary<string, HostFunctionCallback> { ["hostTwice"] = call => HostValue.Number(call.GetNumber(0) * 2) };
        var options = new EngineOptions { HostFunctions = hostFunctions };

        using var straight = QuickJsEngine.Create(options);
        straight.Evaluate(Setup);
        using var stopped = QuickJsEngine.Create(options);
        stopped.Evaluate(Setup);

        // Snapshot with a promise job and a macrotask still queued.
        var snapshot = stopped.Snapshot();
        using var restored = QuickJsEngine.Restore(snapshot, options);
        Assert.That(restored.PendingMacrotasks, Is.EqualTo(1));

        foreach (var engine in new[] { straight, restored })
        {
            engine.RunToQuiescence();
            engine.ClockMs += 1000;
            engine.Evaluate("step(hostTwice(2)); step(3)");
            engine.RunToQuiescence();
            engine.CollectGarbage();
        }
        const string probe = "JSON.stringify([counter, state.items, [...state.map], Math.random(), Date.now()])";
        Assert.That(restored.Evaluate(probe).Json, Is.EqualTo(straight.Evaluate(probe).Json));
        Assert.That(restored.Snapshot(), Is.EqualTo(straight.Snapshot()), "the two engines' whole states are identical");
    }

    [Test]
    public void AStateWithoutMemoryAndTheMemoryRestoreTheSameEngine()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate(Setup);
        var state = engine.SnapshotWithoutMemory();
        var memory = engine.Memory.ToArray();
        Assert.That(state.Length, Is.LessThan(memory.Length / 100), "the state without memory is small");

        using var restored = QuickJsEngine.Restore(state, memory);
        Assert.That(restored.Snapshot(), Is.EqualTo(engine.Snapshot()), "the same whole state");
        foreach (var e in new[] { engine, restored })
        {
            e.RunToQuiescence();
            e.Evaluate("step(7)");
        }
        Assert.That(restored.Snapshot(), Is.EqualTo(engine.Snapshot()), "and the same after running on");

        // The two forms are not interchangeable, and the memory must be the recorded size.
        Assert.That(() => QuickJsEngine.Restore(state), Throws.InstanceOf<SnapshotException>().With.Message.Contains("without its memory"));
        Assert.That(() => QuickJsEngine.Restore(engine.Snapshot(), memory), Throws.InstanceOf<SnapshotException>().With.Message.Contains("whole engine snapshot"));
        Assert.That(() => QuickJsEngine.Restore(state, memory.AsSpan(0, memory.Length - 65536)), Throws.InstanceOf<SnapshotException>().With.Message.Contains("was given"));
    }

    [Test]
    public void ARestoreIntoAnInstanceMadeAheadGivesTheSameEngine()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions { MemoryLimitBytes = 64 << 20 });
        engine.Evaluate(Setup);
        var state = engine.SnapshotWithoutMemory();
        var memory = engine.Memory.ToArray();
        var options = new EngineOptions { MemoryLimitBytes = 64 << 20 };

        // The memory written straight into the target's own (no copy), and handed over as an array (copied in).
        using var target = RestoreTarget.Prepare(options);
        var inPlace = target.MemoryToFill(memory.Length);
        Assert.That(inPlace.Length, Is.EqualTo(memory.Length), "a fresh instance has the booted engine's memory size");
        memory.CopyTo(inPlace);
        using var restored = QuickJsEngine.Restore(state, inPlace, target);
        using var copied = QuickJsEngine.Restore(state, memory, RestoreTarget.Prepare(options));
        using var fresh = QuickJsEngine.Restore(state, memory, options, memoryLimitFromOptions: true);
        Assert.Multiple(() =>
        {
            Assert.That(target.IsAvailable, Is.False, "a target serves one restore");
            Assert.That(restored.Snapshot(), Is.EqualTo(fresh.Snapshot()), "in place: the same whole state as a new instance");
            Assert.That(copied.Snapshot(), Is.EqualTo(fresh.Snapshot()), "copied in: the same");
            Assert.That(restored.ClockMs, Is.EqualTo(fresh.ClockMs));
            Assert.That(restored.MeterLimit, Is.EqualTo(fresh.MeterLimit));
        });
        foreach (var e in new[] { restored, copied, fresh })
        {
            e.RunToQuiescence();
            e.Evaluate("step(7)");
        }
        Assert.That(restored.Snapshot(), Is.EqualTo(fresh.Snapshot()), "and the same after running on");
        Assert.That(copied.Snapshot(), Is.EqualTo(fresh.Snapshot()));
        Assert.That(() => QuickJsEngine.Restore(state, memory, target), Throws.InstanceOf<ObjectDisposedException>(), "used up");
        Assert.That(target.MemoryToFill(memory.Length).IsEmpty, Is.True);
    }

    [Test]
    public void EqualRunsGiveEqualSnapshotBytes()
    {
        byte[] Run()
        {
            using var engine = QuickJsEngine.Create();
            engine.Evaluate(Setup);
            engine.RunToQuiescence();
            engine.Evaluate("step(5)");
            return engine.Snapshot();
        }
        var first = Run();
        var second = Run();
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void TwoSeparateProcessesWriteByteIdenticalSnapshots()
    {
        var dir = Directory.CreateTempSubdirectory("vats-qjs-snap-");
        try
        {
            var script = Path.Combine(dir.FullName, "script.js");
            File.WriteAllText(script, Setup + "\nstep(2); gc(); [counter, state.items.length]");
            var first = Path.Combine(dir.FullName, "a.snap");
            var second = Path.Combine(dir.FullName, "b.snap");
            Assert.That(CliProcess.Succeed("eval", script, "--snapshot-out", first), Is.EqualTo("[3,2]\n"));
            Assert.That(CliProcess.Succeed("eval", script, "--snapshot-out", second), Is.EqualTo("[3,2]\n"));
            var a = File.ReadAllBytes(first);
            var b = File.ReadAllBytes(second);
            Assert.That(a, Has.Length.GreaterThan(1000));
            Assert.That(b, Is.EqualTo(a));

            // A third process continues from the snapshot.
            var next = Path.Combine(dir.FullName, "next.js");
            File.WriteAllText(next, "step(10); [counter, state.items.length]");
            Assert.That(CliProcess.Succeed("eval", next, "--snapshot-in", first), Is.EqualTo("[13,7]\n"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void ACorruptSnapshotIsRejected()
    {
        using var engine = QuickJsEngine.Create();
        var snapshot = engine.Snapshot();
        snapshot[snapshot.Length / 2] ^= 1;
        Assert.Throws<SnapshotException>(() => QuickJsEngine.Restore(snapshot));
        Assert.Throws<SnapshotException>(() => QuickJsEngine.Restore(new byte[10]));
    }

    [Test]
    public void RestoreNeedsTheHostFunctionsTheSnapshotRefersTo()
    {
        var options = new EngineOptions { HostFunctions = new Dictionary<string, HostFunctionCallback> { ["custom"] = _ => HostValue.Undefined } };
        using var engine = QuickJsEngine.Create(options);
        var snapshot = engine.Snapshot();
        var error = Assert.Throws<ArgumentException>(() => QuickJsEngine.Restore(snapshot));
        Assert.That(error!.Message, Does.Contain("custom"));
    }
}
