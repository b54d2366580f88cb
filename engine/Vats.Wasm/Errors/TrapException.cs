namespace Vats.Wasm.Errors;

/// <summary>
/// A WebAssembly trap. Carries where it happened: the function (index in its module's function index space,
/// -1 when raised outside wasm code) and the byte offset of the instruction in the module binary (-1 if unknown).
/// </summary>
public sealed class TrapException : WasmException
{
    /// <summary>Creates a trap.</summary>
    public TrapException(TrapKind kind, int functionIndex = -1, int instructionOffset = -1, string? detail = null, Exception? inner = null)
        : base(Describe(kind, functionIndex, instructionOffset, detail), inner)
    {
        Kind = kind;
        FunctionIndex = functionIndex;
        InstructionOffset = instructionOffset;
    }

    /// <summary>Why execution stopped.</summary>
    public TrapKind Kind { get; }

    /// <summary>Function index in the module's function index space, or -1.</summary>
    public int FunctionIndex { get; }

    /// <summary>Byte offset of the trapping instruction in the module binary, or -1.</summary>
    public int InstructionOffset { get; }

    private static string Describe(TrapKind kind, int function, int offset, string? detail)
    {
        var text = kind.SpecMessage();
        if (detail is not null) text += $" ({detail})";
        if (function >= 0) text += $" in function {function}";
        if (offset >= 0) text += $" at byte 0x{offset:x}";
        return text;
    }
}
