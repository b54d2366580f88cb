using Vats.Wasm.Binary;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Validation;

/// <summary>Constant expressions (global initializers, segment offsets, element items) as WebAssembly 2.0 defines them.</summary>
internal static class ConstExprValidator
{
    /// <summary>Checks that <paramref name="expr"/> is constant and produces exactly one <paramref name="expected"/>.</summary>
    public static void Validate(ValidationContext context, ConstExpr expr, ValType expected)
    {
        // Without extended constants an expression that yields one value has exactly one instruction,
        // but the types are still checked generally so a sequence gets the spec's "type mismatch".
        var produced = 0;
        var last = expected;
        foreach (var instruction in expr.Instructions)
        {
            last = TypeOf(context, instruction);
            produced++;
        }
        if (produced != 1 || last != expected)
        {
            var found = produced == 0 ? "nothing" : produced == 1 ? last.Name() : $"{produced} values";
            throw new InvalidModuleException(expr.Offset, $"type mismatch: constant expression must produce {expected.Name()} but produces {found}");
        }
    }

    /// <summary>Adds every function named by `ref.func` in <paramref name="expr"/> to C.refs.</summary>
    public static void CollectRefs(ValidationContext context, ConstExpr? expr)
    {
        if (expr is null) return;
        foreach (var instruction in expr.Instructions)
        {
            if (instruction.Opcode == Opcode.RefFunc && instruction.Immediate < (ulong)context.Refs.Length)
                context.Refs[(int)instruction.Immediate] = true;
        }
    }

    private static ValType TypeOf(ValidationContext context, ConstInstruction instruction)
    {
        switch (instruction.Opcode)
        {
            case Opcode.I32Const: return ValType.I32;
            case Opcode.I64Const: return ValType.I64;
            case Opcode.F32Const: return ValType.F32;
            case Opcode.F64Const: return ValType.F64;
            case Opcode.RefNull: return (ValType)(byte)instruction.Immediate;
            case Opcode.RefFunc:
                if (instruction.Immediate >= (ulong)context.Functions.Length)
                    throw new InvalidModuleException(instruction.Offset, $"unknown function {instruction.Immediate}");
                return ValType.FuncRef;
            case Opcode.GlobalGet:
                // 2.0: only imported globals are visible to constant expressions.
                if (instruction.Immediate >= (ulong)context.ImportedGlobalCount)
                    throw new InvalidModuleException(instruction.Offset, $"unknown global {instruction.Immediate}");
                var global = context.Globals[(int)instruction.Immediate];
                if (global.Mutable)
                    throw new InvalidModuleException(instruction.Offset, "constant expression required");
                return global.ValType;
            default:
                throw new InvalidModuleException(instruction.Offset, "constant expression required");
        }
    }
}
