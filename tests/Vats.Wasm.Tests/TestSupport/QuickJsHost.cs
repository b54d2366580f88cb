using System.Text;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Tests.TestSupport;

/// <summary>
/// A small host for the pinned QuickJS wasm, enough for tests and the benchmark (the engine's real binding is
/// separate). It answers the imports of module "a" deterministically (fixed clock, UTC, empty environment,
/// heap growth up to a cap, abort and assert as <see cref="TrapKind.HostAbort"/> traps) and wraps the exports
/// it needs. Pointers are wasm addresses. Exports may be called from inside a host function (re-entrancy).
/// After any trap the instance is inconsistent and must be dropped.
/// </summary>
internal sealed class QuickJsHost
{
    /// <summary>What Date.now() returns; it also seeds Math.random at context creation.</summary>
    public const long FixedEpochMs = 1_700_000_000_000;

    /// <summary>QuickJS's shadow-stack limit per runtime; about 1,500 levels of JS recursion.</summary>
    public const int DefaultMaxStackSize = 256 * 1024;

    /// <summary>Default heap cap: 256 MiB.</summary>
    public const uint DefaultHeapCapPages = 4096;

    private const uint InitialPages = 256;
    private const uint DeclaredMaxPages = 32768;

    /// <summary>
    /// A JS function implemented in C#. <paramref name="argv"/> points to <paramref name="argc"/> consecutive
    /// 8-byte JSValues (borrowed). Returns a JSValue box the callee owns and QuickJS takes over, or 0 for undefined.
    /// </summary>
    public delegate int JsFunction(QuickJsHost host, int ctx, int thisPtr, int argc, int argv);

    private readonly Dictionary<int, JsFunction> _functions = [];
    private readonly Dictionary<string, int> _importCalls = new(StringComparer.Ordinal);
    private int _nextFunctionId = 1;

    /// <summary>Instantiates the module (its start function runs). Call <see cref="CallCtors"/> next.</summary>
    public QuickJsHost(Store store, CompiledModule module, uint heapCapPages = DefaultHeapCapPages)
    {
        Store = store;
        Memory = new Memory(new MemoryType(new Limits(InitialPages, DeclaredMaxPages)), heapCapPages);
        Instance = Instance.Instantiate(store, module, CreateImports());
    }

    public Store Store { get; }

    /// <summary>The imported memory "a"."a"; growth is capped at the heap cap.</summary>
    public Memory Memory { get; }

    public Instance Instance { get; }

    /// <summary>Everything QuickJS wrote to stdout or stderr (fd_write).</summary>
    public StringBuilder Output { get; } = new();

    /// <summary>How often each import was called, by its emscripten name (e.g. environ_get).</summary>
    public IReadOnlyDictionary<string, int> ImportCalls => _importCalls;

    /// <summary>Ids of host functions whose JS function object QuickJS finalized (import "t").</summary>
    public List<int> FreedFunctionIds { get; } = [];

    /// <summary>Fuel used by the most recent QTS_Eval call itself (not the mallocs around it).</summary>
    public long LastEvalFuel { get; private set; }

    // ----- exports -----

    /// <summary>__wasm_call_ctors: once, before anything else.</summary>
    public void CallCtors() => Call(QuickJsExports.WasmCallCtors, []);

    public int Malloc(int size) => (int)Call(QuickJsExports.Malloc, [I(size)]);

    public void Free(int ptr) => Call(QuickJsExports.Free, [I(ptr)]);

    public int NewRuntime() => (int)Call(QuickJsExports.NewRuntime, []);

    public void SetMaxStackSize(int rt, int bytes) => Call(QuickJsExports.RuntimeSetMaxStackSize, [I(rt), I(bytes)]);

    public int NewContext(int rt, int intrinsics = 0) => (int)Call(QuickJsExports.NewContext, [I(rt), I(intrinsics)]);

    public void FreeContext(int ctx) => Call(QuickJsExports.FreeContext, [I(ctx)]);

    public void FreeRuntime(int rt) => Call(QuickJsExports.FreeRuntime, [I(rt)]);

