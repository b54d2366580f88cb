namespace Vats.QuickJs;

/// <summary>Settings of a <see cref="QuickJsEngine"/>. Everything JavaScript can observe is fixed by these values.</summary>
public sealed record EngineOptions
{
    /// <summary>The default virtual time: 2023-11-14T22:13:20Z.</summary>
    public const long DefaultClockMs = 1_700_000_000_000;

    /// <summary>
    /// Most bytes the wasm linear memory may grow to (the QuickJS heap plus its 5 MiB shadow stack and 88 KB of
    /// static data). Allocations beyond it fail inside QuickJS as a catchable "out of memory" error. Rounded down to
    /// 64 KiB pages; at least 16 MiB (the initial memory), at most 2 GiB − 64 KiB. Default 1 GiB.
    /// </summary>
    public long MemoryLimitBytes { get; init; } = 1L << 30;

    /// <summary>
    /// What reaching <see cref="MemoryLimitBytes"/> does. False (the default): the allocation fails inside QuickJS as a
    /// catchable "out of memory" error. True: the engine stops at once and is faulted — the operation ends with
    /// <see cref="MemoryLimitExceededException"/> (<see cref="CommandOutcomeKind.MemoryExhausted"/> for a command), as
    /// xsnap's worker exits ("Allocate meter exceeded") when its allocation limit is reached.
    /// </summary>
    public bool MemoryLimitAborts { get; init; }

    /// <summary>
    /// QuickJS's stack limit in bytes of its shadow stack (about 170 bytes per level of JS recursion). Deeper
    /// recursion throws a catchable <c>InternalError: stack overflow</c>. Default 256 KiB (about 1,500 levels).
    /// </summary>
    public int MaxStackSizeBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Fuel (wasm instructions) available to each engine operation (<see cref="QuickJsEngine.Evaluate"/>,
    /// <see cref="QuickJsEngine.CallFunction"/>, <see cref="QuickJsEngine.RunJobs"/>, a macrotask, …); null means
    /// unlimited. Running out ends the operation with <see cref="JsOutcomeKind.FuelExhausted"/>.
    /// </summary>
    public long? FuelPerCall { get; init; }

    /// <summary>The virtual clock's start, in ms since the Unix epoch: what <c>Date.now()</c> returns until the host moves it.</summary>
    public long ClockMs { get; init; } = DefaultClockMs;

    /// <summary>
    /// Seed of <c>Math.random</c>. QuickJS seeds its generator from the time at context creation, so the engine answers
    /// that one clock read with this value instead of the virtual clock.
    /// </summary>
    public long RandomSeed { get; init; } = DefaultClockMs;

    /// <summary>Receives each line <c>print(…)</c> writes. Default: standard output.</summary>
    public Action<string>? Print { get; init; }

    /// <summary>
    /// Answers <c>issueCommand(arrayBuffer)</c> (xsnap's synchronous upcall to the host): request bytes in, reply bytes
    /// out. Default: an empty reply.
    /// </summary>
    public Func<byte[], byte[]>? CommandHandler { get; init; }

    /// <summary>
    /// Host functions by name, installed as globals when the engine is created. A restored engine needs the same
    /// names: JavaScript function objects in the snapshot refer to them.
    /// </summary>
    public IReadOnlyDictionary<string, HostFunctionCallback>? HostFunctions { get; init; }

    /// <summary>
    /// How the QuickJS wasm runs (<see cref="Vats.Wasm.ExecutionEngineKind"/>). Results, fuel and snapshots are the
    /// same with either engine; only speed differs. Default: the compiler, which runs the QuickJS code that the build
    /// precompiled (Vats.QuickJs.Compiled.dll beside this assembly) about 5–8× faster than the interpreter; without
    /// that file it translates the module to IL at the first engine of the process (under a second) instead.
    /// </summary>
    public Vats.Wasm.ExecutionEngineKind WasmEngine { get; init; } = Vats.Wasm.ExecutionEngineKind.Compiler;

    internal uint MemoryLimitPages => (uint)Math.Clamp(MemoryLimitBytes / 65536, 256, 32767);
}
