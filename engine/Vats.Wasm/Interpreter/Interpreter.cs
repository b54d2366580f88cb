using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Interpreter;

/// <summary>
/// The execution engine: wasm functions are lowered once (on first call) to a flat operation array and run by
/// one loop (<see cref="Run"/>). All frames of a store share one value stack and one frame stack, both on the
/// heap, so deep wasm recursion traps with <see cref="TrapKind.CallStackExhausted"/> instead of overflowing the
/// .NET stack. Host functions may call back in; the nested call runs above the live frames.
/// </summary>
/// <remarks>
/// Fuel: every executed wasm instruction costs 1, except the purely structural block, loop, else, end and nop,
/// which cost 0 (they execute nothing). Instructions skipped by a branch cost nothing. Every loop iteration
/// and every call costs at least 1 (the branch back, the call), so a finite budget always ends execution.
/// The cost of each straight-line run (from a function entry, a branch target, or the instruction after a
/// br_if or an if, up to the next such point) is charged when the run starts; if the remaining fuel is less
/// than the run's cost the call traps with <see cref="TrapKind.OutOfFuel"/> before executing any of it. A run
/// cut short by a trap is charged in full. The caller's run pays for a call instruction; the callee pays for
/// its body. Host functions cost nothing beyond the call instruction (wasm they call back into is charged).
/// </remarks>
internal sealed unsafe partial class Interpreter : IExecutionEngine
{
    private const int InitialStackSlots = 1 << 16;
    private const int InitialFrames = 256;

    private readonly Store _store;
    private readonly bool _canonicalize;
    private readonly int _maxDepth;
    private readonly int _maxSlots;

    private ulong[] _stack;
    private ulong* _stackBase;
    private int _stackTop;

    private Frame[] _frames = new Frame[InitialFrames];
    private int _frameCount;

    // The running function, its frame and instance (see Run).
    // Ids, not references, so that calls and returns store no object references (no GC write barriers).
    private int _fnId;
    private int _fp;
    private InstanceContext _ctx = null!;

    private long _fuel;
    private long _fuelStart;
    private int _nesting;

    private readonly Dictionary<FuncType, int> _typeIds = new();
    private readonly ConditionalWeakTable<Instance, InstanceContext> _contexts = new();
    private CompiledFunction?[] _byAddress = new CompiledFunction?[64];
    private CompiledFunction[] _byId = new CompiledFunction[64];
    private int _idCount;

