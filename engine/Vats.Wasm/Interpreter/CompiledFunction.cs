using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vats.Wasm.Model;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.Interpreter;

/// <summary>
/// The interpreter's view of a callable function: a wasm function (lowered on its first call) or a host function.
/// One object per function in the store, so a call site resolves its callee once.
/// </summary>
internal sealed unsafe class CompiledFunction
{
    public CompiledFunction(Function function, int typeId, int id)
    {
        Id = id;
        Function = function;
        Wasm = function as WasmFunction;
        Host = function as HostFunction;
        Type = function.Type;
        TypeId = typeId;
        ParamCount = Type.Parameters.Length;
        ResultCount = Type.Results.Length;
    }

    /// <summary>Index in the interpreter's function list; frames refer to functions by it.</summary>
    public readonly int Id;

    public readonly Function Function;
    public readonly WasmFunction? Wasm;
    public readonly HostFunction? Host;
    public readonly FuncType Type;

    /// <summary>Canonical id of <see cref="Type"/>: equal ids mean structurally equal signatures.</summary>
    public readonly int TypeId;

    public readonly int ParamCount;
    public readonly int ResultCount;

    // Set by lowering (wasm functions only).

    /// <summary>Lowered code; null until lowered. Pinned, <see cref="CodePtr"/> points at it.</summary>
    public int[]? Code;

    public int* CodePtr;

    /// <summary>Absolute wasm byte offset of the instruction each operation came from, indexed by pc.</summary>
    public int[] Offsets = [];

    /// <summary>Parameters plus declared locals.</summary>
    public int LocalCount;

    /// <summary>Slots a frame needs: locals plus the highest operand stack.</summary>
    public int FrameSize;

    public InstanceContext Context = null!;

    public int Index => Wasm?.Index ?? -1;

    public void SetCode(int[] code, int length, int[] offsets)
    {
        var pinned = GC.AllocateArray<int>(length, pinned: true);
        Array.Copy(code, pinned, length);
        Offsets = offsets.AsSpan(0, length).ToArray();
        CodePtr = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        Code = pinned;
    }
}

/// <summary>Per-instance state the interpreter loop needs, resolved once.</summary>
internal sealed class InstanceContext
{
    public InstanceContext(Instance instance, CompiledFunction[] callees, int[] typeIds)
    {
        Instance = instance;
        Callees = callees;
        TypeIds = typeIds;
        Globals = instance.Globals;
        Tables = instance.Tables;
        Memory = instance.Memories.Length > 0 ? instance.Memories[0] : null;
    }

    public readonly Instance Instance;

    /// <summary>The function index space resolved to callees.</summary>
    public readonly CompiledFunction[] Callees;

    /// <summary>Canonical type id per type index of the module.</summary>
    public readonly int[] TypeIds;

    public readonly Global[] Globals;
    public readonly Table[] Tables;
    public readonly Memory? Memory;
}
