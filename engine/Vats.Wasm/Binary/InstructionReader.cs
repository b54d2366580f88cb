using Vats.Wasm.Model;

namespace Vats.Wasm.Binary;

/// <summary>
/// Decodes instructions one at a time from a function body or constant expression. Shared by the decoder
/// (to find the end of constant expressions), the validator and the interpreter's lowering pass, so the
/// three agree on the encoding. Malformed encodings raise <see cref="Errors.MalformedModuleException"/>.
/// </summary>
public ref struct InstructionReader
{
    private WasmReader _reader;

    /// <summary>Reads from <paramref name="code"/>, whose first byte is at <paramref name="baseOffset"/> in the module.</summary>
    public InstructionReader(ReadOnlySpan<byte> code, int baseOffset)
    {
        _reader = new WasmReader(code, baseOffset);
    }

    /// <summary>True when every byte was consumed.</summary>
    public readonly bool AtEnd => _reader.AtEnd;

    /// <summary>Absolute offset of the next instruction.</summary>
    public readonly int Offset => _reader.Offset;

    /// <summary>Position relative to the code start.</summary>
    public readonly int Position => _reader.Position;

    /// <summary>Reads the next instruction and its immediates.</summary>
    public Instruction Read()
    {
        var offset = _reader.Offset;
        var first = _reader.ReadByte();
        Opcode op;
        if (first == 0xFC)
        {
            var sub = _reader.ReadU32();
            if (sub > 17) throw new Errors.MalformedModuleException(offset, "illegal opcode");
            op = (Opcode)(0xFC00 | sub);
        }
        else
        {
            if (!IsSingleByteOpcode(first)) throw new Errors.MalformedModuleException(offset, "illegal opcode");
            op = (Opcode)first;
        }

        switch (op)
        {
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
                return new Instruction(op, offset, value: (ulong)ReadBlockType());

            case Opcode.Br:
            case Opcode.BrIf:
            case Opcode.Call:
            case Opcode.LocalGet:
            case Opcode.LocalSet:
            case Opcode.LocalTee:
            case Opcode.GlobalGet:
            case Opcode.GlobalSet:
            case Opcode.TableGet:
            case Opcode.TableSet:
            case Opcode.RefFunc:
            case Opcode.DataDrop:
            case Opcode.ElemDrop:
            case Opcode.TableGrow:
            case Opcode.TableSize:
            case Opcode.TableFill:
                return new Instruction(op, offset, a: _reader.ReadU32());

            case Opcode.BrTable:
            {
                var count = _reader.ReadCount();
                var targets = new uint[count];
                for (var i = 0; i < targets.Length; i++) targets[i] = _reader.ReadU32();
                return new Instruction(op, offset, a: _reader.ReadU32(), targets: targets);
            }

            case Opcode.CallIndirect:
            {
                var typeIndex = _reader.ReadU32();
                var table = _reader.ReadU32();
                return new Instruction(op, offset, a: typeIndex, b: table);
            }

            case Opcode.SelectTyped:
            {
                var count = _reader.ReadCount();
                ulong first1 = 0;
                for (var i = 0; i < count; i++)
                {
                    var t = ReadValueType();
                    if (i == 0) first1 = (byte)t;
                }
                return new Instruction(op, offset, a: count, value: first1);
            }

            case >= Opcode.I32Load and <= Opcode.I64Store32:
            {
                var align = _reader.ReadU32();
                var memOffset = _reader.ReadU32();
                return new Instruction(op, offset, a: align, b: memOffset);
            }

            case Opcode.MemorySize:
            case Opcode.MemoryGrow:
            case Opcode.MemoryFill:
                ReadZeroByte();
                return new Instruction(op, offset);

            case Opcode.MemoryCopy:
                ReadZeroByte();
                ReadZeroByte();
                return new Instruction(op, offset);

            case Opcode.MemoryInit:
            {
                var data = _reader.ReadU32();
                ReadZeroByte();
                return new Instruction(op, offset, a: data);
            }

            case Opcode.TableInit:
            {
                var elem = _reader.ReadU32();
                var table = _reader.ReadU32();
                return new Instruction(op, offset, a: elem, b: table);
            }

            case Opcode.TableCopy:
            {
                var dst = _reader.ReadU32();
                var src = _reader.ReadU32();
                return new Instruction(op, offset, a: dst, b: src);
            }

            case Opcode.I32Const:
                return new Instruction(op, offset, value: (ulong)(long)_reader.ReadS32());
            case Opcode.I64Const:
                return new Instruction(op, offset, value: (ulong)_reader.ReadS64());
            case Opcode.F32Const:
                return new Instruction(op, offset, value: _reader.ReadF32Bits());
            case Opcode.F64Const:
                return new Instruction(op, offset, value: _reader.ReadF64Bits());

            case Opcode.RefNull:
            {
                var at = _reader.Offset;
                var t = _reader.ReadByte();
                if (t is not (0x70 or 0x6F)) throw new Errors.MalformedModuleException(at, "malformed reference type");
                return new Instruction(op, offset, value: t);
            }

            default:
                return new Instruction(op, offset);
        }
    }

    private long ReadBlockType()
    {
        var at = _reader.Offset;
        var b = _reader.PeekByte();
        if (b == 0x40)
        {
            _reader.ReadByte();
            return -64;
        }
        if (ValTypes.IsValueType(b))
        {
            _reader.ReadByte();
            return b - 128L; // the s33 value of a one-byte value type (0x7F → -1)
        }
        var raw = _reader.ReadS33();
        if (raw < 0) throw new Errors.MalformedModuleException(at, "malformed block type");
        return raw;
    }

    private ValType ReadValueType()
    {
        var at = _reader.Offset;
        var b = _reader.ReadByte();
        if (!ValTypes.IsValueType(b)) throw new Errors.MalformedModuleException(at, "malformed value type");
        return (ValType)b;
    }

    private void ReadZeroByte()
    {
        var at = _reader.Offset;
        if (_reader.ReadByte() != 0) throw new Errors.MalformedModuleException(at, "zero byte expected");
    }

    private static bool IsSingleByteOpcode(byte b) => b switch
    {
        <= 0x05 => true,
        >= 0x0B and <= 0x11 => true,
        >= 0x1A and <= 0x1C => true,
        >= 0x20 and <= 0x26 => true,
        >= 0x28 and <= 0xC4 => true,
        >= 0xD0 and <= 0xD2 => true,
        _ => false,
    };
}