    public Interpreter(Store store)
    {
        _store = store;
        _canonicalize = store.Options.CanonicalizeNaNs;
        _maxDepth = Math.Max(1, store.Options.MaxCallDepth);
        _maxSlots = Math.Max(1024, store.Options.MaxValueStackSlots);
        _stack = GC.AllocateArray<ulong>(Math.Min(InitialStackSlots, _maxSlots), pinned: true);
        _stackBase = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_stack));
    }

    internal struct Frame
    {
        public int FunctionId; // -1 marks the entry of an Invoke
        public int ReturnPc;
        public int Fp;

        // The caller's code (saves looking the function up on return), and whether the call entered another
        // instance (only then does the return restore the instance context).
        public int* Code;
        public bool CrossInstance;
    }

    // The run loop keeps fuel in a local and writes it back to _fuel before every host call, so these are
    // exact when read from inside a host function.
    public long CurrentCallFuelConsumed => _nesting == 0 ? 0 : _fuelStart - _fuel;

    public long? CurrentCallFuelRemaining => _nesting == 0 || _fuelStart == long.MaxValue ? null : _fuel;

    public void SetCurrentCallFuelRemaining(long? remaining)
    {
        if (_nesting == 0) throw new InvalidOperationException("no call is running: the fuel of a call can only be changed from a host function it calls");
        if (remaining < 0) throw new ArgumentOutOfRangeException(nameof(remaining), "fuel cannot be negative");
        // Keep consumed (= _fuelStart - _fuel) continuous; an unmetered rest keeps _fuelStart at long.MaxValue,
        // which is how CurrentCallFuelRemaining recognizes an unmetered call. Run reloads _fuel after the host call.
        var consumed = _fuelStart - _fuel;
        _fuel = remaining ?? long.MaxValue - consumed;
        _fuelStart = _fuel + consumed;
    }

    public void Invoke(WasmFunction function, ReadOnlySpan<ulong> args, Span<ulong> results)
    {
        var callee = Resolve(function);
        if (args.Length != callee.ParamCount)
            throw new ArgumentException($"function {callee.Type} takes {callee.ParamCount} arguments, got {args.Length}", nameof(args));
        if (results.Length < callee.ResultCount)
            throw new ArgumentException($"function {callee.Type} returns {callee.ResultCount} results, the span holds {results.Length}", nameof(results));

        var outermost = _nesting == 0;
        var savedFrames = _frameCount;
        var savedTop = _stackTop;
        if (outermost)
        {
            _fuelStart = _store.FuelPerCall is { } budget ? Math.Max(0, budget) : long.MaxValue;
            _fuel = _fuelStart;
            _frameCount = 0;
            _stackTop = 0;
            savedFrames = 0;
            savedTop = 0;
        }
        _nesting++;
        try
        {
            if (callee.Code is null) Lower(callee);
            if (_frameCount + 1 >= _maxDepth) throw new TrapException(TrapKind.CallStackExhausted, callee.Index);
            var fp = _stackTop;
            EnsureStack(fp + callee.FrameSize, callee, -1);
            var s = _stackBase + fp;
            for (var i = 0; i < args.Length; i++) s[i] = args[i];
            new Span<ulong>(s + args.Length, callee.LocalCount - args.Length).Clear();
            PushFrame(new Frame { FunctionId = -1, ReturnPc = 0, Fp = 0 });
            Run(callee, fp);
            s = _stackBase + fp;
            for (var i = 0; i < callee.ResultCount; i++) results[i] = s[i];
        }
        finally
        {
            _frameCount = savedFrames;
            _stackTop = savedTop;
            _nesting--;
            if (outermost) _store.FuelConsumed = _fuelStart - _fuel;
        }
    }

    private void PushFrame(Frame frame)
    {
        if (_frameCount == _frames.Length) Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_frameCount++] = frame;
    }

    /// <summary>Makes the value stack hold at least <paramref name="slots"/> slots, or traps.</summary>
    private void EnsureStack(long slots, CompiledFunction at, int pc)
    {
        if (slots <= _stack.Length) return;
        if (slots > _maxSlots) throw Trap(TrapKind.CallStackExhausted, at, pc);
        var size = (long)_stack.Length;
        while (size < slots) size *= 2;
        size = Math.Min(size, _maxSlots);
        var bigger = GC.AllocateArray<ulong>((int)size, pinned: true);
        _stack.AsSpan().CopyTo(bigger);
        _stack = bigger;
        _stackBase = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(bigger));
    }

    private TrapException Trap(TrapKind kind, CompiledFunction function, int pc) =>
        new(kind, function.Index, pc >= 0 && pc < function.Offsets.Length ? function.Offsets[pc] : -1);

    private int TypeId(FuncType type)
    {
        if (!_typeIds.TryGetValue(type, out var id))
        {
            id = _typeIds.Count;
            _typeIds.Add(type, id);
        }
        return id;
    }

    /// <summary>The interpreter's object for a function of this store.</summary>
    internal CompiledFunction Resolve(Function function)
    {
        if (function is WasmFunction { Compiled: CompiledFunction known }) return known;
        var address = function.Address;
        if (address < 0) throw new InvalidOperationException("function is not registered in a store");
        if (address < _byAddress.Length && _byAddress[address] is { } cached) return cached;
        var created = new CompiledFunction(function, TypeId(function.Type), _idCount);
        if (_idCount == _byId.Length) Array.Resize(ref _byId, _idCount * 2);
        _byId[_idCount++] = created;
        if (function is WasmFunction wasm) wasm.Compiled = created;
        if (address >= _byAddress.Length) Array.Resize(ref _byAddress, Math.Max(address + 1, _byAddress.Length * 2));
        _byAddress[address] = created;
        return created;
    }

    /// <summary>The function a funcref points to (call_indirect), or null if it points nowhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CompiledFunction? ResolveAddress(ulong bits)
    {
        var address = bits - 1;
        if (address < (ulong)_byAddress.Length && _byAddress[address] is { } cached) return cached;
        // A reference the host stored into a table need not name a function of this store.
        return address < (ulong)_store.FunctionCount ? Resolve(_store.FunctionAt((int)address)) : null;
    }

    private InstanceContext Context(Instance instance)
    {
        if (_contexts.TryGetValue(instance, out var context)) return context;
        var functions = instance.Functions;
        var callees = new CompiledFunction[functions.Length];
        for (var i = 0; i < functions.Length; i++) callees[i] = Resolve(functions[i]);
        var types = instance.Module.Types;
        var typeIds = new int[types.Count];
        for (var i = 0; i < typeIds.Length; i++) typeIds[i] = TypeId(types[i]);
        context = new InstanceContext(instance, callees, typeIds);
        _contexts.Add(instance, context);
        return context;
    }

    private void Lower(CompiledFunction function)
    {
        var wasm = function.Wasm!;
        FunctionLowerer.Lower(wasm.Instance.Module, Context(wasm.Instance), function);
    }

    /// <summary>Calls a host function with its arguments at <paramref name="argSlot"/>; results land there too.</summary>
    private void CallHost(CompiledFunction callee, int argSlot, Instance caller)
    {
        var n = Math.Max(callee.ParamCount, callee.ResultCount);
        Span<ulong> values = n <= 16 ? stackalloc ulong[n] : new ulong[n];
        new ReadOnlySpan<ulong>(_stackBase + argSlot, callee.ParamCount).CopyTo(values);
        callee.Host!.Callback(new HostContext(_store, caller), values);
        values[..callee.ResultCount].CopyTo(new Span<ulong>(_stackBase + argSlot, callee.ResultCount));
    }
}
