using Vats.Wasm.Model;

namespace Vats.Wasm.Binary;

/// <summary>
/// One decoded instruction with its immediates. Which fields are meaningful depends on <see cref="Opcode"/>:
/// <list type="bullet">
/// <item>block/loop/if: <see cref="BlockType"/>.</item>
/// <item>br, br_if, call, local.*, global.*, table.get/set/grow/size/fill, ref.func, data.drop, elem.drop,
/// memory.init (data index): <see cref="A"/>.</item>
/// <item>br_table: <see cref="Targets"/> and <see cref="A"/> = default label.</item>
/// <item>call_indirect: <see cref="A"/> = type index, <see cref="B"/> = table index.</item>
/// <item>table.init: <see cref="A"/> = element index, <see cref="B"/> = table index.
/// table.copy: <see cref="A"/> = destination table, <see cref="B"/> = source table.</item>
/// <item>loads/stores: <see cref="A"/> = alignment exponent, <see cref="B"/> = offset.</item>
/// <item>i32/i64/f32/f64.const: <see cref="Value"/> (i32 sign-extended to 64 bits; floats as raw bits).</item>
/// <item>ref.null and typed select: <see cref="Value"/> = the <see cref="ValType"/> byte;
/// typed select also <see cref="A"/> = number of types listed (valid only when 1).</item>
/// </list>
/// </summary>
public readonly struct Instruction
{
    /// <summary>Creates an instruction.</summary>
    public Instruction(Opcode opcode, int offset, uint a = 0, uint b = 0, ulong value = 0, uint[]? targets = null)
    {
        Opcode = opcode;
        Offset = offset;
        A = a;
        B = b;
        Value = value;
        Targets = targets;
    }

    /// <summary>The opcode.</summary>
    public Opcode Opcode { get; }

    /// <summary>Absolute byte offset of the opcode in the module binary.</summary>
    public int Offset { get; }

    /// <summary>First index-like immediate.</summary>
    public uint A { get; }

    /// <summary>Second index-like immediate.</summary>
    public uint B { get; }

    /// <summary>Constant or type immediate.</summary>
    public ulong Value { get; }

    /// <summary>br_table labels (without the default).</summary>
    public uint[]? Targets { get; }

    /// <summary>Block type of block/loop/if.</summary>
    public BlockType BlockType => new((long)Value);
}

/// <summary>
/// A block type as encoded: empty (0x40), a single value type, or a type index (non-negative s33).
/// </summary>
public readonly struct BlockType
{
    private readonly long _raw;

    /// <summary>Wraps the s33 read from the binary.</summary>
    public BlockType(long raw) => _raw = raw;

    /// <summary>True for 0x40: no parameters, no results.</summary>
    public bool IsEmpty => _raw == -64;

    /// <summary>True when it names an entry in the type section.</summary>
    public bool IsTypeIndex => _raw >= 0;

    /// <summary>The type index, when <see cref="IsTypeIndex"/>.</summary>
    public uint TypeIndex => (uint)_raw;

    /// <summary>The single result type, when neither empty nor a type index.</summary>
    public ValType ValType => (ValType)(byte)(_raw & 0x7F);

    /// <summary>The raw s33.</summary>
    public long Raw => _raw;
}
