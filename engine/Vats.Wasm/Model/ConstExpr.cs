using Vats.Wasm.Binary;

namespace Vats.Wasm.Model;

/// <summary>
/// One instruction of a constant expression as decoded. The decoder accepts any well-formed instruction here;
/// the validator decides which are constant.
/// </summary>
/// <param name="Opcode">The instruction.</param>
/// <param name="Immediate">The first immediate: the constant's bits for *.const (f32/f64 as raw IEEE bits,
/// i32 sign-extended), the index for global.get/ref.func, the <see cref="ValType"/> byte for ref.null.</param>
/// <param name="Offset">Byte offset of the opcode in the module binary.</param>
public readonly record struct ConstInstruction(Opcode Opcode, ulong Immediate, int Offset);

/// <summary>A constant expression (global initializers, segment offsets, element items), without its final `end`.</summary>
public sealed class ConstExpr
{
    /// <summary>Creates an expression.</summary>
    public ConstExpr(ConstInstruction[] instructions, int offset)
    {
        Instructions = instructions;
        Offset = offset;
    }

    /// <summary>The instructions before the terminating `end`.</summary>
    public ConstInstruction[] Instructions { get; }

    /// <summary>Byte offset of the first instruction.</summary>
    public int Offset { get; }

    /// <summary>A synthetic `ref.func index` expression, used for element segments given as function indices.</summary>
    public static ConstExpr RefFunc(uint functionIndex, int offset) =>
        new([new ConstInstruction(Opcode.RefFunc, functionIndex, offset)], offset);
}
