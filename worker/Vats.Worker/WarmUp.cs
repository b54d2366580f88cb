using Vats.Protocol;
using Vats.QuickJs;
using Vats.Worker.Checkpoints;

namespace Vats.Worker;

/// <summary>
/// For a worker kept waiting in a pool (<c>--warm-up</c>): before it serves anything, run the paths a restore and a
/// first delivery take — an engine created and evaluating, a checkpoint taken, the engine restored from it — on a
/// throwaway engine, so that the .NET JIT has compiled them and the interpreter has lowered the wasm functions they
/// use. None of it touches the engine the worker will serve: only code is warmed, no state is kept.
/// </summary>
internal static class WarmUp
{
    private const string Script = """
        const report = {};
        const parts = [];
        for (let i = 0; i < 200; i += 1) parts.push({ i, s: `item ${i}` });
        Promise.resolve(parts).then((list) => {
          const text = JSON.stringify(list);
          report.result = new TextEncoder().encode(String(JSON.parse(text).length)).buffer;
        });
        report
        """;

    internal static void Run()
    {
        using var engine = QuickJsEngine.Create(new EngineOptions { Print = _ => { } });
        engine.EvaluateCommand(System.Text.Encoding.UTF8.GetBytes(Script));
        var state = engine.SnapshotWithoutMemory();
        using var tracker = new PageTracker();
        var pages = tracker.AdvanceFull(engine.Memory);
        var checkpoint = WorkerCheckpoint.Decode(WorkerCheckpoint.Encode(state, engine.Memory, pages));
        using var restored = QuickJsEngine.Restore(checkpoint.State.Span, checkpoint.BuildMemory(), new EngineOptions { Print = _ => { } });
        restored.EvaluateCommand(System.Text.Encoding.UTF8.GetBytes(Script));
        var delta = tracker.AdvanceDelta(restored.Memory);
        WorkerCheckpoint.Decode(WorkerCheckpoint.EncodeDelta(state, restored.Memory.Length, delta.Pages, delta.PatchLengths, delta.Patches));
        restored.Snapshot();
    }
}
