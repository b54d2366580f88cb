using Vats.Wasm.Binary;
using Vats.Wasm.Model;

namespace Vats.Wasm.Validation;

/// <summary>
/// Operand and result types of the numeric instructions (comparisons, arithmetic, conversions, sign extension,
/// saturating truncation), so the validator handles them with one table look-up instead of a case each.
/// </summary>
internal static class NumericSignatures
{
    /// <summary>First single-byte opcode in the table (i32.eqz).</summary>
    public const int FirstOpcode = (int)Opcode.I32Eqz;

    // Packed as operand1 | operand2 << 8 | result << 16; operand2 == 0 for unary instructions.
    private static readonly int[] SingleByte = BuildSingleByte();
    private static readonly int[] Saturating = BuildSaturating();

    /// <summary>The packed signature of a single-byte numeric opcode (i32.eqz … i64.extend32_s).</summary>
    public static int Of(Opcode opcode) => SingleByte[(int)opcode - FirstOpcode];

    /// <summary>The packed signature of a saturating truncation (0xFC 0 … 0xFC 7).</summary>
    public static int OfSaturating(Opcode opcode) => Saturating[(int)opcode - (int)Opcode.I32TruncSatF32S];

    private static int[] BuildSingleByte()
    {
        const ValType i32 = ValType.I32, i64 = ValType.I64, f32 = ValType.F32, f64 = ValType.F64;
        var table = new int[(int)Opcode.I64Extend32S - FirstOpcode + 1];
        void Set(Opcode from, Opcode to, ValType a, ValType b, ValType r)
        {
            for (var op = (int)from; op <= (int)to; op++) table[op - FirstOpcode] = Pack(a, b, r);
        }

        Set(Opcode.I32Eqz, Opcode.I32Eqz, i32, 0, i32);
        Set(Opcode.I32Eq, Opcode.I32GeU, i32, i32, i32);
        Set(Opcode.I64Eqz, Opcode.I64Eqz, i64, 0, i32);
        Set(Opcode.I64Eq, Opcode.I64GeU, i64, i64, i32);
        Set(Opcode.F32Eq, Opcode.F32Ge, f32, f32, i32);
        Set(Opcode.F64Eq, Opcode.F64Ge, f64, f64, i32);
        Set(Opcode.I32Clz, Opcode.I32Popcnt, i32, 0, i32);
        Set(Opcode.I32Add, Opcode.I32Rotr, i32, i32, i32);
        Set(Opcode.I64Clz, Opcode.I64Popcnt, i64, 0, i64);
        Set(Opcode.I64Add, Opcode.I64Rotr, i64, i64, i64);
        Set(Opcode.F32Abs, Opcode.F32Sqrt, f32, 0, f32);
        Set(Opcode.F32Add, Opcode.F32Copysign, f32, f32, f32);
        Set(Opcode.F64Abs, Opcode.F64Sqrt, f64, 0, f64);
        Set(Opcode.F64Add, Opcode.F64Copysign, f64, f64, f64);
        Set(Opcode.I32WrapI64, Opcode.I32WrapI64, i64, 0, i32);
        Set(Opcode.I32TruncF32S, Opcode.I32TruncF32U, f32, 0, i32);
        Set(Opcode.I32TruncF64S, Opcode.I32TruncF64U, f64, 0, i32);
        Set(Opcode.I64ExtendI32S, Opcode.I64ExtendI32U, i32, 0, i64);
        Set(Opcode.I64TruncF32S, Opcode.I64TruncF32U, f32, 0, i64);
        Set(Opcode.I64TruncF64S, Opcode.I64TruncF64U, f64, 0, i64);
        Set(Opcode.F32ConvertI32S, Opcode.F32ConvertI32U, i32, 0, f32);
        Set(Opcode.F32ConvertI64S, Opcode.F32ConvertI64U, i64, 0, f32);
        Set(Opcode.F32DemoteF64, Opcode.F32DemoteF64, f64, 0, f32);
        Set(Opcode.F64ConvertI32S, Opcode.F64ConvertI32U, i32, 0, f64);
        Set(Opcode.F64ConvertI64S, Opcode.F64ConvertI64U, i64, 0, f64);
        Set(Opcode.F64PromoteF32, Opcode.F64PromoteF32, f32, 0, f64);
        Set(Opcode.I32ReinterpretF32, Opcode.I32ReinterpretF32, f32, 0, i32);
        Set(Opcode.I64ReinterpretF64, Opcode.I64ReinterpretF64, f64, 0, i64);
        Set(Opcode.F32ReinterpretI32, Opcode.F32ReinterpretI32, i32, 0, f32);
        Set(Opcode.F64ReinterpretI64, Opcode.F64ReinterpretI64, i64, 0, f64);
        Set(Opcode.I32Extend8S, Opcode.I32Extend16S, i32, 0, i32);
        Set(Opcode.I64Extend8S, Opcode.I64Extend32S, i64, 0, i64);
        return table;
    }

    private static int[] BuildSaturating() =>
    [
        Pack(ValType.F32, 0, ValType.I32), Pack(ValType.F32, 0, ValType.I32),
        Pack(ValType.F64, 0, ValType.I32), Pack(ValType.F64, 0, ValType.I32),
        Pack(ValType.F32, 0, ValType.I64), Pack(ValType.F32, 0, ValType.I64),
        Pack(ValType.F64, 0, ValType.I64), Pack(ValType.F64, 0, ValType.I64),
    ];

    private static int Pack(ValType a, ValType b, ValType r) => (byte)a | (byte)b << 8 | (byte)r << 16;
}
