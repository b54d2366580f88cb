namespace Vats.Wasm.Binary;

/// <summary>
/// Instruction opcodes of the 2.0 core binary format without SIMD. One-byte opcodes keep their byte; the
/// 0xFC-prefixed ones are 0xFC00 + their LEB128 sub-opcode.
/// </summary>
public enum Opcode : ushort
{
    /// <summary>Unreachable</summary>
    Unreachable = 0x00,
    /// <summary>Nop</summary>
    Nop = 0x01,
    /// <summary>Block</summary>
    Block = 0x02,
    /// <summary>Loop</summary>
    Loop = 0x03,
    /// <summary>If</summary>
    If = 0x04,
    /// <summary>Else</summary>
    Else = 0x05,
    /// <summary>End</summary>
    End = 0x0B,
    /// <summary>Br</summary>
    Br = 0x0C,
    /// <summary>BrIf</summary>
    BrIf = 0x0D,
    /// <summary>BrTable</summary>
    BrTable = 0x0E,
    /// <summary>Return</summary>
    Return = 0x0F,
    /// <summary>Call</summary>
    Call = 0x10,
    /// <summary>CallIndirect</summary>
    CallIndirect = 0x11,
    /// <summary>Drop</summary>
    Drop = 0x1A,
    /// <summary>Select</summary>
    Select = 0x1B,
    /// <summary>SelectTyped</summary>
    SelectTyped = 0x1C,
    /// <summary>LocalGet</summary>
    LocalGet = 0x20,
    /// <summary>LocalSet</summary>
    LocalSet = 0x21,
    /// <summary>LocalTee</summary>
    LocalTee = 0x22,
    /// <summary>GlobalGet</summary>
    GlobalGet = 0x23,
    /// <summary>GlobalSet</summary>
    GlobalSet = 0x24,
    /// <summary>TableGet</summary>
    TableGet = 0x25,
    /// <summary>TableSet</summary>
    TableSet = 0x26,
    /// <summary>I32Load</summary>
    I32Load = 0x28,
    /// <summary>I64Load</summary>
    I64Load = 0x29,
    /// <summary>F32Load</summary>
    F32Load = 0x2A,
    /// <summary>F64Load</summary>
    F64Load = 0x2B,
    /// <summary>I32Load8S</summary>
    I32Load8S = 0x2C,
    /// <summary>I32Load8U</summary>
    I32Load8U = 0x2D,
    /// <summary>I32Load16S</summary>
    I32Load16S = 0x2E,
    /// <summary>I32Load16U</summary>
    I32Load16U = 0x2F,
    /// <summary>I64Load8S</summary>
    I64Load8S = 0x30,
    /// <summary>I64Load8U</summary>
    I64Load8U = 0x31,
    /// <summary>I64Load16S</summary>
    I64Load16S = 0x32,
    /// <summary>I64Load16U</summary>
    I64Load16U = 0x33,
    /// <summary>I64Load32S</summary>
    I64Load32S = 0x34,
    /// <summary>I64Load32U</summary>
    I64Load32U = 0x35,
    /// <summary>I32Store</summary>
    I32Store = 0x36,
    /// <summary>I64Store</summary>
    I64Store = 0x37,
    /// <summary>F32Store</summary>
    F32Store = 0x38,
    /// <summary>F64Store</summary>
    F64Store = 0x39,
    /// <summary>I32Store8</summary>
    I32Store8 = 0x3A,
    /// <summary>I32Store16</summary>
    I32Store16 = 0x3B,
    /// <summary>I64Store8</summary>
    I64Store8 = 0x3C,
    /// <summary>I64Store16</summary>
    I64Store16 = 0x3D,
    /// <summary>I64Store32</summary>
    I64Store32 = 0x3E,
    /// <summary>MemorySize</summary>
    MemorySize = 0x3F,
    /// <summary>MemoryGrow</summary>
    MemoryGrow = 0x40,
    /// <summary>I32Const</summary>
    I32Const = 0x41,
    /// <summary>I64Const</summary>
    I64Const = 0x42,
    /// <summary>F32Const</summary>
    F32Const = 0x43,
    /// <summary>F64Const</summary>
    F64Const = 0x44,
    /// <summary>I32Eqz</summary>
    I32Eqz = 0x45,
    /// <summary>I32Eq</summary>
    I32Eq = 0x46,
    /// <summary>I32Ne</summary>
    I32Ne = 0x47,
    /// <summary>I32LtS</summary>
    I32LtS = 0x48,
    /// <summary>I32LtU</summary>
    I32LtU = 0x49,
    /// <summary>I32GtS</summary>
    I32GtS = 0x4A,
    /// <summary>I32GtU</summary>
    I32GtU = 0x4B,
    /// <summary>I32LeS</summary>
    I32LeS = 0x4C,
    /// <summary>I32LeU</summary>
    I32LeU = 0x4D,
    /// <summary>I32GeS</summary>
    I32GeS = 0x4E,
    /// <summary>I32GeU</summary>
    I32GeU = 0x4F,
    /// <summary>I64Eqz</summary>
    I64Eqz = 0x50,
    /// <summary>I64Eq</summary>
    I64Eq = 0x51,
    /// <summary>I64Ne</summary>
    I64Ne = 0x52,
    /// <summary>I64LtS</summary>
    I64LtS = 0x53,
    /// <summary>I64LtU</summary>
    I64LtU = 0x54,
    /// <summary>I64GtS</summary>
    I64GtS = 0x55,
    /// <summary>I64GtU</summary>
    I64GtU = 0x56,
    /// <summary>I64LeS</summary>
    I64LeS = 0x57,
    /// <summary>I64LeU</summary>
    I64LeU = 0x58,
    /// <summary>I64GeS</summary>
    I64GeS = 0x59,
    /// <summary>I64GeU</summary>
    I64GeU = 0x5A,
    /// <summary>F32Eq</summary>
    F32Eq = 0x5B,
    /// <summary>F32Ne</summary>
    F32Ne = 0x5C,
    /// <summary>F32Lt</summary>
    F32Lt = 0x5D,
    /// <summary>F32Gt</summary>
    F32Gt = 0x5E,
    /// <summary>F32Le</summary>
    F32Le = 0x5F,
    /// <summary>F32Ge</summary>
    F32Ge = 0x60,
    /// <summary>F64Eq</summary>
    F64Eq = 0x61,
    /// <summary>F64Ne</summary>
    F64Ne = 0x62,
    /// <summary>F64Lt</summary>
    F64Lt = 0x63,
    /// <summary>F64Gt</summary>
    F64Gt = 0x64,
    /// <summary>F64Le</summary>
    F64Le = 0x65,
    /// <summary>F64Ge</summary>
    F64Ge = 0x66,
    /// <summary>I32Clz</summary>
    I32Clz = 0x67,
    /// <summary>I32Ctz</summary>
    I32Ctz = 0x68,
    /// <summary>I32Popcnt</summary>
    I32Popcnt = 0x69,
    /// <summary>I32Add</summary>
    I32Add = 0x6A,
    /// <summary>I32Sub</summary>
    I32Sub = 0x6B,
    /// <summary>I32Mul</summary>
    I32Mul = 0x6C,
    /// <summary>I32DivS</summary>
    I32DivS = 0x6D,
    /// <summary>I32DivU</summary>
    I32DivU = 0x6E,
    /// <summary>I32RemS</summary>
    I32RemS = 0x6F,
    /// <summary>I32RemU</summary>
    I32RemU = 0x70,
    /// <summary>I32And</summary>
    I32And = 0x71,
    /// <summary>I32Or</summary>
    I32Or = 0x72,
    /// <summary>I32Xor</summary>
    I32Xor = 0x73,
    /// <summary>I32Shl</summary>
    I32Shl = 0x74,
    /// <summary>I32ShrS</summary>
    I32ShrS = 0x75,
    /// <summary>I32ShrU</summary>
    I32ShrU = 0x76,
    /// <summary>I32Rotl</summary>
    I32Rotl = 0x77,
    /// <summary>I32Rotr</summary>
    I32Rotr = 0x78,
    /// <summary>I64Clz</summary>
    I64Clz = 0x79,
    /// <summary>I64Ctz</summary>
    I64Ctz = 0x7A,
    /// <summary>I64Popcnt</summary>
    I64Popcnt = 0x7B,
    /// <summary>I64Add</summary>
    I64Add = 0x7C,
    /// <summary>I64Sub</summary>
    I64Sub = 0x7D,
    /// <summary>I64Mul</summary>
    I64Mul = 0x7E,
    /// <summary>I64DivS</summary>
    I64DivS = 0x7F,
    /// <summary>I64DivU</summary>
    I64DivU = 0x80,
    /// <summary>I64RemS</summary>
    I64RemS = 0x81,
    /// <summary>I64RemU</summary>
    I64RemU = 0x82,
    /// <summary>I64And</summary>
    I64And = 0x83,
    /// <summary>I64Or</summary>
    I64Or = 0x84,
    /// <summary>I64Xor</summary>
    I64Xor = 0x85,
    /// <summary>I64Shl</summary>
    I64Shl = 0x86,
    /// <summary>I64ShrS</summary>
    I64ShrS = 0x87,
    /// <summary>I64ShrU</summary>
    I64ShrU = 0x88,
    /// <summary>I64Rotl</summary>
    I64Rotl = 0x89,
    /// <summary>I64Rotr</summary>
    I64Rotr = 0x8A,
    /// <summary>F32Abs</summary>
    F32Abs = 0x8B,
    /// <summary>F32Neg</summary>
    F32Neg = 0x8C,
    /// <summary>F32Ceil</summary>
    F32Ceil = 0x8D,
    /// <summary>F32Floor</summary>
    F32Floor = 0x8E,
    /// <summary>F32Trunc</summary>
    F32Trunc = 0x8F,
    /// <summary>F32Nearest</summary>
    F32Nearest = 0x90,
    /// <summary>F32Sqrt</summary>
    F32Sqrt = 0x91,
    /// <summary>F32Add</summary>
    F32Add = 0x92,
    /// <summary>F32Sub</summary>
    F32Sub = 0x93,
    /// <summary>F32Mul</summary>
    F32Mul = 0x94,
    /// <summary>F32Div</summary>
    F32Div = 0x95,
    /// <summary>F32Min</summary>
    F32Min = 0x96,
    /// <summary>F32Max</summary>
    F32Max = 0x97,
    /// <summary>F32Copysign</summary>
    F32Copysign = 0x98,
    /// <summary>F64Abs</summary>
    F64Abs = 0x99,
    /// <summary>F64Neg</summary>
    F64Neg = 0x9A,
    /// <summary>F64Ceil</summary>
    F64Ceil = 0x9B,
    /// <summary>F64Floor</summary>
    F64Floor = 0x9C,
    /// <summary>F64Trunc</summary>
    F64Trunc = 0x9D,
    /// <summary>F64Nearest</summary>
    F64Nearest = 0x9E,
    /// <summary>F64Sqrt</summary>
    F64Sqrt = 0x9F,
    /// <summary>F64Add</summary>
    F64Add = 0xA0,
    /// <summary>F64Sub</summary>
    F64Sub = 0xA1,
    /// <summary>F64Mul</summary>
    F64Mul = 0xA2,
    /// <summary>F64Div</summary>
    F64Div = 0xA3,
    /// <summary>F64Min</summary>
    F64Min = 0xA4,
    /// <summary>F64Max</summary>
    F64Max = 0xA5,
    /// <summary>F64Copysign</summary>
    F64Copysign = 0xA6,
    /// <summary>I32WrapI64</summary>
    I32WrapI64 = 0xA7,
    /// <summary>I32TruncF32S</summary>
    I32TruncF32S = 0xA8,
    /// <summary>I32TruncF32U</summary>
    I32TruncF32U = 0xA9,
    /// <summary>I32TruncF64S</summary>
    I32TruncF64S = 0xAA,
    /// <summary>I32TruncF64U</summary>
    I32TruncF64U = 0xAB,
    /// <summary>I64ExtendI32S</summary>
    I64ExtendI32S = 0xAC,
    /// <summary>I64ExtendI32U</summary>
    I64ExtendI32U = 0xAD,
    /// <summary>I64TruncF32S</summary>
    I64TruncF32S = 0xAE,
    /// <summary>I64TruncF32U</summary>
    I64TruncF32U = 0xAF,
    /// <summary>I64TruncF64S</summary>
    I64TruncF64S = 0xB0,
    /// <summary>I64TruncF64U</summary>
    I64TruncF64U = 0xB1,
    /// <summary>F32ConvertI32S</summary>
    F32ConvertI32S = 0xB2,
    /// <summary>F32ConvertI32U</summary>
    F32ConvertI32U = 0xB3,
    /// <summary>F32ConvertI64S</summary>
    F32ConvertI64S = 0xB4,
    /// <summary>F32ConvertI64U</summary>
    F32ConvertI64U = 0xB5,
    /// <summary>F32DemoteF64</summary>
    F32DemoteF64 = 0xB6,
    /// <summary>F64ConvertI32S</summary>
    F64ConvertI32S = 0xB7,
    /// <summary>F64ConvertI32U</summary>
    F64ConvertI32U = 0xB8,
    /// <summary>F64ConvertI64S</summary>
    F64ConvertI64S = 0xB9,
    /// <summary>F64ConvertI64U</summary>
    F64ConvertI64U = 0xBA,
    /// <summary>F64PromoteF32</summary>
    F64PromoteF32 = 0xBB,
    /// <summary>I32ReinterpretF32</summary>
    I32ReinterpretF32 = 0xBC,
    /// <summary>I64ReinterpretF64</summary>
    I64ReinterpretF64 = 0xBD,
    /// <summary>F32ReinterpretI32</summary>
    F32ReinterpretI32 = 0xBE,
    /// <summary>F64ReinterpretI64</summary>
    F64ReinterpretI64 = 0xBF,
    /// <summary>I32Extend8S</summary>
    I32Extend8S = 0xC0,
    /// <summary>I32Extend16S</summary>
    I32Extend16S = 0xC1,
    /// <summary>I64Extend8S</summary>
    I64Extend8S = 0xC2,
    /// <summary>I64Extend16S</summary>
    I64Extend16S = 0xC3,
    /// <summary>I64Extend32S</summary>
    I64Extend32S = 0xC4,
    /// <summary>RefNull</summary>
    RefNull = 0xD0,
    /// <summary>RefIsNull</summary>
    RefIsNull = 0xD1,
    /// <summary>RefFunc</summary>
    RefFunc = 0xD2,
    /// <summary>I32TruncSatF32S</summary>
    I32TruncSatF32S = 0xFC00,
    /// <summary>I32TruncSatF32U</summary>
    I32TruncSatF32U = 0xFC01,
    /// <summary>I32TruncSatF64S</summary>
    I32TruncSatF64S = 0xFC02,
    /// <summary>I32TruncSatF64U</summary>
    I32TruncSatF64U = 0xFC03,
    /// <summary>I64TruncSatF32S</summary>
    I64TruncSatF32S = 0xFC04,
    /// <summary>I64TruncSatF32U</summary>
    I64TruncSatF32U = 0xFC05,
    /// <summary>I64TruncSatF64S</summary>
    I64TruncSatF64S = 0xFC06,
    /// <summary>I64TruncSatF64U</summary>
    I64TruncSatF64U = 0xFC07,
    /// <summary>MemoryInit</summary>
    MemoryInit = 0xFC08,
    /// <summary>DataDrop</summary>
    DataDrop = 0xFC09,
    /// <summary>MemoryCopy</summary>
    MemoryCopy = 0xFC0A,
    /// <summary>MemoryFill</summary>
    MemoryFill = 0xFC0B,
    /// <summary>TableInit</summary>
    TableInit = 0xFC0C,
    /// <summary>ElemDrop</summary>
    ElemDrop = 0xFC0D,
    /// <summary>TableCopy</summary>
    TableCopy = 0xFC0E,
    /// <summary>TableGrow</summary>
    TableGrow = 0xFC0F,
    /// <summary>TableSize</summary>
    TableSize = 0xFC10,
    /// <summary>TableFill</summary>
    TableFill = 0xFC11,
}
