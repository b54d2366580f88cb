using System.Security.Cryptography;
using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;
using Vats.Wasm.Tests.TestSupport;

namespace Vats.Wasm.Tests.QuickJs;

/// <summary>
/// The real workload: the pinned QuickJS wasm decodes, validates and instantiates on our runtime and runs JS
/// through its raw exports, with the call sequence of the QuickJS wasm host contract.
/// </summary>
public sealed class QuickJsSmokeTests
{
    private static CompiledModule? _compiled;

    private static CompiledModule Compiled => _compiled ??= CompiledModule.Compile(QuickJsWasm.Bytes);

    private static (QuickJsHost Host, int Runtime, int Context) Start(uint heapCapPages = QuickJsHost.DefaultHeapCapPages)
    {
        var host = new QuickJsHost(new Store(), Compiled, heapCapPages);
        host.CallCtors();
        var (rt, ctx) = host.CreateContext();
        return (host, rt, ctx);
    }

    [Test]
    public void CompiledModuleHasTheShapeOfThePinnedBuild()
    {
        var module = Compiled.Module;
        Assert.Multiple(() =>
        {
            Assert.That(module.Imports, Has.Count.EqualTo(20));
            Assert.That(module.ImportedFunctionCount, Is.EqualTo(19));
            Assert.That(module.FunctionTypeIndices, Has.Count.EqualTo(1321));
            Assert.That(module.Exports, Has.Count.EqualTo(QuickJsExports.Count));
            Assert.That(module.Types, Has.Count.EqualTo(105));
            Assert.That(module.StartFunction, Is.EqualTo(1338u));
            Assert.That(Convert.ToHexStringLower(module.Sha256), Is.EqualTo(QuickJsWasm.Sha256));
        });
    }

    [Test]
    public void EvaluatesOnePlusOne()
    {
        var host = new QuickJsHost(new Store(), Compiled);
        host.CallCtors();
        // The ctor sets up __environ: one environ_sizes_get and one environ_get, nothing else.
        Assert.That(host.ImportCalls, Is.EquivalentTo(new Dictionary<string, int> { ["environ_sizes_get"] = 1, ["environ_get"] = 1 }));

        var rt = host.NewRuntime();
        Assert.That(rt, Is.Not.Zero);
        host.SetMaxStackSize(rt, QuickJsHost.DefaultMaxStackSize);
        var ctx = host.NewContext(rt, 0);
        Assert.That(ctx, Is.Not.Zero);

        var result = host.Eval(ctx, "1+1");
        Assert.That(host.ResolveException(ctx, result), Is.Zero, "1+1 threw");
        Assert.That(host.GetFloat64(ctx, result), Is.EqualTo(2.0));
        host.FreeValue(ctx, result);
        Assert.That(host.LastEvalFuel, Is.GreaterThan(0), "QTS_Eval ran wasm code, so it used fuel");
    }

    [TestCase("'abc'.toUpperCase()", "ABC")]
    [TestCase("'h\\u00e9llo ' + 'w\\u00f6rld \\u{1F600}'", "héllo wörld 😀")]
    [TestCase("JSON.stringify({z: [1, 2, {y: 3}]})", "{\"z\":[1,2,{\"y\":3}]}")]
    public void ReturnsStrings(string code, string expected)
    {
        var (host, _, ctx) = Start();
        Assert.That(host.EvalString(ctx, code), Is.EqualTo(expected));
    }

    [Test]
    public void CallsHostFunctionsThatReenterTheInstance()
    {
        var (host, _, ctx) = Start();
        var calls = 0;
        // add(a, b): reads both arguments and builds the result through exports, from inside the import.
        host.DefineGlobalFunction(ctx, "add", (h, c, _, argc, argv) =>
        {
            calls++;
            Assert.That(argc, Is.EqualTo(2));
            return h.NewFloat64(c, h.GetFloat64(c, argv) + h.GetFloat64(c, argv + 8));
        });
        // hostEval(code): nests a whole QTS_Eval inside the callback, which calls add again.
        host.DefineGlobalFunction(ctx, "hostEval", (h, c, _, _, argv) =>
        {
            var code = h.GetString(c, argv) ?? throw new InvalidOperationException("hostEval needs a string");
            var box = h.Eval(c, code);
            var error = h.ResolveException(c, box);
            if (error == 0) return box;
            h.FreeValue(c, box);
            return error;
        });
        host.DefineGlobalFunction(ctx, "fail", (h, c, _, _, argv) => h.ThrowError(c, h.GetString(c, argv) ?? ""));

        Assert.Multiple(() =>
        {
            Assert.That(host.EvalNumber(ctx, "add(40, 2)"), Is.EqualTo(42));
            Assert.That(host.EvalNumber(ctx, "hostEval('add(1, 2) * 10') + 1"), Is.EqualTo(31));
            Assert.That(host.EvalString(ctx, "try { fail('from host') } catch (e) { e.message + '|' + (e instanceof Error) }"), Is.EqualTo("from host|true"));
        });
        Assert.That(calls, Is.EqualTo(2));
    }

