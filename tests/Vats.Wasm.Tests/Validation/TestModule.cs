using Vats.Wasm.Binary;
using Vats.Wasm.Model;

namespace Vats.Wasm.Tests.Validation;

/// <summary>Builds <see cref="Module"/> objects directly, so validator tests do not depend on the decoder or wat2wasm's own checks.</summary>
internal sealed class TestModule
{
    /// <summary>Where the first function's code pretends to start in the binary, so offsets in errors can be checked.</summary>
    public const int CodeBase = 0x100;

    private int _nextCodeOffset = CodeBase;

    public Module Module { get; } = new();

    public static FuncType Sig(ValType[] parameters, ValType[] results) => new(parameters, results);

    public static readonly FuncType VoidType = new([], []);

    public uint Type(FuncType type)
    {
        Module.Types.Add(type);
        return (uint)(Module.Types.Count - 1);
    }

    /// <summary>Adds a defined function; returns the absolute offset of its first code byte.</summary>
    public int Function(FuncType type, byte[] code, params ValType[] locals)
    {
        Module.FunctionTypeIndices.Add(Type(type));
        var offset = _nextCodeOffset;
        Module.Codes.Add(new FunctionBody(locals, code, offset));
        _nextCodeOffset += 0x100;
        return offset;
    }

    public void ImportGlobal(ValType type, bool mutable)
    {
        Module.Imports.Add(new Import { Module = "m", Name = $"g{Module.Imports.Count}", Kind = ExternalKind.Global, Global = new GlobalType(type, mutable) });
        Module.CountImports();
    }

    public void ImportFunction(FuncType type)
    {
        var index = Type(type);
        Module.Imports.Add(new Import { Module = "m", Name = $"f{Module.Imports.Count}", Kind = ExternalKind.Function, FunctionTypeIndex = index });
        Module.CountImports();
    }

    public void ImportMemory(uint min, uint? max = null)
    {
        Module.Imports.Add(new Import { Module = "m", Name = $"mem{Module.Imports.Count}", Kind = ExternalKind.Memory, Memory = new MemoryType(new Limits(min, max)) });
        Module.CountImports();
    }

    public void Memory(uint min = 1, uint? max = null) => Module.Memories.Add(new MemoryType(new Limits(min, max)));

    public void Table(ValType elementType, uint min = 1, uint? max = null) => Module.Tables.Add(new TableType(elementType, new Limits(min, max)));

    public void Global(ValType type, bool mutable, ConstExpr init) => Module.Globals.Add(new GlobalDefinition(new GlobalType(type, mutable), init));

    public static ConstExpr Const(params ConstInstruction[] instructions) => new(instructions, 0x10);

    public static ConstExpr I32(int value) => Const(new ConstInstruction(Opcode.I32Const, (ulong)(long)value, 0x10));
}
