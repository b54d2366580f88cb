namespace Vats.Wasm.Model;

/// <summary>Size limits of a memory (in 64 KiB pages) or a table (in elements).</summary>
public readonly record struct Limits(uint Min, uint? Max)
{
    /// <summary>Import matching (spec "limits subtyping"): this actual limit fits the expected one.</summary>
    public bool IsSubtypeOf(Limits expected) =>
        Min >= expected.Min && (expected.Max is null || (Max is not null && Max.Value <= expected.Max.Value));

    /// <inheritdoc/>
    public override string ToString() => Max is null ? $"{Min}" : $"{Min}..{Max}";
}

/// <summary>A table's type.</summary>
public readonly record struct TableType(ValType ElementType, Limits Limits);

/// <summary>A memory's type.</summary>
public readonly record struct MemoryType(Limits Limits);

/// <summary>A global's type.</summary>
public readonly record struct GlobalType(ValType ValType, bool Mutable);
