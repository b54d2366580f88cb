namespace Vats.Wasm.Model;

/// <summary>The code of one defined function.</summary>
public sealed class FunctionBody
{
    /// <summary>Creates a body.</summary>
    public FunctionBody(ValType[] locals, ReadOnlyMemory<byte> code, int codeOffset)
    {
        Locals = locals;
        Code = code;
        CodeOffset = codeOffset;
    }

    /// <summary>Declared locals (parameters not included), one entry per local.</summary>
    public ValType[] Locals { get; }

    /// <summary>The instruction bytes, including the final `end` opcode.</summary>
    public ReadOnlyMemory<byte> Code { get; }

    /// <summary>Byte offset of <see cref="Code"/>[0] in the module binary; add it to a position in Code for error messages.</summary>
    public int CodeOffset { get; }
}
