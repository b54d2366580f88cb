using System.Text;
using Vats.QuickJs.Host;
using Vats.QuickJs.Native;

namespace Vats.QuickJs;

/// <summary>
/// A deterministic JavaScript engine: QuickJS compiled to WebAssembly, running on the Vats.Wasm interpreter, with
/// the globals of an xsnap worker. Everything JavaScript can observe comes from <see cref="EngineOptions"/> and from
/// the host's calls, so two engines fed the same calls reach byte-identical <see cref="Snapshot"/>s.
/// Single-threaded. Host functions may call back into the engine (calls nest).
/// </summary>
public sealed partial class QuickJsEngine : IDisposable
{
    private readonly QuickJsNative _native;
    private readonly HostFunctionTable _hostFunctions = new();
    private readonly Dictionary<string, HostFunctionCallback> _callbacks = new(StringComparer.Ordinal);
    private readonly List<(int Function, int Argument, int Handle)> _macrotasks = [];
    private readonly Action<string> _print;
    private readonly Func<byte[], byte[]> _commandHandler;
    private int _rt;
    private int _ctx;
    private int _undefined;
    private HelperBoxes _helpers;
    private bool _creatingContext;
    private bool _disposed;

    /// <summary>Boxes (JSValue*) of the helper functions the host keeps; they live in the wasm heap.</summary>
    internal struct HelperBoxes
    {
        public int ToJson;
        public int DescribeError;
        public int FromJson;
        public int BytesOf;
        public int Gc;
        public int ReplyOf;
        public int ErrorText;

        /// <summary>Every box, in snapshot order.</summary>
        public readonly int[] All => [ToJson, DescribeError, FromJson, BytesOf, Gc, ReplyOf, ErrorText];

        public static HelperBoxes From(IReadOnlyList<int> boxes) => new()
        {
            ToJson = boxes[0],
            DescribeError = boxes[1],
            FromJson = boxes[2],
            BytesOf = boxes[3],
            Gc = boxes[4],
            ReplyOf = boxes.Count > 5 ? boxes[5] : 0,
            ErrorText = boxes.Count > 6 ? boxes[6] : 0,
        };
    }

    private QuickJsEngine(EngineOptions options, uint memoryLimitPages)
    {
        Options = options;
        ClockMs = options.ClockMs;
        MeterLimit = options.FuelPerCall;
        _print = options.Print ?? Console.Out.WriteLine;
        _commandHandler = options.CommandHandler ?? (_ => []);
        _native = new QuickJsNative(QuickJsBinary.Module, memoryLimitPages, new Callbacks(this), options.WasmEngine);
        _native.Imports.AbortOnRefusedGrowth = options.MemoryLimitAborts;
        RegisterBuiltIns();
        if (options.HostFunctions is not null)
            foreach (var (name, callback) in options.HostFunctions) _callbacks[name] = callback;
    }

    /// <summary>Creates an engine: instantiates QuickJS, creates its runtime and context, runs the prelude.</summary>
    public static QuickJsEngine Create(EngineOptions? options = null)
    {
        options ??= new EngineOptions();
        var engine = new QuickJsEngine(options, options.MemoryLimitPages);
        try
        {
            engine.Boot();
        }
        catch
        {
            engine._disposed = true;
            throw;
        }
        return engine;
    }

    /// <summary>An instance of QuickJS with nothing created in it yet: only for a restore (<see cref="RestoreTarget"/>).</summary>
    internal static QuickJsEngine CreateBlank(EngineOptions options) => new(options, options.MemoryLimitPages);

    /// <summary>The linear memory, writable: only for a blank engine's restore (<see cref="RestoreTarget.MemoryToFill"/>).</summary>
    internal Span<byte> WritableMemory => _native.Memory.Span;

    /// <summary>The linear memory's current size in bytes.</summary>
    internal long MemoryBytesNow => _native.Memory.Length;

