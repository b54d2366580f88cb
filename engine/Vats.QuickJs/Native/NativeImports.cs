using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.QuickJs.Native;

/// <summary>
/// Answers every import of the pinned build deterministically: a virtual clock (and a separate value for the one
/// clock read that seeds Math.random), UTC for every time-zone question, an empty environment, heap growth up to
/// the engine's byte cap, no timers, no interrupts, and traps for assert/abort/exit (QuickJS is dead after them).
/// Host-function calls and releases go to the engine.
/// </summary>
internal sealed class NativeImports
{
    /// <summary>What the engine supplies to the imports.</summary>
    internal interface ICallbacks
    {
        /// <summary>Answer of emscripten_date_now: the virtual clock, or the random seed while a context is created.</summary>
        double DateNow();

        /// <summary>qts_host_call_function: returns a JSValue box (owned by QuickJS afterwards) or 0 for undefined.</summary>
        int CallHostFunction(int ctx, int thisPointer, int argc, int argv, int hostRefId);

        /// <summary>qts_host_ref_free: the JS object for <paramref name="hostRefId"/> was finalized. Must not call into wasm.</summary>
        void ReleaseHostRef(int hostRefId);

        /// <summary>qts_host_load_module_source: a malloc'ed NUL-terminated source, or 0 with a pending exception.</summary>
        int LoadModuleSource(string name);
    }

    private readonly QuickJsNative _native;
    private readonly ICallbacks _callbacks;

    internal NativeImports(QuickJsNative native, ICallbacks callbacks)
    {
        _native = native;
        _callbacks = callbacks;
    }

    /// <summary>Number of heap-growth requests refused because of the memory cap.</summary>
    internal int RefusedGrowths { get; private set; }

    internal Imports Build()
    {
        var imports = new Imports().Define(ImportTable.ModuleName, ImportTable.MemoryName, _native.Memory);
        foreach (var entry in ImportTable.Entries)
        {
            var type = new FuncType(Types(entry.Parameters), Types(entry.Results));
            imports.Define(ImportTable.ModuleName, entry.WasmName, new HostFunction(type, Callback(entry.CName)));
        }
        return imports;
    }

    private static ValType[] Types(string signature) =>
        signature.Length == 0 ? [] : signature.Split(' ').Select(s => s switch
        {
            "i32" => ValType.I32,
            "i64" => ValType.I64,
            "f32" => ValType.F32,
            _ => ValType.F64,
        }).ToArray();

    private HostCallback Callback(string cName) => cName switch
    {
        "__assert_fail" => (_, v) => throw Abort($"assertion failed: {Text(v[0])} at {Text(v[1])}:{(int)v[2]} {Text(v[3])}"),
        "fd_write" => FdWrite,
        "fd_close" => (_, v) => v[0] = 52, // ENOSYS, as the glue answers
        "environ_get" => (_, v) => v[0] = 0,
        "environ_sizes_get" => (_, v) =>
        {
            _native.WriteInt32((int)v[0], 0);
            _native.WriteInt32((int)v[1], 0);
            v[0] = 0;
        },
        "qts_host_normalize_module" => (_, v) => v[0] = (uint)_native.MallocCString(Text(v[3])),
        "qts_host_load_module_source" => (_, v) => v[0] = (uint)_callbacks.LoadModuleSource(Text(v[2])),
        "qts_host_interrupt_handler" => (_, v) => v[0] = 0, // the interrupt handler is never enabled
        "_setitimer_js" => (_, v) => v[0] = 0,
        "emscripten_resize_heap" => (_, v) => v[0] = ResizeHeap((uint)v[0]) ? 1u : 0u,
        "_emscripten_runtime_keepalive_clear" => (_, _) => { },
        "_localtime_js" => (_, v) => LocalTime((long)v[0], (int)v[1]),
        "_tzset_js" => (_, v) => TzSet((int)v[0], (int)v[1], (int)v[2], (int)v[3]),
        "fd_seek" => (_, v) => v[0] = 70, // ESPIPE
        "emscripten_date_now" => (_, v) => v[0] = BitConverter.DoubleToUInt64Bits(_callbacks.DateNow()),
        "abort" => (_, _) => throw Abort("abort() called"),
        "proc_exit" => (_, v) => throw Abort($"exit({(int)v[0]}) called"),
        "qts_host_call_function" => (_, v) =>
            v[0] = (uint)_callbacks.CallHostFunction((int)v[0], (int)v[1], (int)v[2], (int)v[3], (int)v[4]),
        "qts_host_ref_free" => (_, v) => _callbacks.ReleaseHostRef((int)v[1]),
        _ => throw new InvalidOperationException($"no answer for import {cName}"),
    };

