using Vats.QuickJs.Snapshots;
using Vats.Wasm.Snapshots;

namespace Vats.QuickJs;

/// <summary>Whole-engine snapshots.</summary>
public sealed partial class QuickJsEngine
{
    /// <summary>
    /// Captures the whole engine: the wasm instance (the JavaScript heap, QuickJS's runtime and context) and the host's
    /// tables (live host functions by name, queued macrotasks, helper handles, clock, meter). Not allowed from inside a
    /// host function. Equal engine states give equal bytes in every process.
    /// </summary>
    public byte[] Snapshot()
    {
        ThrowIfUnusable();
        if (_native.InCall) throw new InvalidOperationException("a snapshot cannot be taken while JavaScript is running");
        return EngineSnapshot.Write(new EngineSnapshot.State
        {
            MemoryLimitBytes = _native.MemoryLimitBytes,
            MaxStackSizeBytes = Options.MaxStackSizeBytes,
            ClockMs = ClockMs,
            MeterLimit = MeterLimit,
            Runtime = _rt,
            Context = _ctx,
            Undefined = _undefined,
            Helpers = [_helpers.ToJson, _helpers.DescribeError, _helpers.FromJson, _helpers.BytesOf, _helpers.Gc],
            NextHostId = _hostFunctions.NextId,
            HostFunctions = _hostFunctions.Live.Select(e => (e.Key, e.Value.Name)).ToList(),
            Macrotasks = [.. _macrotasks],
            Instance = InstanceSnapshot.Capture(_native.Instance),
        });
    }

    /// <summary>
    /// Creates an engine from a <see cref="Snapshot"/> (taken in this or another process). The memory limit, stack
    /// limit, clock and meter come from the snapshot; <paramref name="options"/> supplies the print and command hooks
    /// and the host functions the snapshot refers to by name. Throws <see cref="Wasm.Errors.SnapshotException"/> for a
    /// corrupt snapshot or one of another QuickJS build.
    /// </summary>
    public static QuickJsEngine Restore(ReadOnlySpan<byte> snapshot, EngineOptions? options = null)
    {
        var state = EngineSnapshot.Read(snapshot, 5);
        options = (options ?? new EngineOptions()) with
        {
            MemoryLimitBytes = state.MemoryLimitBytes,
            MaxStackSizeBytes = state.MaxStackSizeBytes,
            ClockMs = state.ClockMs,
            FuelPerCall = state.MeterLimit,
        };
        var engine = new QuickJsEngine(options, options.MemoryLimitPages);
        try
        {
            InstanceSnapshot.Restore(engine._native.Instance, state.Instance);
            engine._rt = state.Runtime;
            engine._ctx = state.Context;
            engine._undefined = state.Undefined;
            engine._helpers = new HelperBoxes
            {
                ToJson = state.Helpers[0],
                DescribeError = state.Helpers[1],
                FromJson = state.Helpers[2],
                BytesOf = state.Helpers[3],
                Gc = state.Helpers[4],
            };
            engine._hostFunctions.Restore(state.NextHostId, state.HostFunctions, engine.ResolveCallback);
            engine._macrotasks.AddRange(state.Macrotasks);
        }
        catch
        {
            engine._disposed = true;
            throw;
        }
        return engine;
    }
}
