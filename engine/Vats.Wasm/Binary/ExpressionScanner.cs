using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Binary;

// Walks an instruction sequence up to the `end` that closes it, checking that every instruction is well encoded
// and that blocks nest (an `else` only directly inside an `if` that has none yet). Reuses one control stack
// across calls so that scanning a body allocates nothing beyond br_table targets.
internal sealed class ExpressionScanner
{
    private const byte PlainBlock = 0;
    private const byte IfWithoutElse = 1;

    private byte[] _stack = new byte[64];

    /// <summary>Set when a scanned body used a data index (memory.init, data.drop).</summary>
    public bool UsesDataIndex { get; set; }

    /// <summary>
    /// Scans from <paramref name="code"/>[0] (absolute offset <paramref name="baseOffset"/>) through the
    /// closing `end` and returns the number of bytes consumed, that `end` included. When
    /// <paramref name="sink"/> is given, every instruction but the closing `end` is appended to it.
    /// </summary>
    public int Scan(ReadOnlySpan<byte> code, int baseOffset, List<ConstInstruction>? sink)
    {
        var reader = new InstructionReader(code, baseOffset);
        var depth = 0;
        _stack[0] = PlainBlock;
        while (true)
        {
            // Input ending between instructions gets the reference interpreter's wording; ending inside one
            // keeps the reader's plain "unexpected end".
            if (reader.AtEnd) throw new MalformedModuleException(reader.Offset, "unexpected end of section or function");
            var instruction = reader.Read();
            switch (instruction.Opcode)
            {
                case Opcode.Block:
                case Opcode.Loop:
                case Opcode.If:
                    if (++depth == _stack.Length) Array.Resize(ref _stack, _stack.Length * 2);
                    _stack[depth] = instruction.Opcode == Opcode.If ? IfWithoutElse : PlainBlock;
                    break;
                case Opcode.Else:
                    if (_stack[depth] != IfWithoutElse) throw new MalformedModuleException(instruction.Offset, "END opcode expected");
                    _stack[depth] = PlainBlock;
                    break;
                case Opcode.End:
                    if (depth == 0) return reader.Position;
                    depth--;
                    break;
                case Opcode.MemoryInit:
                case Opcode.DataDrop:
                    UsesDataIndex = true;
                    break;
            }
            sink?.Add(new ConstInstruction(instruction.Opcode, ConstImmediate(instruction), instruction.Offset));
        }
    }

    private static ulong ConstImmediate(in Instruction instruction) => instruction.Opcode switch
    {
        Opcode.GlobalGet or Opcode.RefFunc or Opcode.LocalGet or Opcode.LocalSet or Opcode.LocalTee
            or Opcode.GlobalSet or Opcode.Call or Opcode.Br or Opcode.BrIf => instruction.A,
        _ => instruction.Value,
    };
}