    /// <summary>Writes every 4 KiB page of the linear memory with its own contents, so that the system backs all of it now.</summary>
    internal void TouchMemory()
    {
        var memory = _native.Memory.Span;
        for (var i = 0; i < memory.Length; i += 4096) System.Threading.Volatile.Write(ref memory[i], System.Threading.Volatile.Read(ref memory[i]));
    }

    /// <summary>The options the engine was created with (for a restored engine: with the snapshot's limits, clock and meter).</summary>
    public EngineOptions Options { get; private set; }

    /// <summary>The virtual clock in ms since the Unix epoch: what <c>Date.now()</c> answers. Only the host moves it.</summary>
    public long ClockMs { get; set; }

    /// <summary>
    /// Fuel per engine operation (null = unlimited), like xsnap's per-crank limit. Starts as
    /// <see cref="EngineOptions.FuelPerCall"/>. JavaScript's <c>resetMeter</c> changes the limit only for the rest of the
    /// operation it runs in; every operation starts again with this value.
    /// </summary>
    public long? MeterLimit { get; set; }

    /// <summary>
    /// The meter index: fuel used by the current or most recent engine operation (a nested operation adds to its
    /// caller's). Read from a host function, it includes the call in progress up to that point.
    /// </summary>
    public long FuelUsed => _native.FuelUsed;

    /// <summary>True once the wasm instance trapped; every further call throws <see cref="EngineFaultedException"/>.</summary>
    public bool IsFaulted => _native.Fault is not null;

    /// <summary>Callbacks queued by <c>setImmediate</c> and not yet run.</summary>
    public int PendingMacrotasks => _macrotasks.Count;

    /// <summary>Size of the wasm linear memory in bytes.</summary>
    public long MemoryBytes => _native.Memory.Length;

    /// <summary>
    /// Live allocations of QuickJS's allocator (its runtime's <c>malloc_count</c>): objects, strings, shapes, buffers…
    /// A deterministic measure of the heap, reported as xsnap's <c>currentHeapCount</c>.
    /// </summary>
    public long LiveAllocations
    {
        get
        {
            ThrowIfUnusable();
            return (uint)_native.ReadInt32(_rt + MallocCountOffset);
        }
    }

    /// <summary>Host functions whose JavaScript function objects are still alive.</summary>
    public int LiveHostFunctions => _hostFunctions.Count;

    /// <summary>True when promise jobs are queued.</summary>
    public bool HasPendingJobs
    {
        get
        {
            ThrowIfUnusable();
            return _native.IsJobPending(_rt) != 0;
        }
    }

    /// <summary>Evaluates a script (sloppy, global scope) and returns its completion value as JSON, or what it threw.</summary>
    public JsOutcome Evaluate(string source, string fileName = "eval.js") => Operation(() =>
    {
        var code = Encoding.UTF8.GetBytes(source);
        var codePointer = _native.MallocCString(code);
        var filePointer = _native.MallocCString(fileName);
        var result = _native.Eval(_ctx, codePointer, code.Length, filePointer, 0, 0);
        _native.Free(codePointer);
        _native.Free(filePointer);
        return Settle(result);
    });

    /// <summary>
    /// Calls the global function <paramref name="name"/> with arguments given as JSON texts (<c>this</c> is undefined)
    /// and returns its result as JSON, or what it threw.
    /// </summary>
    public JsOutcome CallFunction(string name, params string[] jsonArguments) => Operation(() =>
    {
        var global = _native.GetGlobalObject(_ctx);
        var function = GetProperty(global, name);
        _native.FreeValue(_ctx, global);
        var arguments = new List<int>(jsonArguments.Length);
        try
        {
            foreach (var json in jsonArguments)
            {
                var text = NewString(json);
                var (value, error) = Invoke(_helpers.FromJson, [text]);
                _native.FreeValue(_ctx, text);
                if (error != 0) return JsOutcome.Thrown(Describe(error));
                arguments.Add(value);
            }
            var (result, thrown) = Invoke(function, [.. arguments]);
            return thrown != 0 ? JsOutcome.Thrown(Describe(thrown)) : JsOutcome.Value(ToJsonAndFree(result));
        }
        finally
        {
            foreach (var argument in arguments) _native.FreeValue(_ctx, argument);
            _native.FreeValue(_ctx, function);
        }
    });

