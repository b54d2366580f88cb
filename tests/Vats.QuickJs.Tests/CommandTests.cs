using System.Text;

namespace Vats.QuickJs.Tests;

/// <summary>
/// xsnap's crank semantics as the engine implements them: the command, then the event loop to quiescence, then the
/// reply from the command's value (or its <c>result</c>), all in one meter period.
/// </summary>
public sealed class CommandTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Test]
    public void AnArrayBufferValueIsTheReply()
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.EvaluateCommand(Utf8("new TextEncoder().encode('hi').buffer"));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.Replied));
            Assert.That(Text(outcome.Reply), Is.EqualTo("hi"));
            Assert.That(outcome.Compute, Is.GreaterThan(0));
        });
    }

    [TestCase("'a string'")]
    [TestCase("new Uint8Array([1, 2])")]
    [TestCase("({ result: 'x' })")]
    [TestCase("42")]
    public void OtherValuesGiveAnEmptyReply(string source)
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.EvaluateCommand(Utf8(source));
        Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.Replied));
        Assert.That(outcome.Reply, Is.Empty);
    }

    [Test]
    public void TheResultPropertyIsReadAfterTheLoopWentIdle()
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.EvaluateCommand(Utf8(
            "const report = {}; setImmediate(() => Promise.resolve().then(() => { report.result = new TextEncoder().encode('later').buffer })); report"));
        Assert.That(Text(outcome.Reply), Is.EqualTo("later"));
        Assert.That(engine.PendingMacrotasks, Is.Zero);
    }

    [Test]
    public void AnInheritedResultCounts()
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.EvaluateCommand(Utf8("Object.create({ result: new TextEncoder().encode('proto').buffer })"));
        Assert.That(Text(outcome.Reply), Is.EqualTo("proto"));
    }

    [Test]
    public void AThrowIsReportedAsStringOfTheExceptionAndTheLoopStillRuns()
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.EvaluateCommand(Utf8("setImmediate(() => { globalThis.ran = true }); throw new TypeError('boom')"));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.Threw));
            Assert.That(outcome.ErrorText, Is.EqualTo("TypeError: boom"));
            Assert.That(engine.Evaluate("globalThis.ran").Json, Is.EqualTo("true"));
        });
        Assert.That(engine.EvaluateCommand(Utf8("throw 5")).ErrorText, Is.EqualTo("5"));
        Assert.That(engine.EvaluateCommand(Utf8("throw { toString() { throw 1 } }")).ErrorText, Does.Contain("no string form"));
        Assert.That(engine.EvaluateCommand(Utf8("let x = ;")).ErrorText, Does.StartWith("SyntaxError"));
    }

    [Test]
    public void HandleCommandCallsTheCurrentGlobalHandler()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions
        {
            CommandHandler = request => Utf8("up:" + Text(request)),
        });
        engine.Evaluate("globalThis.handleCommand = (ab) => issueCommand(ab)").ValueOrThrow();
        Assert.That(Text(engine.HandleCommand(Utf8("ping")).Reply), Is.EqualTo("up:ping"));
        engine.Evaluate("globalThis.handleCommand = (ab) => ({ result: new TextEncoder().encode(String(ab.byteLength)).buffer })").ValueOrThrow();
        Assert.That(Text(engine.HandleCommand(Utf8("12345")).Reply), Is.EqualTo("5"));
        engine.Evaluate("delete globalThis.handleCommand").ValueOrThrow();
        Assert.That(engine.HandleCommand(Utf8("x")).Kind, Is.EqualTo(CommandOutcomeKind.Threw));
    }

    [Test]
    public void AnExceptionEscapingACallbackAbortsTheCommand()
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.EvaluateCommand(Utf8("setImmediate(() => { throw new RangeError('late') }); 1"));
        Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.Aborted));
        Assert.That(outcome.ErrorText, Is.EqualTo("RangeError: late"));
    }

    [Test]
    public void ComputeCountsTheLoopAndIsDeterministic()
    {
        const string source = "let n = 0; for (let i = 0; i < 1000; i++) Promise.resolve().then(() => n++); setImmediate(() => { for (let i = 0; i < 1000; i++) n++ }); 0";
        using var a = QuickJsEngine.Create();
        using var b = QuickJsEngine.Create();
        var first = a.EvaluateCommand(Utf8(source));
        var second = b.EvaluateCommand(Utf8(source));
        var withoutLoop = QuickJsEngine.Create().EvaluateCommand(Utf8("let n = 0; 0"));
        Assert.Multiple(() =>
        {
            Assert.That(first.Compute, Is.EqualTo(second.Compute));
            Assert.That(first.Compute, Is.GreaterThan(withoutLoop.Compute + 10_000));
            Assert.That(a.Evaluate("n").Json, Is.EqualTo("2000"));
        });
    }

    [Test]
    public void RunningOutOfFuelEndsTheCommand()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions { FuelPerCall = 200_000 });
        var outcome = engine.EvaluateCommand(Utf8("for (;;) {}"));
        Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.FuelExhausted));
        Assert.That(engine.IsFaulted, Is.True);
    }

    [Test]
    public void RunningOutOfFuelInTheEventLoopEndsTheCommand()
    {
        // The command's value is held while the loop runs; the trap must not turn into a failure to free it.
        using var engine = QuickJsEngine.Create(new EngineOptions { FuelPerCall = 2_000_000 });
        var outcome = engine.EvaluateCommand(Utf8("setImmediate(() => { for (;;) {} }); ({ result: new ArrayBuffer(1) })"));
        Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.FuelExhausted));
        Assert.That(outcome.Compute, Is.InRange(1_990_000, 2_000_000), "the index stops at a straight-line run that no longer fits");
        Assert.That(engine.IsFaulted, Is.True);
    }

    [Test]
    public void AnAbortingMemoryLimitEndsTheCommand()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions { MemoryLimitBytes = 24L << 20, MemoryLimitAborts = true });
        var outcome = engine.EvaluateCommand(Utf8("const keep = []; for (;;) keep.push(new Array(10000).fill(1))"));
        Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.MemoryExhausted));
        Assert.That(engine.IsFaulted, Is.True);

        using var lenient = QuickJsEngine.Create(new EngineOptions { MemoryLimitBytes = 24L << 20 });
        var caught = lenient.EvaluateCommand(Utf8(
            "let keep = []; try { for (;;) keep.push(new Array(10000).fill(1)) } catch (e) { keep = null; globalThis.caught = String(e) } 0"));
        Assert.That(caught.Kind, Is.EqualTo(CommandOutcomeKind.Replied));
        Assert.That(lenient.Evaluate("caught").Json, Does.Contain("out of memory"));
    }

    [Test]
    public void ImportModuleResolvesRelativeImportsThroughTheLoader()
    {
        using var engine = QuickJsEngine.Create();
        var files = new Dictionary<string, string>
        {
            ["/m/lib/two.js"] = "export const two = 2;",
            ["/m/main.js"] = "import { two } from './lib/two.js'; globalThis.got = two * 21;",
        };
        var outcome = engine.ImportModuleCommand(Utf8(files["/m/main.js"]), "/m/main.js", name => files.GetValueOrDefault(name));
        Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.Replied));
        Assert.That(engine.Evaluate("got").Json, Is.EqualTo("42"));
        var missing = engine.ImportModuleCommand(Utf8("import './nope.js';"), "/m/other.js", name => files.GetValueOrDefault(name));
        Assert.That(missing.Kind, Is.EqualTo(CommandOutcomeKind.Threw));
        Assert.That(missing.ErrorText, Does.Contain("module not found: /m/nope.js"));
    }

    [Test]
    public void LiveAllocationsFollowTheHeap()
    {
        using var engine = QuickJsEngine.Create();
        var before = engine.LiveAllocations;
        engine.Evaluate("globalThis.keep = Array.from({ length: 5000 }, (_, i) => ({ i }))").ValueOrThrow();
        var grown = engine.LiveAllocations;
        engine.Evaluate("globalThis.keep = null").ValueOrThrow();
        engine.CollectGarbage().ValueOrThrow();
        Assert.Multiple(() =>
        {
            Assert.That(grown, Is.GreaterThan(before + 5000));
            Assert.That(engine.LiveAllocations, Is.LessThan(grown - 4000));
        });
    }

    [Test]
    public void CodecsRunOnTheHostAndCostLittleFuel()
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.EvaluateCommand(Utf8(
            "const text = new TextDecoder().decode(new Uint8Array(200000).fill(0x61)); new TextEncoder().encode(text.length + ':' + Base64.encode(text).length).buffer"));
        Assert.That(Text(outcome.Reply), Is.EqualTo("200000:266668"));
        // In JavaScript on QuickJS these take thousands of wasm instructions per byte.
        Assert.That(outcome.Compute, Is.LessThan(50_000_000));
    }

    [Test]
    public void DescribeSnapshotReadsWithoutRestoring()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions { ClockMs = 1234, FuelPerCall = 5_000_000_000 });
        engine.Evaluate("setImmediate(() => 1)").ValueOrThrow();
        var info = QuickJsEngine.DescribeSnapshot(engine.Snapshot());
        Assert.Multiple(() =>
        {
            Assert.That(info.FormatVersion, Is.EqualTo(3));
            Assert.That(info.ClockMs, Is.EqualTo(1234));
            Assert.That(info.MeterLimit, Is.EqualTo(5_000_000_000));
            Assert.That(info.QueuedMacrotasks, Is.EqualTo(1));
            Assert.That(info.HostFunctions, Does.Contain("vats:issueCommand"));
            Assert.That(info.Instance.MemoryPages.Single(), Is.EqualTo(engine.MemoryBytes / 65536));
            Assert.That(info.Instance.StoredPages.Single(), Is.InRange(1, (int)(engine.MemoryBytes / 65536)));
        });
        var corrupt = engine.Snapshot();
        corrupt[corrupt.Length / 2] ^= 1;
        Assert.That(() => QuickJsEngine.DescribeSnapshot(corrupt), Throws.InstanceOf<Wasm.Errors.SnapshotException>());
    }
}
