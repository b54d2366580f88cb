using System.Runtime.CompilerServices;
using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Compiler;

/// <summary>
/// The compiling execution engine: each module is translated to IL once (<see cref="ModuleCompiler"/>) and run as
/// machine code. Observable behavior — results, traps with their function and offset, fuel totals and exhaustion
/// points, the call-depth and value-slot limits, re-entrant host calls — is the interpreter's, which stays the
/// reference (see RATIONALE.md, "The compiler").
/// </summary>
internal sealed unsafe class CompilerEngine : IExecutionEngine
{
    private readonly Store _store;
    private readonly int _maxDepth;
    private readonly int _maxSlots;
    private readonly bool _canonicalize;
    private readonly ConditionalWeakTable<Instance, CompiledInstance> _contexts = new();

    private long _fuelStart;
    private int _nesting;

    public CompilerEngine(Store store)
    {
        if (IntPtr.Size != 8) throw new PlatformNotSupportedException("the wasm compiler needs a 64-bit process; use the interpreter");
        _store = store;
        _maxDepth = Math.Max(1, store.Options.MaxCallDepth);
        _maxSlots = Math.Max(1024, store.Options.MaxValueStackSlots);
        _canonicalize = store.Options.CanonicalizeNaNs;
    }

    public ExecState State { get; } = new();

    public long CurrentCallFuelConsumed => _nesting == 0 ? 0 : _fuelStart - State.Fuel;

    public long? CurrentCallFuelRemaining => _nesting == 0 || _fuelStart == long.MaxValue ? null : State.Fuel;

    public void SetCurrentCallFuelRemaining(long? remaining)
    {
        if (_nesting == 0) throw new InvalidOperationException("no call is running: the fuel of a call can only be changed from a host function it calls");
        if (remaining < 0) throw new ArgumentOutOfRangeException(nameof(remaining), "fuel cannot be negative");
        var consumed = _fuelStart - State.Fuel;
        State.Fuel = remaining ?? long.MaxValue - consumed;
        _fuelStart = State.Fuel + consumed;
    }

    public void Invoke(WasmFunction function, ReadOnlySpan<ulong> args, Span<ulong> results)
    {
        var type = function.Type;
        if (args.Length != type.Parameters.Length)
            throw new ArgumentException($"function {type} takes {type.Parameters.Length} arguments, got {args.Length}", nameof(args));
        if (results.Length < type.Results.Length)
            throw new ArgumentException($"function {type} returns {type.Results.Length} results, the span holds {results.Length}", nameof(results));
        var context = Context(function.Instance);
        var defined = function.Index - function.Instance.Module.ImportedFunctionCount;

        var state = State;
        var outermost = _nesting == 0;
        var savedDepth = state.HostDepthLeft;
        var savedSlots = state.HostSlotsLeft;
        var savedLimit = state.StackLimit;
        int depthLeft, slotsLeft;
        if (outermost)
        {
            _fuelStart = _store.FuelPerCall is { } budget ? Math.Max(0, budget) : long.MaxValue;
            state.Fuel = _fuelStart;
            depthLeft = _maxDepth;
            slotsLeft = _maxSlots;
        }
        else
        {
            depthLeft = state.HostDepthLeft;
            slotsLeft = state.HostSlotsLeft;
        }
        _nesting++;
        try
        {
            // The interpreter's entry checks: a frame for the entry, and its slots above the live frames.
            if (depthLeft <= 1 || slotsLeft < context.Code.FrameSizes[defined])
                throw new TrapException(TrapKind.CallStackExhausted, function.Index);
            state.StackLimit = StackSegments.CurrentLimit;
            var n = Math.Max(1, Math.Max(args.Length, type.Results.Length));
            var buffer = n <= 16 ? stackalloc ulong[n] : new ulong[n];
            args.CopyTo(buffer);
            fixed (ulong* p = buffer)
            {
                ((delegate*<object, ulong*, ulong*, int, int, void>)context.Code.Entries[defined])(context, p, p, depthLeft - 1, slotsLeft);
            }
            buffer[..type.Results.Length].CopyTo(results);
        }
        finally
        {
            state.HostDepthLeft = savedDepth;
            state.HostSlotsLeft = savedSlots;
            state.StackLimit = savedLimit;
            _nesting--;
            if (outermost) _store.FuelConsumed = _fuelStart - state.Fuel;
        }
    }

    /// <summary>The compiled view of <paramref name="instance"/>, made (and its module compiled) on first use.</summary>
    internal CompiledInstance Context(Instance instance)
    {
        if (_contexts.TryGetValue(instance, out var known)) return known;
        var context = new CompiledInstance(this, instance, ModuleCode.For(instance.Module, _canonicalize));
        for (var i = 0; i < context.Imports.Length; i++) context.Imports[i] = TargetFor(instance.Functions[i], context);
        _contexts.AddOrUpdate(instance, context);
        return context;
    }

    /// <summary>A call target for <paramref name="function"/> as called from <paramref name="caller"/>'s code.</summary>
    internal CallTarget TargetFor(Function function, CompiledInstance caller)
    {
        var typeId = TypeRegistry.Id(function.Type);
        if (function is HostFunction host)
        {
            return new CallTarget
            {
                TypeId = typeId,
                Fn = caller.Code.HostAdapters.GetValueOrDefault(typeId),
                Target = new HostTarget(State, _store, host, caller.Instance),
                DepthNeed = int.MinValue,
                FrameSize = int.MinValue / 2,
            };
        }
        var wasm = (WasmFunction)function;
        var context = Context(wasm.Instance);
        var defined = wasm.Index - wasm.Instance.Module.ImportedFunctionCount;
        return new CallTarget
        {
            TypeId = typeId,
            Fn = context.Code.Functions[defined],
            Target = context,
            DepthNeed = 1,
            FrameSize = context.Code.FrameSizes[defined],
        };
    }

    /// <summary>The call target for a funcref's store address, cached per caller; null if it names no function.</summary>
    internal CallTarget? TargetForAddress(CompiledInstance caller, ulong address)
    {
        if (address >= (ulong)_store.FunctionCount) return null;
        var target = TargetFor(_store.FunctionAt((int)address), caller);
        if (address >= (ulong)caller.ByAddress.Length)
        {
            var bigger = new CallTarget?[Math.Max((int)address + 1, Math.Max(64, caller.ByAddress.Length * 2))];
            caller.ByAddress.CopyTo(bigger, 0);
            caller.ByAddress = bigger;
        }
        caller.ByAddress[address] = target;
        return target;
    }
}
