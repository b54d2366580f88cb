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
    public byte[] Snapshot() => EngineSnapshot.Write(CaptureState(InstanceSnapshot.Capture));

    /// <summary>
    /// Captures the engine like <see cref="Snapshot"/>, except the contents of its linear memory, which the caller reads
    /// from <see cref="Memory"/> at the same moment and keeps as it likes (a checkpoint store keeps it page by page).
    /// Give both back to <see cref="Restore(ReadOnlySpan{byte}, ReadOnlySpan{byte}, EngineOptions?, bool)"/>.
    /// </summary>
    public byte[] SnapshotWithoutMemory() => EngineSnapshot.Write(CaptureState(InstanceSnapshot.CaptureWithoutMemory), withoutMemory: true);

    /// <summary>
    /// The engine's linear memory: the whole JavaScript heap. Valid until the engine next runs (it may grow and move);
    /// not to be read while JavaScript runs.
    /// </summary>
    public ReadOnlySpan<byte> Memory
    {
        get
        {
            ThrowIfUnusable();
            if (_native.InCall) throw new InvalidOperationException("the memory cannot be read while JavaScript is running");
            return _native.Memory.Span;
        }
    }

    private EngineSnapshot.State CaptureState(Func<Wasm.Runtime.Instance, byte[]> captureInstance)
    {
        ThrowIfUnusable();
        if (_native.InCall) throw new InvalidOperationException("a snapshot cannot be taken while JavaScript is running");
        return new EngineSnapshot.State
        {
            MemoryLimitBytes = _native.MemoryLimitBytes,
            MaxStackSizeBytes = Options.MaxStackSizeBytes,
            ClockMs = ClockMs,
            MeterLimit = MeterLimit,
            Runtime = _rt,
            Context = _ctx,
            Undefined = _undefined,
            Helpers = _helpers.All,
            NextHostId = _hostFunctions.NextId,
            HostFunctions = _hostFunctions.Live.Select(e => (e.Key, e.Value.Name)).ToList(),
            Macrotasks = [.. _macrotasks],
            Instance = captureInstance(_native.Instance),
        };
    }

    /// <summary>
    /// Describes a <see cref="Snapshot"/> without restoring it. Throws <see cref="Wasm.Errors.SnapshotException"/> for a
    /// corrupt snapshot.
    /// </summary>
    public static EngineSnapshotInfo DescribeSnapshot(ReadOnlySpan<byte> snapshot)
    {
        var state = EngineSnapshot.Read(snapshot);
        return new EngineSnapshotInfo(EngineSnapshot.VersionOf(snapshot), state.MemoryLimitBytes, state.MaxStackSizeBytes, state.ClockMs,
            state.MeterLimit, [.. state.HostFunctions.Select(f => f.Name)], state.Macrotasks.Count, InstanceSnapshot.Describe(state.Instance));
    }

    /// <summary>
    /// Creates an engine from a <see cref="Snapshot"/> (taken in this or another process). The memory limit, stack
    /// limit, clock and meter come from the snapshot; <paramref name="options"/> supplies the print and command hooks
    /// and the host functions the snapshot refers to by name — and the memory limit too when
    /// <paramref name="memoryLimitFromOptions"/> is set (a worker's limit is its command line's, whatever the
    /// snapshot was taken under; the snapshot's memory must fit in it). Throws
    /// <see cref="Wasm.Errors.SnapshotException"/> for a corrupt snapshot, one of another QuickJS build, or one whose
    /// memory exceeds the limit.
    /// </summary>
    public static QuickJsEngine Restore(ReadOnlySpan<byte> snapshot, EngineOptions? options = null, bool memoryLimitFromOptions = false) =>
        Restore(EngineSnapshot.Read(snapshot), default, hasMemory: false, options, memoryLimitFromOptions);

    /// <summary>
    /// Creates an engine from a <see cref="SnapshotWithoutMemory"/> state and the <see cref="Memory"/> read with it, as
    /// <see cref="Restore(ReadOnlySpan{byte}, EngineOptions?, bool)"/> does from a whole snapshot.
    /// </summary>
    public static QuickJsEngine Restore(ReadOnlySpan<byte> stateWithoutMemory, ReadOnlySpan<byte> memory, EngineOptions? options = null,
        bool memoryLimitFromOptions = false) =>
        Restore(EngineSnapshot.Read(stateWithoutMemory, withoutMemory: true), memory, hasMemory: true, options, memoryLimitFromOptions);

    /// <summary>
    /// Restores a <see cref="SnapshotWithoutMemory"/> state and its memory into <paramref name="target"/>, an instance
    /// created ahead of time (<see cref="RestoreTarget.Prepare"/>): the same engine as
    /// <see cref="Restore(ReadOnlySpan{byte}, ReadOnlySpan{byte}, EngineOptions?, bool)"/> with the target's options and
    /// <c>memoryLimitFromOptions</c>, without instantiating QuickJS or allocating its memory on the way. The target is
    /// used up either way.
    /// </summary>
    public static QuickJsEngine Restore(ReadOnlySpan<byte> stateWithoutMemory, ReadOnlySpan<byte> memory, RestoreTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var engine = target.Take();
        var state = EngineSnapshot.Read(stateWithoutMemory, withoutMemory: true);
        return Restore(state, memory, hasMemory: true, engine.Options, memoryLimitFromOptions: true, engine);
    }

    private static QuickJsEngine Restore(EngineSnapshot.State state, ReadOnlySpan<byte> memory, bool hasMemory, EngineOptions? options,
        bool memoryLimitFromOptions, QuickJsEngine? blank = null)
    {
        options ??= new EngineOptions();
        options = options with
        {
            MemoryLimitBytes = memoryLimitFromOptions ? options.MemoryLimitBytes : state.MemoryLimitBytes,
            MaxStackSizeBytes = state.MaxStackSizeBytes,
            ClockMs = state.ClockMs,
            FuelPerCall = state.MeterLimit,
        };
        // A blank engine was created with these options but for the snapshot's clock, meter and stack limit, which are
        // the host's fields set here as the constructor would set them.
        var engine = blank ?? new QuickJsEngine(options, options.MemoryLimitPages);
        engine.Options = options;
        engine.ClockMs = options.ClockMs;
        engine.MeterLimit = options.FuelPerCall;
        try
        {
            if (hasMemory) InstanceSnapshot.Restore(engine._native.Instance, state.Instance, memory);
            else InstanceSnapshot.Restore(engine._native.Instance, state.Instance);
            engine._rt = state.Runtime;
            engine._ctx = state.Context;
            engine._undefined = state.Undefined;
            engine._helpers = HelperBoxes.From(state.Helpers);
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

/// <summary>What a whole-engine snapshot holds, read without restoring it (for inspection tools).</summary>
/// <param name="FormatVersion">The engine snapshot format version.</param>
/// <param name="MemoryLimitBytes">The engine's memory limit.</param>
/// <param name="MaxStackSizeBytes">QuickJS's stack limit.</param>
/// <param name="ClockMs">The virtual clock.</param>
/// <param name="MeterLimit">The fuel limit per operation (null = unlimited).</param>
/// <param name="HostFunctions">Names of the live host functions, in id order.</param>
/// <param name="QueuedMacrotasks">setImmediate callbacks still queued.</param>
/// <param name="Instance">The wasm instance's snapshot.</param>
public sealed record EngineSnapshotInfo(uint FormatVersion, long MemoryLimitBytes, int MaxStackSizeBytes, long ClockMs, long? MeterLimit,
    IReadOnlyList<string> HostFunctions, int QueuedMacrotasks, InstanceSnapshotInfo Instance);
