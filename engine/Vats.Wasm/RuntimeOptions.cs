namespace Vats.Wasm;

/// <summary>
/// Limits and determinism switches for everything run in one <see cref="Runtime.Store"/>. One object, so a host
/// running untrusted code sets all of its bounds in one place.
/// </summary>
public sealed record RuntimeOptions
{
    /// <summary>
    /// Largest memory size in 64 KiB pages that memory.grow (from wasm or the host) may reach, whatever the
    /// module declares. Growth beyond it fails (returns -1), it does not trap. The default, 32767 pages
    /// (2 GiB − 64 KiB), is the most a single .NET array can hold.
    /// </summary>
    public uint MaxMemoryPages { get; init; } = 32767;

    /// <summary>Largest table size in elements that table.grow may reach.</summary>
    public uint MaxTableElements { get; init; } = 10_000_000;

    /// <summary>
    /// Most nested wasm frames (wasm-to-wasm calls plus re-entrant calls from host functions) before the call
    /// traps with <see cref="Errors.TrapKind.CallStackExhausted"/>. Independent of the .NET stack.
    /// </summary>
    public int MaxCallDepth { get; init; } = 50_000;

    /// <summary>Most 64-bit value-stack slots (locals plus operands of all live frames) before exhaustion.</summary>
    public int MaxValueStackSlots { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// When true (the default), every NaN produced by a float operation is replaced by the canonical NaN
    /// (sign 0, quiet bit only), so results do not depend on the CPU.
    /// </summary>
    public bool CanonicalizeNaNs { get; init; } = true;

    /// <summary>
    /// Fuel available to each top-level call (re-entrant calls from host functions share their caller's budget);
    /// null means unlimited. Fuel is counted either way; see <see cref="Runtime.Store.FuelConsumed"/>.
    /// Every executed instruction costs 1 except block, loop, else, end and nop (0); running out is a
    /// <see cref="Errors.TrapKind.OutOfFuel"/> trap at the same instruction on every run.
    /// </summary>
    public long? FuelPerCall { get; init; }

    /// <summary>
    /// How wasm code runs. Both engines give the same results, traps (kind, function, offset), fuel totals and
    /// snapshots; they differ only in speed and start-up cost.
    /// </summary>
    public ExecutionEngineKind Engine { get; init; } = ExecutionEngineKind.Interpreter;
}

/// <summary>The ways a <see cref="Runtime.Store"/> can execute wasm code.</summary>
public enum ExecutionEngineKind
{
    /// <summary>Lowers each function to a compact operation array run by one loop: no code generation, quick start.</summary>
    Interpreter,

    /// <summary>
    /// Translates each module to .NET IL, compiled to machine code by the .NET JIT (or loaded precompiled): much
    /// faster for long-running code. Needs a 64-bit process with dynamic code support.
    /// </summary>
    Compiler,
}
