using Vats.QuickJs.Tests.Support;

namespace Vats.QuickJs.Tests.Differential;

/// <summary>
/// The same probes run in our engine (QuickJS on the Vats.Wasm interpreter) and in the reference host (the same
/// QuickJS wasm on V8, with the same import answers, prelude and globals); every line must match.
/// </summary>
public sealed class DifferentialTests
{
    [TestCase(0, Vats.Wasm.ExecutionEngineKind.Interpreter, false, TestName = "ProbesGiveIdenticalOutputInOurEngineAndTheNodeReferenceHost")]
    [TestCase(40, Vats.Wasm.ExecutionEngineKind.Interpreter, false, TestName = "ProbesGiveIdenticalOutputWhenOurEngineIsSnapshottedAndRestoredEvery40Probes")]
    [TestCase(0, Vats.Wasm.ExecutionEngineKind.Compiler, false, TestName = "ProbesGiveIdenticalOutputOnTheCompiledEngine")]
    [TestCase(40, Vats.Wasm.ExecutionEngineKind.Compiler, true, TestName = "ProbesGiveIdenticalOutputWhenRestoredEvery40ProbesUnderTheOtherWasmEngine")]
    public void ProbesGiveIdenticalOutput(int restoreEvery, Vats.Wasm.ExecutionEngineKind wasmEngine, bool alternate)
    {
        TestPaths.RequireInstalled(Path.Combine(TestPaths.Root, "engine", "Vats.QuickJs", "node_modules", "@jitl", "quickjs-wasmfile-release-sync", "dist", "emscripten-module.wasm"));
        var probes = ProbeFile.Read(TestPaths.Probes);
        Assert.That(probes, Has.Count.GreaterThanOrEqualTo(200));

        var ours = ProbeRunner.RunInEngine(probes, restoreEvery, wasmEngine, alternate);
        var reference = NodeProcess.Run(TestPaths.ReferenceHost, "probes", TestPaths.Probes).TrimEnd('\n').Split('\n');

        Assert.That(reference, Has.Length.EqualTo(probes.Count), "the reference host ran a different number of probes");
        var different = new List<string>();
        for (var i = 0; i < probes.Count; i++)
            if (ours[i] != reference[i]) different.Add($"ours:      {ours[i]}\nreference: {reference[i]}");
        var summary = $"js-differential ({wasmEngine}{(alternate ? ", alternating" : "")}): {probes.Count - different.Count} same, {different.Count} different";
        TestContext.Out.WriteLine(summary);
        // Also on stderr, which dotnet test shows at its default verbosity.
        TestContext.Error.WriteLine(summary);
        foreach (var d in different) TestContext.Out.WriteLine(d);
        Assert.That(different, Is.Empty, summary + "\n" + string.Join("\n", different.Take(10)));
    }
}
