using System.Text;

namespace Vats.QuickJs.Tests;

public sealed class EngineBasicsTests
{
    [Test]
    public void EvaluatesAnExpressionToJson()
    {
        using var engine = QuickJsEngine.Create();
        Assert.Multiple(() =>
        {
            Assert.That(engine.Evaluate("1 + 1").ValueOrThrow(), Is.EqualTo("2"));
            Assert.That(engine.Evaluate("({a: [1, 'x', null], b: true})").Json, Is.EqualTo("""{"a":[1,"x",null],"b":true}"""));
            Assert.That(engine.Evaluate("undefined").Json, Is.Null);
            Assert.That(engine.Evaluate("'h\u00e9llo \U0001F600'").Json, Is.EqualTo("\"h\u00e9llo \U0001F600\""));
            Assert.That(engine.Evaluate("2n ** 70n").Json, Is.EqualTo("\"1180591620717411303424\""));
        });
    }

    [Test]
    public void AThrownErrorIsATypedExceptionWithNameMessageAndStack()
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.Evaluate("function thrower() { throw new TypeError('boom') }\nthrower()", "err.js");
        Assert.That(outcome.Kind, Is.EqualTo(JsOutcomeKind.Exception));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Error!.Name, Is.EqualTo("TypeError"));
            Assert.That(outcome.Error.Message, Is.EqualTo("boom"));
            Assert.That(outcome.Error.Stack, Does.Contain("at thrower (err.js:1:"));
            Assert.Throws<JsException>(() => outcome.ValueOrThrow());
        });
        var syntax = engine.Evaluate("1 +", "syntax.js");
        Assert.That(syntax.Error!.Name, Is.EqualTo("SyntaxError"));
        var primitive = engine.Evaluate("throw 5");
        Assert.That(primitive.Error, Is.EqualTo(new JsError("", "5", "")));
    }

    [Test]
    public void HostFunctionsTakeAndReturnStringsAndBytes()
    {
        using var engine = QuickJsEngine.Create();
        engine.DefineFunction("shout", call => HostValue.String(call.GetString(0).ToUpperInvariant() + "!"));
        engine.DefineFunction("reverseBytes", call =>
        {
            var bytes = call.GetBytes(0);
            Array.Reverse(bytes);
            return HostValue.Bytes(bytes);
        });
        engine.DefineFunction("describe", call => HostValue.Json($$"""{"count":{{call.Count}},"type":"{{call.TypeOf(0)}}","n":{{call.GetNumber(1)}}}"""));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Evaluate("shout('héllo')").Json, Is.EqualTo("\"HÉLLO!\""));
            Assert.That(engine.Evaluate("[...new Uint8Array(reverseBytes(new Uint8Array([1, 2, 3])))]").Json, Is.EqualTo("[3,2,1]"));
            Assert.That(engine.Evaluate("[...new Uint8Array(reverseBytes(new Uint8Array([9, 8, 7, 6]).subarray(1, 3)))]").Json, Is.EqualTo("[7,8]"));
            Assert.That(engine.Evaluate("describe({}, 4.5)").Json, Is.EqualTo("""{"count":2,"type":"object","n":4.5}"""));
        });
    }

    [Test]
    public void ACSharpExceptionInAHostFunctionBecomesACatchableJsError()
    {
        using var engine = QuickJsEngine.Create();
        engine.DefineFunction("fail", call => throw new InvalidOperationException("from host: " + call.GetString(0)));
        engine.DefineFunction("failTyped", _ => throw new JsException("RangeError", "typed"));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Evaluate("try { fail('x') } catch (e) { [e instanceof Error, e.message] }").Json,
                Is.EqualTo("""[true,"from host: x"]"""));
            Assert.That(engine.Evaluate("try { failTyped() } catch (e) { e.name + ':' + e.message }").Json, Is.EqualTo("\"RangeError:typed\""));
            Assert.That(engine.Evaluate("fail('uncaught')").Error!.Message, Is.EqualTo("from host: uncaught"));
            Assert.That(engine.Evaluate("'still usable'").Json, Is.EqualTo("\"still usable\""));
        });
    }

    [Test]
    public void HostFunctionsMayCallBackIntoTheEngine()
    {
        using var engine = QuickJsEngine.Create();
        engine.DefineFunction("hostEval", call => HostValue.Json(call.Engine.Evaluate(call.GetString(0)).ValueOrThrow()));
        engine.Evaluate("function add(a, b) { return a + b }");
        Assert.That(engine.Evaluate("hostEval('add(1, 2) * 10') + 1").Json, Is.EqualTo("31"));
    }

    [Test]
    public void CallsAGlobalFunctionWithJsonArguments()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("function greet(who, times) { return `hi ${who.name} `.repeat(times).trim() }");
        Assert.Multiple(() =>
        {
            Assert.That(engine.CallFunction("greet", """{"name":"Ada"}""", "2").Json, Is.EqualTo("\"hi Ada hi Ada\""));
            Assert.That(engine.CallFunction("noSuchFunction").Error!.Name, Is.EqualTo("TypeError"));
            Assert.That(engine.CallFunction("greet", "{not json").Error!.Name, Is.EqualTo("SyntaxError"));
        });
    }

    [Test]
    public void PromiseJobsRunWhenDrained()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("var log = []; Promise.resolve(41).then(x => log.push(x + 1)).then(() => log.push('second')); (async () => { await null; log.push('async') })()");
        Assert.That(engine.HasPendingJobs, Is.True);
        Assert.That(engine.Evaluate("log.length").Json, Is.EqualTo("0"));
        Assert.That(engine.RunJobs().Json, Is.EqualTo("3"));
        Assert.Multiple(() =>
        {
            Assert.That(engine.HasPendingJobs, Is.False);
            Assert.That(engine.Evaluate("log").Json, Is.EqualTo("""[42,"async","second"]"""));
        });
    }

    [Test]
    public void SetImmediateCallbacksRunAfterPromiseJobsInOrder()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("""
            var log = [];
            setImmediate(() => { log.push('i1'); Promise.resolve().then(() => log.push('j1')) });
            setImmediate(x => log.push(x), 0, 'i2');
            Promise.resolve().then(() => log.push('j0'));
            """);
        Assert.That(engine.PendingMacrotasks, Is.EqualTo(2));
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(engine.PendingMacrotasks, Is.Zero);
            Assert.That(engine.Evaluate("log.join()").Json, Is.EqualTo("\"j0,i1,j1,i2\""));
        });
    }

    [Test]
    public void AnExceptionInAMacrotaskIsReportedAndTheEngineStaysUsable()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("setImmediate(() => { throw new Error('in task') })");
        var outcome = engine.RunToQuiescence();
        Assert.That(outcome.Error!.Message, Is.EqualTo("in task"));
        Assert.That(engine.Evaluate("1").Json, Is.EqualTo("1"));
    }

    [Test]
    public void TheClockIsVirtualFixedAndUtc()
    {
        using var engine = QuickJsEngine.Create();
        Assert.That(engine.Evaluate("[Date.now(), new Date().toString(), new Date().getTimezoneOffset(), performance.now()]").Json,
            Is.EqualTo("""[1700000000000,"Tue Nov 14 2023 22:13:20 GMT+0000",0,1700000000000]"""));
        engine.ClockMs += 1500;
        Assert.That(engine.Evaluate("new Date().toISOString()").Json, Is.EqualTo("\"2023-11-14T22:13:21.500Z\""));
    }

    [Test]
    public void MathRandomDependsOnlyOnTheSeed()
    {
        string Sequence(long seed, long clock)
        {
            using var engine = QuickJsEngine.Create(new EngineOptions { RandomSeed = seed, ClockMs = clock });
            return engine.Evaluate("[Math.random(), Math.random()]").Json!;
        }
        Assert.Multiple(() =>
        {
            Assert.That(Sequence(EngineOptions.DefaultClockMs, 5), Is.EqualTo("[0.688407763781272,0.4250777419229457]"));
            Assert.That(Sequence(42, 1), Is.EqualTo(Sequence(42, 2)));
            Assert.That(Sequence(42, 1), Is.Not.EqualTo(Sequence(43, 1)));
        });
    }

    [Test]
    public void WorkerGlobalsAreInstalled()
    {
        var printed = new List<string>();
        byte[]? request = null;
        using var engine = QuickJsEngine.Create(new EngineOptions
        {
            Print = printed.Add,
            CommandHandler = bytes =>
            {
                request = bytes;
                return Encoding.UTF8.GetBytes("reply:" + Encoding.UTF8.GetString(bytes));
            },
        });
        var reply = engine.Evaluate("""
            print('a', 1, null, [2, 3]);
            const answer = issueCommand(new TextEncoder().encode('ping').buffer);
            [new TextDecoder().decode(answer), Base64.encode('hi'), new TextDecoder().decode(Base64.decode('aGk=')),
             typeof gc, currentMeterLimit(), Object.keys(globalThis).includes('print')]
            """).Json;
        Assert.Multiple(() =>
        {
            Assert.That(printed, Is.EqualTo(new[] { "a 1 null 2,3" }));
            Assert.That(request, Is.EqualTo("ping"u8.ToArray()));
            Assert.That(reply, Is.EqualTo("""["reply:ping","aGk=","hi","function",0,false]"""));
        });
    }

    [Test]
    public void MemoryCapMakesAllocationFailCatchablyAndTheEngineRecovers()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions { MemoryLimitBytes = 24L << 20 });
        var outcome = engine.Evaluate("let big = []; try { for (;;) big.push('x'.repeat(100000) + big.length) } catch (e) { big = null; e.message }");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Json, Is.EqualTo("\"out of memory\""));
            Assert.That(engine.MemoryBytes, Is.LessThanOrEqualTo(24L << 20));
            Assert.That(engine.Evaluate("[1, 2, 3].map(x => x * 2)").Json, Is.EqualTo("[2,4,6]"));
        });
    }

    [Test]
    public void JsStackOverflowIsACatchableJsError()
    {
        using var engine = QuickJsEngine.Create();
        var outcome = engine.Evaluate("function r(n) { return r(n + 1) + 1 } try { r(0) } catch (e) { [e.name, e.message] }");
        Assert.That(outcome.Json, Is.EqualTo("""["InternalError","stack overflow"]"""));
        Assert.That(engine.Evaluate("function d(n) { return n ? 1 + d(n - 1) : 0 } d(1000)").Json, Is.EqualTo("1000"));
    }

    [Test]
    public void TheStackLimitOptionBoundsRecursionDepth()
    {
        int Depth(int bytes)
        {
            using var engine = QuickJsEngine.Create(new EngineOptions { MaxStackSizeBytes = bytes });
            var json = engine.Evaluate("var depth = 0; function r() { depth++; r() } try { r() } catch (e) { [e.name, depth] }").Json!;
            Assert.That(json, Does.StartWith("[\"InternalError\","));
            return int.Parse(json.Split(',')[1].TrimEnd(']'), System.Globalization.CultureInfo.InvariantCulture);
        }
        var small = Depth(64 * 1024);
        var large = Depth(1024 * 1024);
        Assert.Multiple(() =>
        {
            Assert.That(small, Is.InRange(200, 1000));
            Assert.That(large, Is.GreaterThan(small * 10));
        });
    }

    [Test]
    public void FuelExhaustionIsATypedOutcomeAndFaultsTheEngine()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions { FuelPerCall = 5_000_000 });
        Assert.That(engine.Evaluate("let s = 0; for (let i = 0; i < 100; i++) s += i; s").Json, Is.EqualTo("4950"));
        Assert.That(engine.FuelUsed, Is.GreaterThan(0).And.LessThan(5_000_000));
        var outcome = engine.Evaluate("for (;;) {}");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Kind, Is.EqualTo(JsOutcomeKind.FuelExhausted));
            Assert.That(engine.IsFaulted, Is.True);
            Assert.Throws<EngineFaultedException>(() => engine.Evaluate("1"));
        });
    }

    [Test]
    public void ResetMeterChangesTheFuelLimitForTheRestOfTheOperationOnly()
    {
        using var engine = QuickJsEngine.Create();
        Assert.That(engine.Evaluate("currentMeterLimit()").Json, Is.EqualTo("0"));
        Assert.That(engine.Evaluate("resetMeter(123456789, 0); currentMeterLimit()").Json, Is.EqualTo("123456789"));
        Assert.Multiple(() =>
        {
            Assert.That(engine.MeterLimit, Is.Null);
            Assert.That(engine.Evaluate("currentMeterLimit()").Json, Is.EqualTo("0"));
        });
    }

    [Test]
    public void GcCollectsCyclesAndQueuesFinalizationCallbacks()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate("""
            var finalized = [];
            var registry = new FinalizationRegistry(v => finalized.push(v));
            var weak;
            (function () { const a = {}; a.self = a; weak = new WeakRef(a); registry.register(a, 'cycle') })();
            """);
        engine.RunToQuiescence();
        Assert.That(engine.Evaluate("weak.deref() !== undefined").Json, Is.EqualTo("true"), "a cycle survives until a collection");
        Assert.That(engine.CollectGarbage().IsValue, Is.True);
        Assert.That(engine.Evaluate("weak.deref() === undefined").Json, Is.EqualTo("true"));
        engine.RunToQuiescence();
        Assert.That(engine.Evaluate("finalized").Json, Is.EqualTo("""["cycle"]"""));
    }

    [Test]
    public void DisposeFinalizesEveryHostFunction()
    {
        var engine = QuickJsEngine.Create();
        engine.DefineFunction("extra", _ => HostValue.Undefined);
        engine.Evaluate("setImmediate(() => {}); var keep = [print, extra]");
        Assert.That(engine.LiveHostFunctions, Is.GreaterThan(5));
        engine.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(engine.LiveHostFunctions, Is.Zero);
            Assert.That(engine.IsFaulted, Is.False, "QuickJS's leak assertion in FreeRuntime did not fire");
            Assert.Throws<ObjectDisposedException>(() => engine.Evaluate("1"));
        });
    }
}
