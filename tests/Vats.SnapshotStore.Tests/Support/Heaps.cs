using System.Security.Cryptography;
using Vats.QuickJs;
using Vats.QuickJs.Native;
using Vats.Supervisor;

namespace Vats.SnapshotStore.Tests.Support;

/// <summary>Real engine states and heaps to store.</summary>
internal static class Heaps
{
    /// <summary>The identity of snapshots of this engine and these boot bundles.</summary>
    public static SnapshotIdentity Identity { get; } =
        new(QuickJsBinary.Sha256, "vats-tests-1", [LockdownBundle.Get().Sha256, SupervisorBundle.Get().Sha256]);

    /// <summary>A fresh engine with a little JavaScript state (a few MB of memory, mostly zero).</summary>
    public static QuickJsEngine Small(string seed = "a")
    {
        var engine = QuickJsEngine.Create();
        var outcome = engine.Evaluate($$"""
            globalThis.items = [];
            for (let i = 0; i < 2000; i++) items.push({ i, name: '{{seed}}' + i, tags: [i % 7, i % 11] });
            globalThis.n = 0;
            """);
        Assert.That(outcome.IsValue, Is.True, outcome.ToString());
        return engine;
    }

    /// <summary>One small mutation, as a delivery makes: a counter and a new object.</summary>
    public static void Mutate(QuickJsEngine engine, int i)
    {
        var outcome = engine.Evaluate($"globalThis.n = (globalThis.n|0) + 1; items.push({{ i: {i}, at: n }}); n");
        Assert.That(outcome.IsValue, Is.True, outcome.ToString());
    }

    private static readonly Lazy<byte[]> BootedSnapshot = new(() =>
    {
        using var engine = QuickJsEngine.Create();
        foreach (var (name, source) in new[] { ("lockdown", LockdownBundle.Get().EvaluateSource), ("supervisor", SupervisorBundle.Get().EvaluateSource) })
        {
            var outcome = engine.EvaluateCommand(System.Text.Encoding.UTF8.GetBytes(source), name + ".bundle");
            Assert.That(outcome.Kind, Is.EqualTo(CommandOutcomeKind.Replied), $"{name}: {outcome}");
        }
        var setup = engine.Evaluate("globalThis.obj = []; globalThis.n = 0; typeof handleCommand");
        Assert.That(setup.Json, Is.EqualTo("\"function\""));
        return engine.Snapshot();
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>An engine booted with the real lockdown and supervisor bundles (booted once per test run, then restored).</summary>
    public static QuickJsEngine Booted() => QuickJsEngine.Restore(BootedSnapshot.Value);

    /// <summary>A realistic delivery-sized mutation of a booted engine.</summary>
    public static void MutateBooted(QuickJsEngine engine, int i)
    {
        var outcome = engine.Evaluate($"globalThis.n = (globalThis.n|0) + 1; obj.push({{ i: {i} }}); n");
        Assert.That(outcome.IsValue, Is.True, outcome.ToString());
    }

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