    [Test]
    public void HostFunctionIsReleasedWhenItsLastReferenceGoes()
    {
        var (host, _, ctx) = Start();
        var id = host.DefineGlobalFunction(ctx, "temp", (_, _, _, _, _) => 0);
        Assert.That(host.EvalString(ctx, "typeof temp"), Is.EqualTo("function"));
        Assert.That(host.FreedFunctionIds, Is.Empty);
        host.FreeValue(ctx, host.Eval(ctx, "delete globalThis.temp"));
        Assert.That(host.FreedFunctionIds, Is.EqualTo(new[] { id }));
    }

    [Test]
    public void SeesOnlyTheDeterministicClockTimeZoneAndRandomSeed()
    {
        var (host, _, ctx) = Start();
        // Values observed on V8 with the same import answers (fixed 1,700,000,000,000 ms, UTC).
        Assert.That(
            host.EvalString(ctx, "JSON.stringify([Date.now(), new Date().toString(), new Date(0).getTimezoneOffset(), Math.random(), Math.random()])"),
            Is.EqualTo("[1700000000000,\"Tue Nov 14 2023 22:13:20 GMT+0000\",0,0.688407763781272,0.4250777419229457]"));
    }

    [Test]
    public void LeavesTheSameMemoryBytesAsV8()
    {
        // Floats, sorting, regexp, number formatting, dates, BigInt, Map. No NaN is produced, since
        // NaN bit patterns are the one thing allowed to differ between engines.
        const string code = "const a = []; for (let i = 0; i < 200; i++) a.push(Math.round(Math.sin(i) * 1e6) / 1e3); a.sort((x, y) => x - y); " +
            "JSON.stringify({ head: a.slice(0, 3), sum: a.reduce((s, v) => s + v, 0).toFixed(6), re: /a(b+)c/.exec('xabbbc')[1], " +
            "third: (1 / 3).toFixed(10), radix: (123.456).toString(36), exp: Math.exp(1.5).toPrecision(12), " +
            "date: new Date(Date.UTC(2024, 1, 29, 12)).toISOString(), big: (2n ** 100n).toString(), map: [...new Map([[1, 'x'], [2, 'y']]).values()].join('') })";
        var (host, _, ctx) = Start();
        var result = host.EvalString(ctx, code);

        // Both values come from V8 (Node 20) making the same export calls with the same import answers:
        // ctor, NewRuntime, SetMaxStackSize 256 KiB, NewContext, then this evaluation through malloc'ed strings.
        // Equal bytes mean every store, including QuickJS's heap and shadow stack, went the same way.
        Assert.That(result, Is.EqualTo(
            "{\"head\":[-999.99,-999.755,-999.207],\"sum\":\"905.999000\",\"re\":\"bbb\",\"third\":\"0.3333333333\",\"radix\":\"3f.gez4w97ry\"," +
            "\"exp\":\"4.48168907034\",\"date\":\"2024-02-29T12:00:00.000Z\",\"big\":\"1267650600228229401496703205376\",\"map\":\"xy\"}"));
        Assert.That(host.Memory.Pages, Is.EqualTo(256u));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(host.Memory.Span)),
            Is.EqualTo("769501c0feb8f9d0720261ebd4ce12c39878c8ebd9fa19a062e04eb3643154dd"));
    }

    [Test]
    public void ReportsJsExceptions()
    {
        var (host, _, ctx) = Start();
        var result = host.Eval(ctx, "function thrower() { throw new TypeError('boom') }\nthrower()", "err.js");
        var error = host.ResolveException(ctx, result);
        Assert.That(error, Is.Not.Zero);
        Assert.That(host.Dump(ctx, error), Does.Contain("\"name\":\"TypeError\"").And.Contain("\"message\":\"boom\"").And.Contain("err.js:1"));
        host.FreeValue(ctx, error);
        host.FreeValue(ctx, result);
    }

    [Test]
    public void GrowsTheHeapThroughTheImportAndStopsAtTheCap()
    {
        var (host, _, ctx) = Start(heapCapPages: 512);
        var pagesBefore = host.Memory.Pages;
        // The heap starts at about 5 MiB of the initial 16 MiB, so a 12 MiB buffer needs more pages.
        Assert.That(host.EvalNumber(ctx, "globalThis.keep = new Uint8Array(12 << 20); keep.length"), Is.EqualTo(12 << 20));
        Assert.That(host.Memory.Pages, Is.GreaterThan(pagesBefore).And.LessThanOrEqualTo(512u));

        Assert.That(host.EvalString(ctx, "try { new Uint8Array(64 << 20).length } catch (e) { e.name + ': ' + e.message }"), Is.EqualTo("InternalError: out of memory"));
        Assert.That(host.Memory.Pages, Is.LessThanOrEqualTo(512u));
        Assert.That(host.EvalNumber(ctx, "keep = null; [1, 2, 3].map(x => x * 2).reduce((a, b) => a + b)"), Is.EqualTo(12), "the instance stays usable after a refused growth");
    }

    [Test]
    public void FailedAssertionInsideQuickJsIsAHostAbortTrap()
    {
        var (host, rt, ctx) = Start();
        host.Eval(ctx, "({ leaked: true })"); // the result box is never freed, so an object outlives the runtime
        host.FreeContext(ctx);
        var trap = Assert.Throws<TrapException>(() => host.FreeRuntime(rt));
        Assert.That(trap!.Kind, Is.EqualTo(TrapKind.HostAbort));
        Assert.That(trap.Message, Does.Contain("assertion failed").And.Contain("list_empty"));
    }
}
