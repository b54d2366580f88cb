using System.Text;
using Vats.Wasm;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.QuickJs.Native;

/// <summary>
/// One instance of the QuickJS wasm and typed calls of its exports. Every call goes through one gate that
/// gives top-level calls the remaining fuel of the current engine operation, adds up what they used and, after a
/// trap, marks the instance faulted (QuickJS was stopped half-way and its shadow stack pointer is lost).
/// Pointers are wasm addresses (i32).
/// </summary>
internal sealed class QuickJsNative
{
    /// <summary>Pages of the initial memory, as the glue creates it (16 MiB).</summary>
    internal const uint InitialPages = 256;

    /// <summary>The memory import's declared maximum (2 GiB).</summary>
    internal const uint DeclaredMaxPages = 32768;

    private readonly Function[] _exports;
    private int _depth;

    internal QuickJsNative(CompiledModule module, uint memoryLimitPages, NativeImports.ICallbacks callbacks,
        ExecutionEngineKind engine = ExecutionEngineKind.Interpreter)
    {
        if (engine == ExecutionEngineKind.Compiler) PrecompiledQuickJs.EnsureRegistered();
        Store = new Store(new RuntimeOptions
        {
            MaxMemoryPages = memoryLimitPages,
            // QuickJS's own stack check must fire before the runtime's frame limit; JS recursion costs a few
            // wasm frames per level and QuickJS's parser recurses too.
            MaxCallDepth = 400_000,
            MaxValueStackSlots = 64 * 1024 * 1024,
            Engine = engine,
        });
        Memory = new Memory(new MemoryType(new Limits(InitialPages, DeclaredMaxPages)), memoryLimitPages);
        MemoryLimitBytes = memoryLimitPages * (long)Wasm.Runtime.Memory.PageSize;
        Imports = new NativeImports(this, callbacks);
        Instance = Instance.Instantiate(Store, module, Imports.Build());
        _exports = new Function[ExportTable.Entries.Length];
        for (var i = 0; i < _exports.Length; i++) _exports[i] = Instance.GetFunction(ExportTable.Entries[i].WasmName);
    }

    internal Store Store { get; }

    internal Memory Memory { get; }

    internal Instance Instance { get; }

    internal NativeImports Imports { get; }

    internal long MemoryLimitBytes { get; }

    /// <summary>Fuel budget of the current engine operation; null = unlimited.</summary>
    internal long? FuelLimit { get; set; }

    /// <summary>
    /// The meter index: fuel used so far by the current engine operation, including the top-level call in progress
    /// (exact when read from a host function). Setting it moves the index as xsnap's <c>resetMeter</c> does; the call in
    /// progress keeps counting from the new value.
    /// </summary>
    internal long FuelUsed
    {
        get => _fuelBase + Store.CurrentCallFuelConsumed;
        set => _fuelBase = value - Store.CurrentCallFuelConsumed;
    }

    // Fuel of the operation's completed top-level calls, shifted by resets; the call in progress adds its own.
    private long _fuelBase;

    /// <summary>Why the instance is unusable, or null.</summary>
    internal Exception? Fault { get; private set; }

    /// <summary>True while an export call is running (host callbacks see true).</summary>
    internal bool InCall => _depth > 0;

    internal void ThrowIfFaulted()
    {
        if (Fault is not null) throw new EngineFaultedException($"the engine is faulted ({Fault.Message}); restore a snapshot into a new engine", Fault);
    }

    private ulong Call(Export export, ReadOnlySpan<ulong> args)
    {
        ThrowIfFaulted();
        var function = _exports[(int)export];
        Span<ulong> result = stackalloc ulong[1];
        var top = _depth == 0;
        if (top) Store.FuelPerCall = FuelLimit is { } limit ? Math.Max(0, limit - FuelUsed) : null;
        _depth++;
        try
        {
            function.Invoke(args, function.Type.Results.Length == 0 ? [] : result);
        }
        catch (Exception e) when (top)
        {
            Fault = e;
            if (e is TrapException { Kind: TrapKind.OutOfFuel }) throw new FuelExhaustedException();
            if (e is MemoryLimitExceededException) throw;
            throw new EngineFaultedException($"QuickJS trapped in {ExportTable.Entries[(int)export].CName}: {e.Message}", e);
        }
        finally
        {
            _depth--;
            if (top) _fuelBase += Store.FuelConsumed;
        }
        return result[0];
    }

