namespace Vats.Wasm.Model;

/// <summary>One entry of the import section. Exactly one of the type fields applies, chosen by <see cref="Kind"/>.</summary>
public sealed class Import
{
    /// <summary>Module name.</summary>
    public required string Module { get; init; }

    /// <summary>Field name.</summary>
    public required string Name { get; init; }

    /// <summary>What is imported.</summary>
    public required ExternalKind Kind { get; init; }

    /// <summary>For a function: the index into the module's type section.</summary>
    public uint FunctionTypeIndex { get; init; }

    /// <summary>For a table.</summary>
    public TableType Table { get; init; }

    /// <summary>For a memory.</summary>
    public MemoryType Memory { get; init; }

    /// <summary>For a global.</summary>
    public GlobalType Global { get; init; }

    /// <summary>Byte offset of this entry in the module binary.</summary>
    public int Offset { get; init; }
}

/// <summary>One entry of the export section.</summary>
public sealed record Export(string Name, ExternalKind Kind, uint Index, int Offset);
