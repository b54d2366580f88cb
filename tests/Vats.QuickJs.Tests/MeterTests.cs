using System.Globalization;

namespace Vats.QuickJs.Tests;

/// <summary>xsnap's currentMeterLimit/resetMeter on the engine's fuel: exact readings inside the running call, per-operation limits.</summary>
public sealed class MeterTests
{
    private const string Work = "function work(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 7) % 1000; return s }";

    private static long Number(JsOutcome outcome) => long.Parse(outcome.ValueOrThrow()!, CultureInfo.InvariantCulture);

    [Test]
    public void TheIndexIncludesTheEvaluationInProgress()
    {
        using var engine = QuickJsEngine.Create();
        engine.Evaluate(Work);
        var json = engine.Evaluate("resetMeter(0, 0); work(1000); const a = resetMeter(0, 0); work(2000); [a, resetMeter(0, 0)]").ValueOrThrow()!;
        var values = json.Trim('[', ']').Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(values[0], Is.GreaterThan(10_000), "1000 loop iterations cost thousands of wasm instructions");
            Assert.That(values[1], Is.InRange(values[0] * 18 / 10, values[0] * 22 / 10), "twice the work, about twice the fuel");
        });
    }

    [Test]
    public void ResetMeterReturnsTheIndexAndTheRunningCallContinuesFromTheNewOne()
    {
        using var engine = QuickJsEngine.Create();
        var json = engine.Evaluate("[resetMeter(0, 1000), resetMeter(0, 0), resetMeter(0, 5000), resetMeter(0, 0)]").ValueOrThrow()!;
        var r = json.Trim('[', ']').Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(r[1], Is.GreaterThan(1000), "the index counts on from 1000 inside the same call");
            Assert.That(r[3] - 5000, Is.EqualTo(r[1] - 1000), "the same code between two calls costs the same fuel");
            Assert.That(engine.FuelUsed, Is.GreaterThan(r[3]), "the operation's total continues from the last index");
        });
    }

    [Test]
    public void ReadingsAreIdenticalAcrossEnginesAndAcrossSnapshotRestore()
    {
        const string measure = "resetMeter(0, 0); work(5000); JSON.stringify(new Array(64).fill('x')); resetMeter(0, 0)";
        var seen = new List<long>();
        QuickJsEngine? current = null;
        var options = new EngineOptions
        {
            HostFunctions = new Dictionary<string, HostFunctionCallback>
            {
                ["probe"] = _ =>
                {
                    seen.Add(current!.FuelUsed);
                    return HostValue.Undefined;
                },
            },
        };
        using var first = QuickJsEngine.Create(options);
        using var second = QuickJsEngine.Create(options);
        first.Evaluate(Work);
        second.Evaluate(Work);
        using var restored = QuickJsEngine.Restore(first.Snapshot(), options);

        var results = new List<(long Meter, long Operation, long[] Probes)>();
        foreach (var engine in new[] { first, second, restored })
        {
            current = engine;
            seen.Clear();
            var meter = Number(engine.Evaluate(measure));
            engine.Evaluate("work(100); probe(); work(100); probe()").ValueOrThrow();
            results.Add((meter, engine.FuelUsed, [.. seen]));
        }
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Meter, Is.GreaterThan(50_000));
            Assert.That(results[0].Probes, Has.Length.EqualTo(2));
            Assert.That(results[0].Probes[1], Is.GreaterThan(results[0].Probes[0]), "FuelUsed read in a host function includes the call in progress");
            Assert.That(results[0].Operation, Is.GreaterThan(results[0].Probes[1]));
            Assert.That(results[1], Is.EqualTo(results[0]).Using<(long, long, long[])>((a, b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item3.SequenceEqual(b.Item3)), "another engine");
            Assert.That(results[2], Is.EqualTo(results[0]).Using<(long, long, long[])>((a, b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item3.SequenceEqual(b.Item3)), "a restored engine");
        });
    }

    [Test]
    public void TheLimitIsPerOperationAsXsnapsIsPerCrank()
    {
        using var metered = QuickJsEngine.Create(new EngineOptions { FuelPerCall = 50_000_000 });
        Assert.Multiple(() =>
        {
            Assert.That(metered.Evaluate("currentMeterLimit()").Json, Is.EqualTo("50000000"));
            Assert.That(metered.Evaluate("[currentMeterLimit(), resetMeter(0, 0) >= 0, currentMeterLimit()]").Json, Is.EqualTo("[50000000,true,0]"));
            Assert.That(metered.Evaluate("currentMeterLimit()").Json, Is.EqualTo("50000000"), "the next operation starts with the host's limit again");
            Assert.That(metered.MeterLimit, Is.EqualTo(50_000_000));
        });

        using var unmetered = QuickJsEngine.Create();
        Assert.Multiple(() =>
        {
            Assert.That(unmetered.Evaluate("currentMeterLimit()").Json, Is.EqualTo("0"));
            Assert.That(unmetered.Evaluate("resetMeter('123456789012', { valueOf() { return 5 } }); currentMeterLimit()").Json, Is.EqualTo("123456789012"));
            Assert.That(unmetered.Evaluate("resetMeter(NaN, -5); [currentMeterLimit(), resetMeter(0, 0) < 1e6]").Json, Is.EqualTo("[0,true]"));
            Assert.That(unmetered.MeterLimit, Is.Null);
        });
    }

    [Test]
    public void ResetMeterConvertsItsArgumentsInXsnapsOrder()
    {
        using var engine = QuickJsEngine.Create();
        Assert.Multiple(() =>
        {
            // The limit is set before the index is converted, so a throwing index leaves the new limit in force.
            Assert.That(engine.Evaluate("try { resetMeter(1e12, { valueOf() { throw new Error('no') } }) } catch (e) { e.message } [currentMeterLimit()]").Json,
                Is.EqualTo("[1000000000000]"));
            Assert.That(engine.Evaluate("try { resetMeter(1n, 0) } catch (e) { [e.name, currentMeterLimit()] }").Json, Is.EqualTo("""["TypeError",0]"""));
            Assert.That(engine.Evaluate("try { resetMeter(1) } catch (e) { [e.name, e.message] }").Json, Is.EqualTo("""["TypeError","expected newMeterLimit, newMeterIndex"]"""));
            Assert.That(engine.Evaluate("[resetMeter.length, currentMeterLimit.length, Object.keys(globalThis).includes('resetMeter')]").Json, Is.EqualTo("[1,1,false]"));
        });
    }

    [Test]
    public void ALimitSetByResetMeterStopsTheFollowingCallsOfTheOperation()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions { FuelPerCall = 200_000_000 });
        engine.Evaluate("setImmediate(() => resetMeter(100000, 0)); setImmediate(() => { for (;;) {} })").ValueOrThrow();
        var outcome = engine.RunToQuiescence();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Kind, Is.EqualTo(JsOutcomeKind.FuelExhausted));
            Assert.That(engine.FuelUsed, Is.InRange(90_000, 100_000), "stopped at the limit JavaScript set, not the host's");
        });
    }

    [Test]
    public void WorkBetweenResetMeterZeroAndTheRestoreIsNeitherLimitedNorCounted()
    {
        // liveslots' runWithoutMetering: limit = currentMeterLimit(); before = resetMeter(0, 0); …; resetMeter(limit, before).
        using var measuring = QuickJsEngine.Create();
        measuring.Evaluate(Work);
        var heavy = Number(measuring.Evaluate("resetMeter(0, 0); work(20000); resetMeter(0, 0)"));
        Assert.That(heavy, Is.GreaterThan(2_000_000), "precondition: the unmetered work is larger than the limit");

        using var engine = QuickJsEngine.Create(new EngineOptions { FuelPerCall = 1_000_000 });
        engine.Evaluate(Work);
        engine.Evaluate("""
            var saved;
            setImmediate(() => { saved = [currentMeterLimit(), resetMeter(0, 0)] });
            setImmediate(() => work(20000));
            setImmediate(() => { resetMeter(saved[0], saved[1]) });
            """).ValueOrThrow();
        var outcome = engine.RunToQuiescence();
        Assert.Multiple(() =>
        {
            Assert.That(outcome.IsValue, Is.True, "the unmetered macrotask ran without the 1,000,000 limit");
            Assert.That(engine.FuelUsed, Is.LessThan(1_000_000), "and its fuel is not in the operation's index");
            Assert.That(engine.Evaluate("saved[0]").Json, Is.EqualTo("1000000"));
        });
    }

    [Test]
    public void ANewLimitTakesEffectWithinTheCallThatSetsIt()
    {
        using var measuring = QuickJsEngine.Create();
        measuring.Evaluate(Work);
        var heavy = Number(measuring.Evaluate("resetMeter(0, 0); work(20000); resetMeter(0, 0)"));

        // runWithoutMetering inside one evaluation: the heavy work runs unmetered although the operation's
        // limit is far below it, and the restored limit applies again to the rest of the same call.
        using var engine = QuickJsEngine.Create(new EngineOptions { FuelPerCall = heavy / 4 });
        engine.Evaluate(Work);
        var outcome = engine.Evaluate("const limit = currentMeterLimit(); const before = resetMeter(0, 0); work(20000); resetMeter(limit, before); 'done'");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Json, Is.EqualTo("\"done\""), "the unmetered stretch is not limited");
            Assert.That(engine.FuelUsed, Is.LessThan(heavy / 4), "nor counted");
        });

        // A limit below what the call has already used stops it right there.
        using var strict = QuickJsEngine.Create(new EngineOptions { FuelPerCall = heavy * 4 });
        strict.Evaluate(Work);
        Assert.That(strict.Evaluate("resetMeter(1000, 0); work(20000)").Kind, Is.EqualTo(JsOutcomeKind.FuelExhausted));
    }
}