    private static TrapException Abort(string detail) => new(TrapKind.HostAbort, detail: $"QuickJS: {detail}");

    private string Text(ulong pointer) => pointer == 0 ? "" : _native.ReadCString((int)pointer);

    // Output of C stdio (QuickJS writes nothing in normal use): counted as written and dropped.
    private void FdWrite(HostContext context, Span<ulong> v)
    {
        var iov = (int)v[1];
        var count = (int)v[2];
        var total = 0;
        for (var i = 0; i < count; i++) total += _native.ReadInt32(iov + 8 * i + 4);
        _native.WriteInt32((int)v[3], total);
        v[0] = 0;
    }

    // sbrk asks for a new total heap size. Addresses depend only on brk, so how far the memory grows is invisible
    // to JavaScript; growing 20% beyond the request (as the glue does, capped at the limit) keeps the number of
    // copies of the whole memory low. Whether the request fits the cap is what decides success.
    private bool ResizeHeap(uint requestedBytes)
    {
        var limit = _native.MemoryLimitBytes;
        if (requestedBytes > limit) return Refuse();
        var memory = _native.Memory;
        var current = memory.Length;
        if (requestedBytes <= current) return true;
        var target = Math.Min(Math.Max(requestedBytes, Math.Min(current + current / 5, requestedBytes + (96L << 20))), limit);
        var pages = (uint)((target - current + Memory.PageSize - 1) / Memory.PageSize);
        return memory.Grow(pages) >= 0 || Refuse();
    }

    private bool Refuse()
    {
        RefusedGrowths++;
        if (AbortOnRefusedGrowth) throw new MemoryLimitExceededException(_native.MemoryLimitBytes);
        return false;
    }

    /// <summary>When set, a refused growth unwinds the whole wasm call with <see cref="MemoryLimitExceededException"/>.</summary>
    internal bool AbortOnRefusedGrowth { get; set; }

    // struct tm of musl/wasm32: sec, min, hour, mday, mon, year-1900, wday, yday, isdst, gmtoff (i32 each), in UTC.
    // Proleptic Gregorian arithmetic, valid for the whole range of JavaScript dates.
    private void LocalTime(long seconds, int tm)
    {
        var days = FloorDiv(seconds, 86400);
        var secondOfDay = seconds - days * 86400;
        var (year, month, day) = CivilFromDays(days);
        Span<int> fields =
        [
            (int)(secondOfDay % 60), (int)(secondOfDay / 60 % 60), (int)(secondOfDay / 3600), day, month - 1,
            unchecked((int)(year - 1900)), (int)FloorMod(days + 4, 7), (int)(days - DaysFromCivil(year, 1, 1)), 0, 0,
        ];
        for (var i = 0; i < fields.Length; i++) _native.WriteInt32(tm + 4 * i, fields[i]);
    }

    private static long FloorDiv(long a, long b) => a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;

    // Howard Hinnant's days-from-civil algorithms (day 0 = 1970-01-01).
    private static (long Year, int Month, int Day) CivilFromDays(long z)
    {
        z += 719468;
        var era = FloorDiv(z, 146097);
        var doe = z - era * 146097;
        var yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        var day = (int)(doy - (153 * mp + 2) / 5 + 1);
        var month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day);
    }

    private static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = FloorDiv(year, 400);
        var yoe = year - era * 400;
        var doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private void TzSet(int timezone, int daylight, int stdName, int dstName)
    {
        _native.WriteInt32(timezone, 0);
        _native.WriteInt32(daylight, 0);
        _native.Memory.Write(stdName, "UTC\0"u8);
        _native.Memory.Write(dstName, "UTC\0"u8);
    }
}
