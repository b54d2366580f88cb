using Vats.Wasm.Runtime;

namespace Vats.Wasm.Compiler;

/// <summary>
/// A callee reached through an import or a table, as compiled code sees it: a function pointer with the compiled
/// calling convention (parameters, context, frames left, slots left), the context object to pass, and what the
/// caller checks first. Host functions get values that never fail the checks, since the interpreter does not
/// count host calls as frames.
/// </summary>
internal sealed class CallTarget
{
    /// <summary>Canonical signature id (<see cref="TypeRegistry"/>).</summary>
    public int TypeId;

    /// <summary>The compiled function or host adapter; 0 when this module has no adapter of that signature.</summary>
    public nint Fn;

    /// <summary>The callee's <see cref="CompiledInstance"/>, or a <see cref="HostTarget"/>.</summary>
    public object Target = null!;

    /// <summary>Fewest frames the caller must have left to call (1 for wasm, int.MinValue for host functions).</summary>
    public int DepthNeed;

    /// <summary>Slots the callee's frame needs (int.MinValue / 2 for host functions).</summary>
    public int FrameSize;

    /// <summary>Trap kind + 1 for the sentinel targets that make call_indirect trap; 0 for real callees.</summary>
    public int Trap;

    public static readonly CallTarget Undefined = new() { Trap = 1 + (int)Errors.TrapKind.UndefinedElement };
    public static readonly CallTarget Uninitialized = new() { Trap = 1 + (int)Errors.TrapKind.UninitializedElement };
    public static readonly CallTarget Mismatch = new() { Trap = 1 + (int)Errors.TrapKind.IndirectCallTypeMismatch };
}

/// <summary>A host function as a call target of one calling instance.</summary>
internal sealed class HostTarget
{
    public HostTarget(ExecState state, Store store, HostFunction function, Instance caller)
    {
        State = state;
        Store = store;
        Function = function;
        Caller = caller;
        ValueCount = Math.Max(function.Type.Parameters.Length, function.Type.Results.Length);
    }

    public readonly ExecState State;
    public readonly Store Store;
    public readonly HostFunction Function;
    public readonly Instance Caller;

    /// <summary>Length of the value span the callback gets: max(parameters, results).</summary>
    public readonly int ValueCount;
}
