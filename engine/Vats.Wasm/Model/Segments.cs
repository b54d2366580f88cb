namespace Vats.Wasm.Model;

/// <summary>How a data or element segment is applied.</summary>
public enum SegmentMode : byte
{
    /// <summary>Copied into its memory/table at instantiation.</summary>
    Active,
    /// <summary>Used only by memory.init/table.init.</summary>
    Passive,
    /// <summary>Element segments only: declares functions referable by ref.func; dropped at instantiation.</summary>
    Declarative,
}

/// <summary>A data segment.</summary>
public sealed class DataSegment
{
    /// <summary>Active or passive.</summary>
    public required SegmentMode Mode { get; init; }

    /// <summary>Target memory of an active segment.</summary>
    public uint MemoryIndex { get; init; }

    /// <summary>Offset expression of an active segment.</summary>
    public ConstExpr? OffsetExpr { get; init; }

    /// <summary>The bytes.</summary>
    public required ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Byte offset of this entry in the module binary.</summary>
    public int Offset { get; init; }
}

/// <summary>An element segment. Items given as plain function indices are decoded as `ref.func` expressions.</summary>
public sealed class ElementSegment
{
    /// <summary>Active, passive or declarative.</summary>
    public required SegmentMode Mode { get; init; }

    /// <summary>Target table of an active segment.</summary>
    public uint TableIndex { get; init; }

    /// <summary>Offset expression of an active segment.</summary>
    public ConstExpr? OffsetExpr { get; init; }

    /// <summary>funcref or externref.</summary>
    public required ValType ElementType { get; init; }

    /// <summary>One constant expression per element.</summary>
    public required ConstExpr[] Items { get; init; }

    /// <summary>Byte offset of this entry in the module binary.</summary>
    public int Offset { get; init; }
}

/// <summary>A defined global.</summary>
public sealed record GlobalDefinition(GlobalType Type, ConstExpr Init);

/// <summary>A custom section, kept as bytes.</summary>
/// <param name="Name">Section name.</param>
/// <param name="Data">Payload after the name.</param>
/// <param name="Offset">Byte offset of the section id in the module binary.</param>
/// <param name="AfterSectionId">Id of the last known section before it (0 when it comes first), so order can be reproduced.</param>
public sealed record CustomSection(string Name, ReadOnlyMemory<byte> Data, int Offset, byte AfterSectionId);
