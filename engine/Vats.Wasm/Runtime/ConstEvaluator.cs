using Vats.Wasm.Binary;
using Vats.Wasm.Model;

namespace Vats.Wasm.Runtime;

/// <summary>Evaluates a validated constant expression during instantiation.</summary>
internal static class ConstEvaluator
{
    public static ulong Evaluate(ConstExpr expr, Global[] globals, Function[] functions)
    {
        // Validation guarantees exactly one value-producing instruction (2.0 has no extended constants).
        var instruction = expr.Instructions[^1];
        return instruction.Opcode switch
        {
            Opcode.I32Const => (uint)instruction.Immediate,
            Opcode.I64Const or Opcode.F32Const or Opcode.F64Const => instruction.Immediate,
            Opcode.RefNull => 0,
            Opcode.RefFunc => (ulong)functions[(int)instruction.Immediate].Address + 1,
            Opcode.GlobalGet => globals[(int)instruction.Immediate].Bits,
            _ => throw new InvalidOperationException($"not a constant instruction: {instruction.Opcode}"),
        };
    }
}