    /// <summary>NewRuntime, the stack limit, and a context with the default intrinsics.</summary>
    public (int Runtime, int Context) CreateContext(int maxStackSize = DefaultMaxStackSize)
    {
        var rt = NewRuntime();
        SetMaxStackSize(rt, maxStackSize);
        return (rt, NewContext(rt));
    }

    /// <summary>QTS_Eval of <paramref name="code"/> (global code by default). Returns an owned box, possibly holding JS_EXCEPTION.</summary>
    public int Eval(int ctx, string code, string fileName = "main.js", int flags = 0)
    {
        var (codePtr, codeLength) = MallocCString(code);
        var (filePtr, _) = MallocCString(fileName);
        var box = (int)Call(QuickJsExports.Eval, [I(ctx), I(codePtr), I(codeLength), I(filePtr), 0, I(flags)]);
        LastEvalFuel = Store.FuelConsumed;
        Free(codePtr);
        Free(filePtr);
        return box;
    }

    /// <summary>0 if the box does not hold an exception; else an owned box with the exception (which is cleared).</summary>
    public int ResolveException(int ctx, int box) => (int)Call(QuickJsExports.ResolveException, [I(ctx), I(box)]);

    public double GetFloat64(int ctx, int box) => BitConverter.UInt64BitsToDouble(Call(QuickJsExports.GetFloat64, [I(ctx), I(box)]));

    public int NewFloat64(int ctx, double value) => (int)Call(QuickJsExports.NewFloat64, [I(ctx), BitConverter.DoubleToUInt64Bits(value)]);

    /// <summary>ToString of the value as .NET text, or null when QuickJS could not convert it (an exception is then pending).</summary>
    public string? GetString(int ctx, int box)
    {
        var ptr = (int)Call(QuickJsExports.GetString, [I(ctx), I(box)]);
        if (ptr == 0) return null;
        var text = ReadCString(ptr);
        Call(QuickJsExports.FreeCString, [I(ctx), I(ptr)]);
        return text;
    }

    public int NewString(int ctx, string text)
    {
        var (ptr, _) = MallocCString(text);
        var box = (int)Call(QuickJsExports.NewString, [I(ctx), I(ptr)]);
        Free(ptr);
        return box;
    }

    /// <summary>JSON of the value, with name, message and stack for errors.</summary>
    public string Dump(int ctx, int box)
    {
        var ptr = (int)Call(QuickJsExports.Dump, [I(ctx), I(box)]);
        var text = ReadCString(ptr);
        Call(QuickJsExports.FreeCString, [I(ctx), I(ptr)]);
        return text;
    }

    public void FreeValue(int ctx, int box) => Call(QuickJsExports.FreeValuePointer, [I(ctx), I(box)]);

    /// <summary>Makes <paramref name="function"/> callable from JS as a global of that name; returns its host id.</summary>
    public int DefineGlobalFunction(int ctx, string name, JsFunction function)
    {
        var id = _nextFunctionId++;
        _functions[id] = function;
        var (namePtr, _) = MallocCString(name);
        var fn = (int)Call(QuickJsExports.NewFunction, [I(ctx), I(namePtr), 0, 0, I(id)]);
        Free(namePtr);
        var key = NewString(ctx, name);
        var global = (int)Call(QuickJsExports.GetGlobalObject, [I(ctx)]);
        Call(QuickJsExports.SetProp, [I(ctx), I(global), I(key), I(fn)]);
        FreeValue(ctx, key);
        FreeValue(ctx, fn);
        FreeValue(ctx, global);
        return id;
    }

    /// <summary>Builds a JS exception from the host (to return from a <see cref="JsFunction"/>).</summary>
    public int ThrowError(int ctx, string message)
    {
        var error = (int)Call(QuickJsExports.NewError, [I(ctx)]);
        var key = NewString(ctx, "message");
        var value = NewString(ctx, message);
        Call(QuickJsExports.SetProp, [I(ctx), I(error), I(key), I(value)]);
        FreeValue(ctx, key);
        FreeValue(ctx, value);
        var thrown = (int)Call(QuickJsExports.Throw, [I(ctx), I(error)]);
        FreeValue(ctx, error);
        return thrown;
    }

