using Vats.Wasm.Runtime;

namespace Vats.Wasm.Compiler;

/// <summary>
/// What compiled code of one instance reads at run time: the store's shared state, memory 0, globals, tables, the
/// resolved imports and references. Passed to every compiled function as its context argument. Holds no state of
/// its own that outlives a call, so snapshots see only the instance's objects.
/// </summary>
internal sealed class CompiledInstance
{
    public CompiledInstance(CompilerEngine engine, Instance instance, ModuleCode code)
    {
        Engine = engine;
        Instance = instance;
        Code = code;
        State = engine.State;
        StateBlock = State.Block;
        Memory = instance.Memories.Length > 0 ? instance.Memories[0] : null;
        MemoryBlock = Memory?.CompiledBlock ?? 0;
        Globals = instance.Globals;
        GlobalCells = new nint[Globals.Length];
        for (var i = 0; i < GlobalCells.Length; i++) GlobalCells[i] = Globals[i].Cell;
        Tables = instance.Tables;
        FuncRefs = new ulong[instance.Functions.Length];
        for (var i = 0; i < FuncRefs.Length; i++) FuncRefs[i] = (ulong)instance.Functions[i].Address + 1;
        Imports = new CallTarget[instance.Module.ImportedFunctionCount];
    }

    public readonly CompilerEngine Engine;
    public readonly Instance Instance;
    public readonly ModuleCode Code;
    public readonly ExecState State;

    /// <summary><see cref="ExecState.Block"/>, what compiled code reads and writes fuel and limits through.</summary>
    public readonly nint StateBlock;
    public readonly Memory? Memory;

    /// <summary><see cref="Runtime.Memory.CompiledBlock"/> of memory 0 (0 without one): base and bounds limit.</summary>
    public readonly nint MemoryBlock;
    public readonly Global[] Globals;

    /// <summary>Each global's <see cref="Global.Cell"/>: compiled code loads and stores the bits through it.</summary>
    public readonly nint[] GlobalCells;
    public readonly Table[] Tables;

    /// <summary>funcref value (store address + 1) of each function index.</summary>
    public readonly ulong[] FuncRefs;

    /// <summary>Imported functions as call targets (filled once every context exists).</summary>
    public readonly CallTarget[] Imports;

    /// <summary>call_indirect targets by store address, made on first use.</summary>
    public CallTarget?[] ByAddress = [];
}