    /// <summary>
    /// Defines a global function implemented by <paramref name="callback"/>. The name also identifies the callback in
    /// snapshots: an engine restored from one needs the same name in <see cref="EngineOptions.HostFunctions"/>.
    /// </summary>
    public void DefineFunction(string name, HostFunctionCallback callback)
    {
        ThrowIfUnusable();
        _callbacks[name] = callback;
        WithoutFuelLimit(() =>
        {
            var function = NewHostFunction(name, name);
            var global = _native.GetGlobalObject(_ctx);
            SetProperty(global, name, function);
            _native.FreeValue(_ctx, global);
            _native.FreeValue(_ctx, function);
        });
    }

    /// <summary>
    /// Runs promise jobs until none is left. The value is the number of jobs run; an exception outcome means a job
    /// ended with an uncatchable error (jobs after it stay queued).
    /// </summary>
    public JsOutcome RunJobs() => Operation(DrainJobs);

    /// <summary>Runs the oldest <c>setImmediate</c> callback, if any (the value is false when the queue was empty).</summary>
    public JsOutcome RunMacrotask() => Operation(RunOneMacrotask);

    /// <summary>
    /// The event loop of an xsnap worker: drain promise jobs, run one <c>setImmediate</c> callback, repeat until both
    /// queues are empty. Stops at the first exception (as xsnap, which aborts the worker then).
    /// </summary>
    public JsOutcome RunToQuiescence() => Operation(RunLoop);

    /// <summary>
    /// Runs the worker's <c>gc()</c>: QuickJS has no export that collects, so the engine lowers the runtime's
    /// collection threshold and creates an object, twice (see the prelude's worker-globals.js). Cyclic garbage is
    /// then freed and FinalizationRegistry callbacks are queued as promise jobs.
    /// </summary>
    public JsOutcome CollectGarbage() => Operation(() =>
    {
        var (result, error) = Invoke(_helpers.Gc, []);
        if (error != 0) return JsOutcome.Thrown(Describe(error));
        _native.FreeValue(_ctx, result);
        return JsOutcome.Value(null);
    });

