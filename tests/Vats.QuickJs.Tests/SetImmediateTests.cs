using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Vats.QuickJs.Tests;

/// <summary>setImmediate as xsnap's: a timer object back, the third argument to the callback, FIFO after promise jobs, kept in snapshots.</summary>
public sealed class SetImmediateTests
{
    private const string Record = "function () { 'use strict'; calls.push([this === undefined, arguments.length, arguments[0]]) }";

    [Test]
    public void ReturnsAFreshEmptyNullPrototypeTimerObject()
    {
        using var engine = QuickJsEngine.Create();
        Assert.That(engine.Evaluate("""
            const a = setImmediate(() => {}), b = setImmediate(() => {});
            [typeof a, Object.getPrototypeOf(a) === null, a !== b, Reflect.ownKeys(a).length, Object.isExtensible(a),
             setImmediate.length, setImmediate.name, typeof clearImmediate, typeof setTimeout]
            """).Json, Is.EqualTo("""["object",true,true,0,true,1,"setImmediate","undefined","undefined"]"""));
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
    }

    [Test]
    public void TheCallbackGetsOnlyTheThirdArgumentAndAnUndefinedThis()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate($"""
            var calls = [];
            setImmediate({Record});
            setImmediate({Record}, 'second');
            setImmediate({Record}, 'second', 'third', 'fourth');
            """).ValueOrThrow();
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.That(engine.Evaluate("calls").Json, Is.EqualTo("""[[true,1,null],[true,1,null],[true,1,"third"]]"""));
    }

    [Test]
    public void ANonFunctionIsAcceptedAndThrowsWhenItsTurnComes()
    {
        using var engine = QuickJsEngine.Create();
        Assert.That(engine.Evaluate("typeof setImmediate(42)").Json, Is.EqualTo("\"object\""));
        var outcome = engine.RunToQuiescence();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Error?.Name, Is.EqualTo("TypeError"));
            Assert.That(engine.PendingMacrotasks, Is.Zero);
        });
    }

    [Test]
    public void CallbacksRunFirstInFirstOutEachAfterAllPendingPromiseJobs()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("""
            var log = [];
            setImmediate(() => { log.push('a'); setImmediate(() => log.push('c')); Promise.resolve().then(() => log.push('a-job')).then(() => log.push('a-job2')) });
            setImmediate(() => log.push('b'));
            Promise.resolve().then(() => log.push('job'));
            log.push('sync');
            """).ValueOrThrow();
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.That(engine.Evaluate("log.join()").Json, Is.EqualTo("\"sync,job,a,a-job,a-job2,b,c\""));
    }

    [Test]
    public void TheQueueKeepsTheTimerObjectAliveUntilItsCallbackHasRun()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("var seen = []; var weak = new WeakRef(setImmediate(() => seen.push(typeof weak.deref())))").ValueOrThrow();
        engine.CollectGarbage();
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(engine.Evaluate("seen").Json, Is.EqualTo("""["object"]"""));
            Assert.That(engine.Evaluate("gc(); typeof weak.deref()").Json, Is.EqualTo("\"undefined\""), "released once run");
        });
    }

    [Test]
    public void QueuedCallbacksArgumentsAndTimerObjectsSurviveSnapshotRestore()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("""
            var log = [];
            var h1 = setImmediate((x) => log.push(['t1', x, h1 === saved]), 0, { n: 1 });
            var saved = h1;
            var weak = new WeakRef(setImmediate(() => log.push(['t2', typeof weak.deref()])));
            Promise.resolve().then(() => log.push(['job']));
            """).ValueOrThrow();
        using var restored = QuickJsEngine.Restore(engine.Snapshot());
        Assert.That(restored.PendingMacrotasks, Is.EqualTo(2));
        foreach (var e in new[] { engine, restored })
        {
            e.CollectGarbage();
            Assert.That(e.RunToQuiescence().IsValue, Is.True);
        }
        const string expected = """[["job"],["t1",{"n":1},true],["t2","object"]]""";
        Assert.Multiple(() =>
        {
            Assert.That(engine.Evaluate("log").Json, Is.EqualTo(expected));
            Assert.That(restored.Evaluate("log").Json, Is.EqualTo(expected));
            Assert.That(restored.Snapshot(), Is.EqualTo(engine.Snapshot()));
        });
    }

    [Test]
    public void AVersion1SnapshotWithAnEmptyQueueStillRestores()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("var kept = 41").ValueOrThrow();
        var current = engine.Snapshot();
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(current.AsSpan(8)), Is.EqualTo(3u), "current format version");
        // Version 1 had no helper count and only the first five helpers (at byte 53), and with no queued macrotask
        // it differs from version 3 in nothing else.
        const int helpersAt = 53;
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(current.AsSpan(helpersAt)), Is.EqualTo(7u), "helper count");
        var body = current.AsSpan(0, current.Length - 32);
        byte[] snapshot = [.. body[..helpersAt], .. body.Slice(helpersAt + 4, 5 * 4), .. body[(helpersAt + 4 + 7 * 4)..], .. new byte[32]];
        BinaryPrimitives.WriteUInt32LittleEndian(snapshot.AsSpan(8), 1);
        SHA256.HashData(snapshot.AsSpan(0, snapshot.Length - 32), snapshot.AsSpan(snapshot.Length - 32));
        using var restored = QuickJsEngine.Restore(snapshot);
        restored.Evaluate("setImmediate(() => kept++)").ValueOrThrow();
        Assert.That(restored.RunToQuiescence().IsValue, Is.True);
        Assert.That(restored.Evaluate("kept").Json, Is.EqualTo("42"));
        // The command helpers it lacks are made when a command first needs them.
        var reply = restored.EvaluateCommand("new TextEncoder().encode(String(kept)).buffer"u8.ToArray());
        Assert.That(reply.Kind, Is.EqualTo(CommandOutcomeKind.Replied));
        Assert.That(reply.Reply, Is.EqualTo("42"u8.ToArray()));
    }
}