    private static ulong I(int value) => (uint)value;

    private int CallI(Export export, ReadOnlySpan<ulong> args) => (int)(uint)Call(export, args);

    // ----- exports (C names without the QTS_ prefix) -----

    internal void CallCtors() => Call(Export.WasmCallCtors, []);

    internal int Malloc(int size) => CallI(Export.Malloc, [I(size)]);

    internal void Free(int pointer) => Call(Export.Free, [I(pointer)]);

    internal int Throw(int ctx, int error) => CallI(Export.Throw, [I(ctx), I(error)]);

    internal int NewError(int ctx) => CallI(Export.NewError, [I(ctx)]);

    internal void RuntimeSetMaxStackSize(int rt, int bytes) => Call(Export.RuntimeSetMaxStackSize, [I(rt), I(bytes)]);

    internal int GetUndefined() => CallI(Export.GetUndefined, []);

    internal int NewRuntime() => CallI(Export.NewRuntime, []);

    internal void FreeRuntime(int rt) => Call(Export.FreeRuntime, [I(rt)]);

    internal int NewContext(int rt, int intrinsics) => CallI(Export.NewContext, [I(rt), I(intrinsics)]);

    internal void FreeContext(int ctx) => Call(Export.FreeContext, [I(ctx)]);

    internal void FreeValue(int ctx, int box) => Call(Export.FreeValuePointer, [I(ctx), I(box)]);

    internal void FreeValueRuntime(int rt, int box) => Call(Export.FreeValuePointerRuntime, [I(rt), I(box)]);

    internal void FreeCString(int ctx, int pointer) => Call(Export.FreeCString, [I(ctx), I(pointer)]);

    internal int DupValue(int ctx, int box) => CallI(Export.DupValuePointer, [I(ctx), I(box)]);

    internal int NewObject(int ctx) => CallI(Export.NewObject, [I(ctx)]);

    internal int NewArrayBuffer(int ctx, int buffer, int length) => CallI(Export.NewArrayBuffer, [I(ctx), I(buffer), I(length)]);

    internal int NewFloat64(int ctx, double value) => CallI(Export.NewFloat64, [I(ctx), BitConverter.DoubleToUInt64Bits(value)]);

    internal double GetFloat64(int ctx, int box) => BitConverter.UInt64BitsToDouble(Call(Export.GetFloat64, [I(ctx), I(box)]));

    internal int NewStringRaw(int ctx, int utf8z) => CallI(Export.NewString, [I(ctx), I(utf8z)]);

    internal int GetStringRaw(int ctx, int box) => CallI(Export.GetString, [I(ctx), I(box)]);

    internal int GetArrayBuffer(int ctx, int box) => CallI(Export.GetArrayBuffer, [I(ctx), I(box)]);

    internal int GetArrayBufferLength(int ctx, int box) => CallI(Export.GetArrayBufferLength, [I(ctx), I(box)]);

    internal int IsJobPending(int rt) => CallI(Export.IsJobPending, [I(rt)]);

    internal int ExecutePendingJob(int rt, int max, int lastContextSlot) => CallI(Export.ExecutePendingJob, [I(rt), I(max), I(lastContextSlot)]);

    internal int GetProp(int ctx, int obj, int key) => CallI(Export.GetProp, [I(ctx), I(obj), I(key)]);

    internal void SetProp(int ctx, int obj, int key, int value) => Call(Export.SetProp, [I(ctx), I(obj), I(key), I(value)]);

    internal int CallFunction(int ctx, int function, int thisBox, int argc, int argvPointers) =>
        CallI(Export.Call, [I(ctx), I(function), I(thisBox), I(argc), I(argvPointers)]);