    /// <summary>Frees QuickJS's context and runtime (which finalizes every remaining object) and drops the instance.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (IsFaulted || _native.InCall) return;
        _native.FuelLimit = null;
        try
        {
            foreach (var task in _macrotasks) FreeMacrotask(task);
            _macrotasks.Clear();
            foreach (var box in _helpers.All)
                if (box != 0) _native.FreeValue(_ctx, box);
            _helpers = default;
            _native.FreeContext(_ctx);
            _native.FreeRuntime(_rt);
        }
        catch (EngineFaultedException)
        {
            // QuickJS's leak assertion (or a trap while finalizing) fired; the instance is dropped either way and
            // IsFaulted tells the caller.
        }
    }

    // ----- lifecycle internals -----

    private void Boot()
    {
        _native.CallCtors();
        _rt = _native.NewRuntime();
        if (_native.ReadInt32(_rt + GcThresholdOffset) != InitialGcThreshold)
            throw new QuickJsBinaryException("the QuickJS runtime does not have the memory layout of the pinned build (GC threshold not found)");
        _native.RuntimeSetMaxStackSize(_rt, Options.MaxStackSizeBytes);
        _creatingContext = true;
        _ctx = _native.NewContext(_rt, 0);
        _creatingContext = false;
        _undefined = _native.GetUndefined();

        var bridge = _native.NewObject(_ctx);
        foreach (var name in BuiltInBridgeFunctions)
        {
            var function = NewHostFunction(BuiltInPrefix + name, name);
            SetProperty(bridge, name, function);
            _native.FreeValue(_ctx, function);
        }
        foreach (var file in EmbeddedScripts.PreludeFiles)
        {
            var factory = EvaluateInternal(EmbeddedScripts.Prelude(file), $"vats:prelude/{file}");
            var (result, error) = Invoke(factory, [bridge]);
            _native.FreeValue(_ctx, factory);
            if (error != 0) throw new InvalidOperationException($"prelude {file} failed: {DescribeRaw(error)}");
            _native.FreeValue(_ctx, result);
        }
        _native.FreeValue(_ctx, bridge);

        var helpers = MakeHelpers();
        _helpers.ToJson = GetProperty(helpers, "toJson");
        _helpers.DescribeError = GetProperty(helpers, "describeError");
        _helpers.FromJson = GetProperty(helpers, "fromJson");
        _helpers.BytesOf = GetProperty(helpers, "bytesOf");
        _helpers.ReplyOf = GetProperty(helpers, "replyOf");
        _helpers.ErrorText = GetProperty(helpers, "errorText");
        _native.FreeValue(_ctx, helpers);
        var global = _native.GetGlobalObject(_ctx);
        _helpers.Gc = GetProperty(global, "gc");
        _native.FreeValue(_ctx, global);

        if (Options.HostFunctions is not null)
            foreach (var name in Options.HostFunctions.Keys.Order(StringComparer.Ordinal)) DefineFunction(name, Options.HostFunctions[name]);
    }

    /// <summary>Evaluates the host helpers' factory and calls it; returns the helper object (owned box).</summary>
    private int MakeHelpers()
    {
        var helperFactory = EvaluateInternal(EmbeddedScripts.Helpers, $"vats:{EmbeddedScripts.HelpersFile}");
        var (helpers, helpersError) = Invoke(helperFactory, []);
        _native.FreeValue(_ctx, helperFactory);
        if (helpersError != 0) throw new InvalidOperationException($"helpers failed: {DescribeRaw(helpersError)}");
        return helpers;
    }

    /// <summary>Evaluates trusted engine code and returns its value box; throws if it throws.</summary>
    private int EvaluateInternal(string source, string fileName)
    {
        var code = Encoding.UTF8.GetBytes(source);
        var codePointer = _native.MallocCString(code);
        var filePointer = _native.MallocCString(fileName);
        var result = _native.Eval(_ctx, codePointer, code.Length, filePointer, 0, 0);
        _native.Free(codePointer);
        _native.Free(filePointer);
        var error = _native.ResolveException(_ctx, result);
        if (error == 0) return result;
        _native.FreeValue(_ctx, result);
        throw new InvalidOperationException($"{fileName} failed: {DescribeRaw(error)}");
    }

    private JsOutcome Operation(Func<JsOutcome> body) =>
        Operation(body, () => JsOutcome.OutOfFuel, e => JsOutcome.Thrown(new JsError("InternalError", "out of memory", e.Message)));

    /// <summary>
    /// Runs one engine operation: a new meter period (index 0, limit <see cref="MeterLimit"/>) unless nested in a host
    /// function, where the outer operation's budget applies.
    /// </summary>
    private T Operation<T>(Func<T> body, Func<T> outOfFuel, Func<OutOfMemoryException, T> outOfMemory)
    {
        ThrowIfUnusable();
        if (_native.InCall) return body();
        _native.FuelUsed = 0;
        _native.FuelLimit = MeterLimit;
        try
        {
            return body();
        }
        catch (FuelExhaustedException)
        {
            return outOfFuel();
        }
        catch (OutOfMemoryException e)
        {
            // The host could not malloc its own temporaries (source text, arguments): the heap is at its cap.
            return outOfMemory(e);
        }
    }

    private void WithoutFuelLimit(Action body)
    {
        if (_native.InCall)
        {
            body();
            return;
        }
        _native.FuelLimit = null;
        body();
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _native.ThrowIfFaulted();
    }
}