    /// <summary>Evaluates and returns the number; a JS exception becomes an <see cref="InvalidOperationException"/> with its dump.</summary>
    public double EvalNumber(int ctx, string code)
    {
        var box = EvalOrThrow(ctx, code);
        var value = GetFloat64(ctx, box);
        FreeValue(ctx, box);
        return value;
    }

    /// <summary>Evaluates and returns ToString of the result; a JS exception becomes an <see cref="InvalidOperationException"/>.</summary>
    public string? EvalString(int ctx, string code)
    {
        var box = EvalOrThrow(ctx, code);
        var value = GetString(ctx, box);
        FreeValue(ctx, box);
        return value;
    }

    private int EvalOrThrow(int ctx, string code)
    {
        var box = Eval(ctx, code);
        var error = ResolveException(ctx, box);
        if (error == 0) return box;
        FreeValue(ctx, box);
        var dump = Dump(ctx, error);
        FreeValue(ctx, error);
        throw new InvalidOperationException($"JS exception from `{code}`: {dump}");
    }

    // ----- memory helpers -----

    /// <summary>The UTF-8 string that ends at the first NUL from <paramref name="ptr"/>.</summary>
    public string ReadCString(int ptr)
    {
        var address = (long)(uint)ptr;
        return Encoding.UTF8.GetString(Memory.Slice(address, Memory.StringLength(address)));
    }

    /// <summary>mallocs a NUL-terminated UTF-8 copy; returns the pointer and the length without the NUL.</summary>
    public (int Ptr, int Length) MallocCString(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var ptr = Malloc(bytes.Length + 1);
        if (ptr == 0) throw new InvalidOperationException($"QuickJS malloc of {bytes.Length + 1} bytes failed");
        Memory.Write((uint)ptr, bytes);
        Memory.WriteByte((uint)ptr + (long)bytes.Length, 0);
        return (ptr, bytes.Length);
    }

    // ----- imports -----

    private Imports CreateImports()
    {
        var imports = new Imports();
        imports.Define("a", "a", Memory);
        const ValType i32 = ValType.I32, i64 = ValType.I64, f64 = ValType.F64;
        Import(imports, "b", "__assert_fail", [i32, i32, i32, i32], [], (_, v) =>
            throw Abort($"assertion failed: {ReadCString((int)v[0])} at {ReadCString((int)v[1])}:{(int)v[2]} {ReadCString((int)v[3])}"));
        Import(imports, "c", "fd_write", [i32, i32, i32, i32], [i32], (_, v) => v[0] = FdWrite((int)v[0], (int)v[1], (int)v[2], (int)v[3]));
        Import(imports, "d", "fd_close", [i32], [i32], (_, v) => v[0] = 52); // ENOSYS
        Import(imports, "e", "environ_get", [i32, i32], [i32], (_, v) => v[0] = 0); // empty environment: nothing to write
        Import(imports, "f", "environ_sizes_get", [i32, i32], [i32], (_, v) =>
        {
            Memory.WriteUInt32((uint)v[0], 0);
            Memory.WriteUInt32((uint)v[1], 0);
            v[0] = 0;
        });
        Import(imports, "g", "qts_host_normalize_module", [i32, i32, i32, i32], [i32], (_, v) => v[0] = I(MallocCString(ReadCString((int)v[3])).Ptr));
        Import(imports, "h", "qts_host_load_module_source", [i32, i32, i32], [i32], (_, v) => v[0] = 0);
        Import(imports, "i", "qts_host_interrupt_handler", [i32], [i32], (_, v) => v[0] = 0);
        Import(imports, "j", "_setitimer_js", [i32, f64], [i32], (_, v) => v[0] = 0);
        Import(imports, "k", "emscripten_resize_heap", [i32], [i32], (_, v) => v[0] = ResizeHeap((uint)v[0]) ? 1u : 0u);
        Import(imports, "l", "_emscripten_runtime_keepalive_clear", [], [], (_, _) => { });
        Import(imports, "m", "_localtime_js", [i64, i32], [], (_, v) => WriteUtcTm((long)v[0], (int)v[1]));
        Import(imports, "n", "_tzset_js", [i32, i32, i32, i32], [], (_, v) =>
        {
            Memory.WriteUInt32((uint)v[0], 0); // seconds west of UTC
            Memory.WriteInt32((uint)v[1], 0); // no daylight saving
            Memory.Write((uint)v[2], "UTC\0"u8);
            Memory.Write((uint)v[3], "UTC\0"u8);
        });
        Import(imports, "o", "fd_seek", [i32, i64, i32, i32], [i32], (_, v) => v[0] = 70); // ESPIPE
        Import(imports, "p", "emscripten_date_now", [], [f64], (_, v) => v[0] = BitConverter.DoubleToUInt64Bits(FixedEpochMs));
        Import(imports, "q", "abort", [], [], (_, _) => throw Abort("abort()"));
        Import(imports, "r", "proc_exit", [i32], [], (_, v) => throw Abort($"exit({(int)v[0]})"));
        Import(imports, "s", "qts_host_call_function", [i32, i32, i32, i32, i32], [i32], (_, v) =>
        {
            var id = (int)v[4];
            if (!_functions.TryGetValue(id, out var function)) throw Abort($"call of unknown host function {id}");
            v[0] = I(function(this, (int)v[0], (int)v[1], (int)v[2], (int)v[3]));
        });
        Import(imports, "t", "qts_host_ref_free", [i32, i32], [], (_, v) =>
        {
            // Runs inside QuickJS's GC or finalizers: must not call back into wasm.
            _functions.Remove((int)v[1]);
            FreedFunctionIds.Add((int)v[1]);
        });
        return imports;
    }

