using Vats.Bundler.Output;
using Vats.QuickJs.Tests.Support;

namespace Vats.QuickJs.Tests.Differential;

/// <summary>Runs probes in the C# engine and renders one line per probe in the reference host's format.</summary>
internal static class ProbeRunner
{
    /// <summary>
    /// Runs every probe in one engine. With <paramref name="restoreEvery"/> &gt; 0 the engine is replaced by a restore
    /// of its own snapshot after every that many probes, which must not change any output.
    /// </summary>
    /// With <paramref name="alternate"/>, each restore switches the wasm engine (interpreter ↔ compiler).
    public static List<string> RunInEngine(IReadOnlyList<Probe> probes, int restoreEvery = 0,
        Vats.Wasm.ExecutionEngineKind wasmEngine = Vats.Wasm.ExecutionEngineKind.Interpreter, bool alternate = false)
    {
        var printed = new List<string>();
        var options = new EngineOptions { Print = printed.Add, WasmEngine = wasmEngine };
        var engine = QuickJsEngine.Create(options);
        var lines = new List<string>(probes.Count);
        try
        {
            for (var i = 0; i < probes.Count; i++)
            {
                if (restoreEvery > 0 && i > 0 && i % restoreEvery == 0)
                {
                    var snapshot = engine.Snapshot();
                    engine.Dispose();
                    if (alternate)
                    {
                        options = options with
                        {
                            WasmEngine = options.WasmEngine == Vats.Wasm.ExecutionEngineKind.Interpreter
                                ? Vats.Wasm.ExecutionEngineKind.Compiler
                                : Vats.Wasm.ExecutionEngineKind.Interpreter,
                        };
                    }
                    engine = QuickJsEngine.Restore(snapshot, options);
                }
                lines.Add(RunOne(engine, probes[i], printed));
            }
        }
        finally
        {
            engine.Dispose();
        }
        return lines;
    }

    private static string RunOne(QuickJsEngine engine, Probe probe, List<string> printed)
    {
        printed.Clear();
        var outcome = engine.Evaluate(probe.Source, probe.Name + ".js");
        var loop = engine.RunToQuiescence();
        var line = $"{probe.Name}\t{Render(outcome)}";
        if (!loop.IsValue) line += $" jobs-error {ErrorArray(loop)}";
        if (printed.Count > 0) line += $" print {JsJson.Stringify(printed)}";
        return line;
    }

    private static string Render(JsOutcome outcome) => outcome.Kind switch
    {
        JsOutcomeKind.Value => $"value {outcome.Json ?? "null"}",
        JsOutcomeKind.Exception => $"throw {ErrorArray(outcome)}",
        _ => "fuel-exhausted",
    };

    private static string ErrorArray(JsOutcome outcome) =>
        outcome.Error is { } e ? JsJson.Stringify(new[] { e.Name, e.Message, e.Stack }) : "fuel-exhausted";
}
