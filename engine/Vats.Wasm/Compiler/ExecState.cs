using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vats.Wasm.Compiler;

/// <summary>
/// Per-store state shared by compiled code and the engine. Compiled functions keep fuel in a local and write it
/// here before every call, return and trap, and read it back after every call, so it is exact whenever a host
/// function (or the engine, after a trap) reads it.
/// </summary>
/// <remarks>
/// The fields compiled code touches live in a small pinned block that compiled code reaches through one pointer
/// (<see cref="CompiledInstance.StateBlock"/>) at the constant offsets below. As fields of this class, every access from
/// precompiled code would first load the field's offset from a fixup cell (a type of another assembly has no fixed
/// layout for crossgen2), and the object itself would have to be kept or reloaded besides.
/// </remarks>
internal sealed unsafe class ExecState
{
    public const int FuelOffset = 0;
    public const int HostDepthLeftOffset = 8;
    public const int HostSlotsLeftOffset = 12;
    public const int StackLimitOffset = 16;

    private readonly long[] _block = GC.AllocateArray<long>(3, pinned: true);

    public ExecState() => Block = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_block));

    /// <summary>Address of the pinned block (alive as long as this object).</summary>
    public nint Block { get; }

    /// <summary>Fuel left to the outermost call in progress.</summary>
    public ref long Fuel => ref *(long*)(Block + FuelOffset);

    /// <summary>
    /// Set by compiled code before a call that may reach a host function: the caller's remaining frame budget and
    /// value-slot budget above its own frame. A re-entrant call from the host starts from these, as the
    /// interpreter's nested calls start above the live frames.
    /// </summary>
    public ref int HostDepthLeft => ref *(int*)(Block + HostDepthLeftOffset);

    /// <inheritdoc cref="HostDepthLeft"/>
    public ref int HostSlotsLeft => ref *(int*)(Block + HostSlotsLeftOffset);

    /// <summary>
    /// Lowest stack address compiled code may use on the current thread before it continues on a fresh stack
    /// segment (see <see cref="StackSegments"/>).
    /// </summary>
    public ref nuint StackLimit => ref *(nuint*)(Block + StackLimitOffset);

    /// <summary>Results of functions with more than one result (the first ones, in order).</summary>
    public ulong[] Results = new ulong[16];
}