    private void Import(Imports imports, string name, string meaning, ValType[] parameters, ValType[] results, HostCallback callback) =>
        imports.Define("a", name, new HostFunction(new FuncType(parameters, results), (context, values) =>
        {
            _importCalls[meaning] = _importCalls.GetValueOrDefault(meaning) + 1;
            callback(context, values);
        }));

    private static TrapException Abort(string detail) => new(TrapKind.HostAbort, detail: detail);

    private uint FdWrite(int fd, int iov, int iovCount, int written)
    {
        long total = 0;
        for (var i = 0; i < iovCount; i++)
        {
            var entry = (uint)iov + 8L * i;
            var ptr = Memory.ReadUInt32(entry);
            var length = Memory.ReadUInt32(entry + 4);
            Output.Append($"[fd {fd}] ").Append(Encoding.UTF8.GetString(Memory.Slice(ptr, length)));
            total += length;
        }
        Memory.WriteUInt32((uint)written, (uint)total);
        return 0;
    }

    /// <summary>sbrk asks for a new total size in bytes; the heap cap is the memory's page cap.</summary>
    private bool ResizeHeap(uint requestedBytes)
    {
        if (requestedBytes <= Memory.Length) return true;
        var deltaPages = (uint)((requestedBytes - Memory.Length + Memory.PageSize - 1) / Memory.PageSize);
        return Memory.Grow(deltaPages) >= 0;
    }

    /// <summary>struct tm of musl on wasm32: ten i32 fields, the UTC breakdown of <paramref name="seconds"/>.</summary>
    private void WriteUtcTm(long seconds, int tm)
    {
        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            throw Abort($"time {seconds} is outside the supported date range");
        var t = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        ReadOnlySpan<int> fields = [t.Second, t.Minute, t.Hour, t.Day, t.Month - 1, t.Year - 1900, (int)t.DayOfWeek, t.DayOfYear - 1, 0, 0];
        for (var i = 0; i < fields.Length; i++) Memory.WriteInt32((uint)tm + 4L * i, fields[i]);
    }

    private ulong Call(string export, ReadOnlySpan<ulong> args)
    {
        var function = Instance.GetFunction(export);
        Span<ulong> result = stackalloc ulong[1];
        function.Invoke(args, result[..function.Type.Results.Length]);
        return result[0];
    }

    private static ulong I(int value) => (uint)value;
}
