namespace Vats.Wasm.Compiler;

/// <summary>
/// Per-store state shared by compiled code and the engine. Compiled functions keep fuel in a local and write it
/// here before every call, return and trap, and read it back after every call, so it is exact whenever a host
/// function (or the engine, after a trap) reads it.
/// </summary>
internal sealed class ExecState
{
    /// <summary>Fuel left to the outermost call in progress.</summary>
    public long Fuel;

    /// <summary>
    /// Set by compiled code before a call that may reach a host function: the caller's remaining frame budget and
    /// value-slot budget above its own frame. A re-entrant call from the host starts from these, as the
    /// interpreter's nested calls start above the live frames.
    /// </summary>
    public int HostDepthLeft;

    /// <inheritdoc cref="HostDepthLeft"/>
    public int HostSlotsLeft;

    /// <summary>
    /// Lowest stack address compiled code may use on the current thread before it continues on a fresh stack
    /// segment (see <see cref="StackSegments"/>).
    /// </summary>
    public nuint StackLimit;

    /// <summary>Results of functions with more than one result (the first ones, in order).</summary>
    public ulong[] Results = new ulong[16];
}