    internal int ResolveException(int ctx, int maybe) => CallI(Export.ResolveException, [I(ctx), I(maybe)]);

    internal int Eval(int ctx, int code, int length, int fileName, int detectModule, int flags) =>
        CallI(Export.Eval, [I(ctx), I(code), I(length), I(fileName), I(detectModule), I(flags)]);

    internal void RuntimeEnableModuleLoader(int rt, int useCustomNormalize) => Call(Export.RuntimeEnableModuleLoader, [I(rt), I(useCustomNormalize)]);

    internal int TypeofRaw(int ctx, int box) => CallI(Export.Typeof, [I(ctx), I(box)]);

    internal int GetGlobalObject(int ctx) => CallI(Export.GetGlobalObject, [I(ctx)]);

    internal int NewFunctionRaw(int ctx, int name, int isConstructor, int hostRefId) =>
        CallI(Export.NewFunction, [I(ctx), I(name), 0, I(isConstructor), I(hostRefId)]);

    // ----- memory helpers -----

    /// <summary>mallocs a NUL-terminated UTF-8 copy of <paramref name="text"/>; the caller frees it.</summary>
    internal int MallocCString(string text) => MallocCString(Encoding.UTF8.GetBytes(text));

    internal int MallocCString(ReadOnlySpan<byte> utf8)
    {
        var pointer = Malloc(utf8.Length + 1);
        if (pointer == 0) throw new OutOfMemoryException("QuickJS heap is full (malloc returned 0)");
        var target = Memory.Slice(pointer, utf8.Length + 1);
        utf8.CopyTo(target);
        target[utf8.Length] = 0;
        return pointer;
    }

    /// <summary>The NUL-terminated UTF-8 (WTF-8 for lone surrogates) string at <paramref name="pointer"/>.</summary>
    internal string ReadCString(int pointer) =>
        Encoding.UTF8.GetString(Memory.Slice(pointer, Memory.StringLength(pointer)));

    internal int ReadInt32(int address) => Memory.ReadInt32(address);

    internal void WriteInt32(int address, int value) => Memory.WriteInt32(address, value);

    /// <summary>The exports this class calls, in export-table order.</summary>
    private enum Export
    {
        WasmCallCtors, Malloc, Throw, NewError, RuntimeSetMemoryLimit, RuntimeComputeMemoryUsage, RuntimeDumpMemoryUsage,
        RecoverableLeakCheck, BuildIsSanitizeLeak, RuntimeSetMaxStackSize, GetUndefined, GetNull, GetFalse, GetTrue,
        NewHostRef, GetHostRefId, NewRuntime, FreeRuntime, Free, NewContext, FreeContext, FreeValuePointer,
        FreeValuePointerRuntime, FreeVoidPointer, FreeCString, DupValuePointer, NewObject, NewObjectProto, NewArray,
        NewArrayBuffer, NewFloat64, GetFloat64, NewString, GetString, GetArrayBuffer, GetArrayBufferLength, NewSymbol,
        GetSymbolDescriptionOrKey, IsGlobalSymbol, IsJobPending, ExecutePendingJob, GetProp, GetPropNumber, SetProp,
        DefineProp, GetOwnPropertyNames, Call, ResolveException, Dump, Eval, GetModuleNamespace, Typeof, GetLength,
        IsEqual, GetGlobalObject, NewPromiseCapability, PromiseState, PromiseResult, TestStringArg, GetDebugLogEnabled,
        SetDebugLogEnabled, BuildIsDebug, BuildIsAsyncify, NewFunction, ArgvGetJSValueConstPointer,
        RuntimeEnableInterruptHandler, RuntimeDisableInterruptHandler, RuntimeEnableModuleLoader,
        RuntimeDisableModuleLoader, BjsonEncode, BjsonDecode, EmscriptenTimeout, EmscriptenStackRestore,
        EmscriptenStackAlloc, EmscriptenStackGetCurrent,
    }
}
